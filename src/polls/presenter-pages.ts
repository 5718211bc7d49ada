import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { PollRow } from '../db/database.js';
import { type AppError, isAppError } from '../errors.js';
import { t, useAudienceLanguage } from '../i18n/request-language.js';
import type { QaItem } from '../realtime/messages.js';
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
import { moderateMain, moderatePage } from '../views/qa-views.js';
import { sendCsv } from '../views/send-csv.js';
import { sendHtml } from '../views/send-html.js';
import { manageCookies } from './manage-cookies.js';
import { actOnCurrent, paceOf, stepQuestion, timeCurrent } from './pacing.js';
import { pollPaths, pollUrls, siteUrl } from './paths.js';
import { findQaItem } from './qa-queries.js';
import { changeQaSettings, managedQa, moderateQuestion, type QaAction, qaExport, qaItemOf } from './qa-service.js';
import { CodeParams, QaActionParams } from './schemas.js';
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

/** What the remote says after a control, if anything. */
function controlNotice(control: string | undefined): string | undefined {
  switch (control as Control | undefined) {
    case 'close':
      return t('organizer.control.closed');
    case 'reopen':
      return t('organizer.control.reopened');
    case 'reveal':
      return t('organizer.control.revealed');
    case 'timer':
      return t('organizer.control.timer');
    case 'stop-timer':
      return t('organizer.control.timerStopped');
    case 'leaderboard':
      return t('organizer.control.leaderboard');
    case 'hide-leaderboard':
      return t('organizer.control.leaderboardHidden');
    default:
      return undefined;
  }
}

/** What the Q&A page says after a moderation or a change of its settings. */
function qaNotice(action: string | undefined): string | undefined {
  switch (action as QaAction | 'settings' | undefined) {
    case 'approve':
      return t('organizer.qaNotices.approved');
    case 'dismiss':
      return t('organizer.qaNotices.dismissed');
    case 'answered':
      return t('organizer.qaNotices.answered');
    case 'unanswered':
      return t('organizer.qaNotices.unanswered');
    case 'highlight':
      return t('organizer.qaNotices.highlighted');
    case 'unhighlight':
      return t('organizer.qaNotices.unhighlighted');
    case 'settings':
      return t('organizer.qaNotices.settings');
    default:
      return undefined;
  }
}

/** The question from the audience the presenter view highlights, if one. */
async function highlightedQuestion(deps: PollDeps, poll: PollRow): Promise<QaItem | null> {
  if (poll.qa_highlight_id === null) return null;
  const item = await findQaItem(deps.db, poll.qa_highlight_id);
  return item && item.poll_id === poll.id && item.status === 'approved' ? qaItemOf(item, poll) : null;
}

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
    // The projector speaks to the room; the remote, to its organizer.
    if (page === 'present') useAudienceLanguage(poll.language);
    const manager = await managerAt(request, poll);
    // The projector is the room's screen: it shows what the audience may see, even to the organizer.
    const question = await currentQuestionOf(deps.db, poll, { forOrganizer: page === 'remote' && manager !== null });
    const presenter: Presenter | null = manager && {
      csrf: manager.csrf,
      pace: await paceOf(deps.db, poll),
      // The projector shows no notices: the room sees what the control did.
      notice: page === 'remote' ? said.notice : undefined,
      error: said.error?.localized(),
    };
    // The manager's controls offer the leaderboard once it has players; others see it while it shows.
    const leaderboard = presenter || poll.show_leaderboard === 1 ? await leaderboardOf(deps, poll) : null;
    const highlighted = await highlightedQuestion(deps, poll);
    const partial = request.query.partial === '1';
    const status = said.error?.status ?? 200;
    if (page === 'present') {
      const joinUrl = pollUrls(siteUrl(request, publicUrl), poll.code).vote;
      const joined = deps.audience.joined(poll.code);
      const view = { poll, question, leaderboard, highlighted, presenter, joinUrl, joined };
      return sendHtml(reply, partial ? presentMain(view) : presentPage(view), status);
    }
    if (!presenter) return refuseRemote(request, reply, poll);
    const view = { poll, question, leaderboard, presenter, joined: deps.audience.joined(poll.code) };
    return sendHtml(reply, partial ? remoteMain(view) : remotePage(view), status);
  };

  /** A poll with an owner asks its owner to sign in; a quick poll's creator needs their manage link. */
  const refuseRemote = async (
    request: FastifyRequest,
    reply: FastifyReply,
    poll: PollRow,
    page = pollPaths(poll.code).remote,
  ) => {
    if (poll.owner_id !== null && !(await app.pageUser(request))) {
      return reply.redirect(`/admin/login?next=${encodeURIComponent(page)}`, 303);
    }
    const message = poll.owner_id === null ? t('organizer.control.onlyCreator') : t('organizer.control.onlyOrganizer');
    return sendHtml(reply, errorPage(t('organizer.control.notYourPoll'), message), 403);
  };

  const pageQuery = querySchema({ partial: 8, notice: 16 });
  const noticeOf = (request: PresenterRequest) => controlNotice(request.query.notice);

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

  type ModerateRequest = FastifyRequest<{
    Params: { code: string };
    Querystring: { partial?: string; qa?: string; notice?: string };
  }>;
  /** The organizer's Q&A page: the poll's manager moderates questions from the audience, from a laptop or a phone. */
  const renderModeration = async (
    request: FastifyRequest<{ Params: { code: string }; Querystring: { partial?: string; qa?: string } }>,
    reply: FastifyReply,
    said: { notice?: string | undefined; error?: AppError | undefined } = {},
  ) => {
    const poll = await requirePoll(deps.db, request.params.code);
    const at = await managerAt(request, poll);
    if (!at) return refuseRemote(request, reply, poll, pollPaths(poll.code).moderate);
    const sort = request.query.qa === 'newest' ? 'newest' : 'votes';
    const view = {
      poll,
      qa: await managedQa(deps, at.manager, poll.code, sort),
      sort,
      csrf: at.csrf,
      notice: said.notice,
      error: said.error?.localized(),
    } as const;
    const status = said.error?.status ?? 200;
    return sendHtml(reply, request.query.partial === '1' ? moderateMain(view) : moderatePage(view), status);
  };

  /** A form of the Q&A page: the poll and its manager at this browser; anyone else is sent away. */
  const qaManagerAt = async (request: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply) => {
    const poll = await requirePoll(deps.db, request.params.code);
    const at = await managerAt(request, poll);
    if (!at) {
      await refuseRemote(request, reply, poll, pollPaths(poll.code).moderate);
      return null;
    }
    app.checkCsrf(request, at.csrf);
    return { poll, manager: at.manager };
  };

  app.get(
    '/p/:code/moderate',
    { schema: { params: CodeParams, querystring: querySchema({ partial: 8, qa: 8, notice: 16 }) } },
    (request: ModerateRequest, reply) => renderModeration(request, reply, { notice: qaNotice(request.query.notice) }),
  );

  app.get('/p/:code/qa.csv', { schema: { params: CodeParams } }, async (request: PresenterRequest, reply) => {
    const poll = await requirePoll(deps.db, request.params.code);
    const at = await managerAt(request, poll);
    if (!at) return refuseRemote(request, reply, poll, pollPaths(poll.code).moderate);
    return sendCsv(reply, await qaExport(deps, at.manager, poll.code, new Date()));
  });

  app.post(
    '/p/:code/qa/:id/:action',
    { schema: { params: QaActionParams, querystring: pageQuery, body: formSchema({}) } },
    async (
      request: FastifyRequest<{
        Params: { code: string; id: number; action: QaAction };
        Querystring: { partial?: string };
      }>,
      reply,
    ) => {
      const held = await qaManagerAt(request, reply);
      if (!held) return reply;
      const { poll, manager } = held;
      const { id, action } = request.params;
      let error: AppError | undefined;
      try {
        await moderateQuestion(deps, manager, poll.code, id, action);
      } catch (caught) {
        if (!isAppError(caught) || caught.status >= 500) throw caught;
        error = caught;
      }
      if (request.query.partial !== '1' && !error) {
        return reply.redirect(`${pollPaths(poll.code).moderate}?notice=${action}`, 303);
      }
      return renderModeration(request, reply, { notice: error ? undefined : qaNotice(action), error });
    },
  );

  app.post(
    '/p/:code/qa-settings',
    { schema: { params: CodeParams, body: formSchema({ open: 8, moderated: 8, named: 8 }) } },
    async (
      request: FastifyRequest<{
        Params: { code: string };
        Body: { open?: string; moderated?: string; named?: string } | undefined;
      }>,
      reply,
    ) => {
      const held = await qaManagerAt(request, reply);
      if (!held) return reply;
      const { poll, manager } = held;
      // Unticked boxes are not sent.
      const ticked = (name: 'open' | 'moderated' | 'named') => request.body?.[name] === '1';
      await changeQaSettings(deps, manager, poll.code, {
        open: ticked('open'),
        moderated: ticked('moderated'),
        named: ticked('named'),
      });
      return reply.redirect(`${pollPaths(poll.code).moderate}?notice=settings`, 303);
    },
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
        const notice = controlNotice(action) ? `?notice=${action}` : '';
        return reply.redirect(`${pollPaths(poll.code)[back]}${notice}`, 303);
      }
      return render(request, reply, back, { notice: error ? undefined : controlNotice(action), error });
    },
  );
}
