import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PollRow } from '../db/database.js';
import { AppError, isAppError } from '../errors.js';
import { hashToken, tokenMatches } from '../tokens.js';
import { postedOptions } from '../views/option-rows.js';
import { errorPage, homePage } from '../views/poll-views.js';
import { sendHtml } from '../views/send-html.js';
import { manageMain, managePage } from '../views/share-views.js';
import { pollPaths } from './paths.js';
import { closeQuickPoll, createQuickPoll, managedQuickPoll, reopenQuickPoll } from './quick-polls.js';
import { deletePoll, type PollDeps, requirePoll } from './service.js';

const MANAGE_COOKIE = 'pc_manage';
const FRESH_LINK_COOKIE = 'pc_manage_once';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The creator's browser keeps the manage token in a cookie scoped to the poll's pages, so
 * that it can manage the poll without the link; the link itself travels once, in a
 * short-lived cookie read by the share page, not in the address of the redirect after creation.
 */
export function manageCookies(code: string) {
  const paths = pollPaths(code);
  const base = { httpOnly: true, sameSite: 'lax', secure: 'auto', signed: true } as const;
  const read = (request: FastifyRequest, name: string) => {
    const raw = request.cookies[name];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    return unsigned?.valid && unsigned.value ? unsigned.value : undefined;
  };
  return {
    remember(reply: FastifyReply, token: string) {
      reply.setCookie(MANAGE_COOKIE, token, { ...base, path: `/p/${code}`, maxAge: ONE_YEAR_SECONDS });
    },
    forget(reply: FastifyReply) {
      reply.clearCookie(MANAGE_COOKIE, { path: `/p/${code}` });
    },
    giveFreshLink(reply: FastifyReply, token: string) {
      reply.setCookie(FRESH_LINK_COOKIE, token, { ...base, path: paths.share, maxAge: 600 });
    },
    /** The manage link (a path) if the poll was just made in this browser; it is shown once. */
    takeFreshLink(request: FastifyRequest, reply: FastifyReply): string | undefined {
      const token = read(request, FRESH_LINK_COOKIE);
      if (!token) return undefined;
      reply.clearCookie(FRESH_LINK_COOKIE, { path: paths.share });
      return `${paths.manage}?token=${encodeURIComponent(token)}`;
    },
    /** The manage token this browser holds for the poll, if it is the right one. */
    holder(request: FastifyRequest, poll: PollRow): string | null {
      const token = read(request, MANAGE_COOKIE);
      return token && poll.manage_token_hash && tokenMatches(token, poll.manage_token_hash) ? token : null;
    },
  };
}

type CodeRequest = FastifyRequest<{
  Params: { code: string };
  Querystring: { token?: string; notice?: string; partial?: string };
}>;

const NOTICES: Record<string, string> = {
  closed: 'Voting is closed. The results stay here.',
  reopened: 'Voting is open again.',
};

/** Quick polls from the home page, and their creator's manage page. */
export default async function quickPollPages(app: FastifyInstance, { deps }: { deps: PollDeps }) {
  app.post<{ Body: Record<string, unknown> | undefined }>('/polls', async (request, reply) => {
    const question = typeof request.body?.question === 'string' ? request.body.question.slice(0, 5000) : '';
    const form = { question, options: postedOptions(request.body?.options).slice(0, 40), extraRow: false };
    // "Add option" without JavaScript: the same form again, one row longer.
    if (request.body?.more) return sendHtml(reply, homePage({ create: { ...form, extraRow: true } }));
    try {
      const { poll, manageToken } = await createQuickPoll(deps, form);
      const cookies = manageCookies(poll.code);
      cookies.remember(reply, manageToken);
      cookies.giveFreshLink(reply, manageToken);
      return reply.redirect(pollPaths(poll.code).share, 303);
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      return sendHtml(reply, homePage({ create: { ...form, error: error.message } }), error.status);
    }
  });

  /** The manage token of the request's browser for this poll, or a 403. */
  const requireHolder = async (request: CodeRequest) => {
    const poll = await requirePoll(deps.db, request.params.code);
    const token = manageCookies(poll.code).holder(request, poll);
    if (!token) {
      throw new AppError(
        'forbidden',
        'Only the creator of this poll can manage it: open the private manage link you were given.',
      );
    }
    return { poll, token, csrf: app.csrfTokenFor(hashToken(token)) };
  };

  const showForbidden = (reply: FastifyReply, error: AppError) =>
    sendHtml(reply, errorPage('Not your poll', error.message), error.status);

  app.get('/p/:code/manage', async (request: CodeRequest, reply) => {
    const { token } = request.query;
    if (token) {
      // The link from the share page: remember the token in this browser, then drop it from the address bar.
      const poll = await requirePoll(deps.db, request.params.code);
      if (!poll.manage_token_hash || !tokenMatches(token, poll.manage_token_hash)) {
        return showForbidden(reply, new AppError('forbidden', 'This manage link is not valid for this poll.'));
      }
      manageCookies(poll.code).remember(reply, token);
      return reply.redirect(pollPaths(poll.code).manage, 303);
    }
    try {
      const holder = await requireHolder(request);
      const { poll, question } = await managedQuickPoll(deps, { manageToken: holder.token }, holder.poll.code);
      const view = { poll, question, csrf: holder.csrf, notice: NOTICES[request.query.notice ?? ''] };
      return sendHtml(reply, request.query.partial === '1' ? manageMain(view) : managePage(view));
    } catch (error) {
      if (isAppError(error) && error.code === 'forbidden') return showForbidden(reply, error);
      throw error;
    }
  });

  for (const [action, change, notice] of [
    ['close', closeQuickPoll, 'closed'],
    ['reopen', reopenQuickPoll, 'reopened'],
  ] as const) {
    app.post(`/p/:code/manage/${action}`, async (request: CodeRequest, reply) => {
      const holder = await requireHolder(request);
      app.checkCsrf(request, holder.csrf);
      await change(deps, { manageToken: holder.token }, holder.poll.code);
      return reply.redirect(`${pollPaths(holder.poll.code).manage}?notice=${notice}`, 303);
    });
  }

  app.post('/p/:code/manage/delete', async (request: CodeRequest, reply) => {
    const holder = await requireHolder(request);
    app.checkCsrf(request, holder.csrf);
    await deletePoll(deps, { manageToken: holder.token }, holder.poll.code);
    manageCookies(holder.poll.code).forget(reply);
    return reply.redirect('/?deleted=1', 303);
  });
}
