import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { PollRow } from '../db/database.js';
import { type AppError, isAppError } from '../errors.js';
import { hashToken } from '../tokens.js';
import { formSchema, formSeconds, querySchema } from '../views/form-fields.js';
import { errorPage } from '../views/poll-views.js';
import {
  type ControlPage,
  type Presenter,
  presentMain,
  presentPage,
  remoteMain,
  remotePage,
} from '../views/presenter-views.js';
import { sendHtml } from '../views/send-html.js';
import { manageCookies } from './manage-cookies.js';
import { actOnCurrent, paceOf, stepQuestion, timeCurrent } from './pacing.js';
import { pollPaths, pollUrls, siteUrl } from './paths.js';
import { CodeParams } from './schemas.js';
import { canManage, currentQuestionOf, type Manager, type PollDeps, requirePoll } from './service.js';
import { leaderboardOf, showLeaderboard } from './standings.js';

const CONTROLS = [
  'next',
  'previous',
  'close',
  'reopen',
  'reveal',
  'timer',
  'stop-timer',
  'leaderboard',
  'hide-leaderboard',
] as const;
type Control = (typeof CONTROLS)[number];

const NOTICES: Partial<Record<Control, string>> = {
  close: 'Voting is closed; the results stay on the screens.',
  reopen: 'Voting is open again.',
  reveal: 'Revealed: every screen shows it now.',
  timer: 'The countdown runs on every screen; voting closes at zero.',
  'stop-timer': 'The countdown stopped; voting stays open until you close it.',
  leaderboard: 'The screens show the leaderboard.',
  'hide-leaderboard': 'The screens show the question again.',
};

interface PresenterRoute {
  Params: { code: string };
  Querystring: { partial?: string; notice?: string };
  Body: { back?: string; seconds?: string } | undefined;
}
type PresenterRequest = FastifyRequest<PresenterRoute>;
type ControlRequest = FastifyRequest<PresenterRoute & { Params: { action: Control } }>;

/**
 * The presenter view for the projector and the remote for the organizer's phone: the poll's
 * manager (its signed-in owner, the admin, or a quick poll's creator) steps through the
 * questions, closes, reopens and reveals from either; anyone else sees the presenter view alone.
 */
export default async function presenterPages(
  app: FastifyInstance,
  { deps, publicUrl }: { deps: PollDeps; publicUrl: string | undefined },
) {
  /** The manager of the poll at this browser, if it is one, as the controls act for them. */
  const managerAt = async (
    request: FastifyRequest,
    poll: PollRow,
  ): Promise<{ manager: Manager; csrf: string } | null> => {
    const user = await app.pageUser(request);
    if (user && canManage({ user }, poll)) return { manager: { user }, csrf: app.csrfToken(request) };
    const token = manageCookies(poll.code).holder(request, poll);
    return token ? { manager: { manageToken: token }, csrf: app.csrfTokenFor(hashToken(token)) } : null;
  };

  const render = async (
    request: PresenterRequest,
    reply: FastifyReply,
    page: ControlPage,
    said: { notice?: string | undefined; error?: AppError | undefined } = {},
  ) => {
    const poll = await requirePoll(deps.db, request.params.code);
    const manager = await managerAt(request, poll);
    // The projector is the room's screen: it shows what the audience may see, even to the organizer.
    const question = await currentQuestionOf(deps.db, poll, { forOrganizer: page === 'remote' && manager !== null });
    const presenter: Presenter | null = manager && {
      csrf: manager.csrf,
      pace: await paceOf(deps.db, poll),
      // The projector shows no notices: the room sees what the control did.
      notice: page === 'remote' ? said.notice : undefined,
      error: said.error?.message,
    };
    // The manager's controls offer the leaderboard once it has players; others see it while it shows.
    const leaderboard = presenter || poll.show_leaderboard === 1 ? await leaderboardOf(deps, poll) : null;
    const partial = request.query.partial === '1';
    const status = said.error?.status ?? 200;
    if (page === 'present') {
      const joinUrl = pollUrls(siteUrl(request, publicUrl), poll.code).vote;
      const view = { poll, question, leaderboard, presenter, joinUrl, joined: deps.audience.joined(poll.code) };
      return sendHtml(reply, partial ? presentMain(view) : presentPage(view), status);
    }
    if (!presenter) return refuseRemote(request, reply, poll);
    const view = { poll, question, leaderboard, presenter, joined: deps.audience.joined(poll.code) };
    return sendHtml(reply, partial ? remoteMain(view) : remotePage(view), status);
  };

  /** A poll with an owner asks its owner to sign in; a quick poll's creator needs their manage link. */
  const refuseRemote = async (request: FastifyRequest, reply: FastifyReply, poll: PollRow) => {
    if (poll.owner_id !== null && !(await app.pageUser(request))) {
      return reply.redirect(`/admin/login?next=${encodeURIComponent(pollPaths(poll.code).remote)}`, 303);
    }
    const message =
      poll.owner_id === null
        ? 'Only the creator of this poll can run it from here: open the private manage link you were given, then this page.'
        : 'Only the organizer of this poll can run it from here.';
    return sendHtml(reply, errorPage('Not your poll', message), 403);
  };

  const pageQuery = querySchema({ partial: 8, notice: 16 });
  const noticeOf = (request: PresenterRequest) => NOTICES[request.query.notice as Control];

  app.get(
    '/p/:code/present',
    { schema: { params: CodeParams, querystring: pageQuery } },
    (request: PresenterRequest, reply) => render(request, reply, 'present'),
  );
  app.get(
    '/p/:code/remote',
    { schema: { params: CodeParams, querystring: pageQuery } },
    (request: PresenterRequest, reply) => render(request, reply, 'remote', { notice: noticeOf(request) }),
  );

  app.post(
    '/p/:code/control/:action',
    {
      schema: {
        params: Type.Object({
          ...CodeParams.properties,
          action: Type.Union(CONTROLS.map((name) => Type.Literal(name))),
        }),
        querystring: pageQuery,
        body: formSchema({ back: 16, seconds: 8 }),
      },
    },
    async (request: ControlRequest, reply) => {
      const poll = await requirePoll(deps.db, request.params.code);
      const back: ControlPage = request.body?.back === 'remote' ? 'remote' : 'present';
      const at = await managerAt(request, poll);
      if (!at) return refuseRemote(request, reply, poll);
      app.checkCsrf(request, at.csrf);
      const { action } = request.params;
      let error: AppError | undefined;
      try {
        if (action === 'next' || action === 'previous') await stepQuestion(deps, at.manager, poll.code, action);
        else if (action === 'timer')
          await timeCurrent(deps, at.manager, poll.code, formSeconds(request.body?.seconds ?? ''));
        else if (action === 'leaderboard' || action === 'hide-leaderboard')
          await showLeaderboard(deps, at.manager, poll.code, action === 'leaderboard');
        else await actOnCurrent(deps, at.manager, poll.code, action);
      } catch (caught) {
        if (!isAppError(caught) || caught.status >= 500) throw caught;
        error = caught;
      }
      if (request.query.partial !== '1' && !error) {
        const notice = NOTICES[action] ? `?notice=${action}` : '';
        return reply.redirect(`${pollPaths(poll.code)[back]}${notice}`, 303);
      }
      return render(request, reply, back, { notice: error ? undefined : NOTICES[action], error });
    },
  );
}
