import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors.js';
import { t } from '../i18n/request-language.js';
import { hashToken } from '../tokens.js';
import { confirmationPage } from '../views/confirm-views.js';
import {
  confirmable,
  type FormBody,
  formSchema,
  formText,
  isConfirmed,
  optionRowsField,
  postedKindDraft,
  postedOptions,
  postedQuestionFields,
  postedRows,
  querySchema,
} from '../views/form-fields.js';
import { deletePollPrompt } from '../views/format.js';
import { errorPage, homePage } from '../views/poll-views.js';
import { sendCsv } from '../views/send-csv.js';
import { sendHtml } from '../views/send-html.js';
import { manageMain, managePage } from '../views/share-views.js';
import { kindSettingFields } from './kinds/templates.js';
import { manageCookies } from './manage-cookies.js';
import { pollPaths } from './paths.js';
import { closeQuickPoll, createQuickPoll, managedQuickPoll, reopenQuickPoll, revealQuickPoll } from './quick-polls.js';
import { CodeParams } from './schemas.js';
import { deletePoll, holdsManageToken, type PollDeps, pollResultsCsv, requirePoll } from './service.js';

interface CodeRoute {
  Params: { code: string };
  Querystring: { token?: string; notice?: string; partial?: string };
  Body: FormBody;
}
type CodeRequest = FastifyRequest<CodeRoute>;

/** What the manage page says after one of its actions. */
function noticeOf(notice: string | undefined): string | undefined {
  switch (notice) {
    case 'closed':
      return t('audience.manage.noticeClosed');
    case 'reopened':
      return t('audience.manage.noticeReopened');
    case 'revealed':
      return t('audience.manage.noticeRevealed');
    default:
      return undefined;
  }
}

/** Quick polls from the home page, and their creator's manage page. */
export default async function quickPollPages(app: FastifyInstance, { deps }: { deps: PollDeps }) {
  const quickPollForm = formSchema({ question: 20_000, more: 8, kind: 16, ...kindSettingFields }, optionRowsField);
  const manageForm = { schema: { params: CodeParams, body: formSchema({}) } };

  app.post<{ Body: FormBody }>(
    '/polls',
    { preHandler: app.limits.create, schema: { body: quickPollForm } },
    async (request, reply) => {
      const form = {
        question: formText(request.body, 'question', 5000),
        options: postedOptions(request.body, 40),
        extraRow: false,
        ...postedKindDraft(request.body),
      };
      // "Add option" without JavaScript: the same form again, its rows as they were and one more.
      if (request.body?.more) {
        return sendHtml(
          reply,
          homePage({ create: { ...form, options: postedRows(request.body, 40), extraRow: true } }),
        );
      }
      try {
        const { poll, manageToken } = await createQuickPoll(deps, {
          question: form.question,
          ...postedQuestionFields(request.body),
        });
        const cookies = manageCookies(poll.code);
        cookies.remember(reply, manageToken);
        cookies.giveFreshLink(reply, manageToken);
        return reply.redirect(pollPaths(poll.code).share, 303);
      } catch (error) {
        if (!isAppError(error) || error.status >= 500) throw error;
        return sendHtml(reply, homePage({ create: { ...form, error: error.localized() } }), error.status);
      }
    },
  );

  /** The manage token of the request's browser for this poll, or a 403. */
  const requireHolder = async (request: CodeRequest) => {
    const poll = await requirePoll(deps.db, request.params.code);
    const token = manageCookies(poll.code).holder(request, poll);
    if (!token) {
      throw new AppError('forbidden', 'audience.manage.creatorOnly');
    }
    return { poll, token, csrf: app.csrfTokenFor(hashToken(token)) };
  };

  const showForbidden = (reply: FastifyReply, error: AppError) =>
    sendHtml(reply, errorPage(t('audience.manage.notYourPoll'), error.localized()), error.status);

  const manageQuery = querySchema({ token: 200, notice: 40, partial: 8 });
  app.get(
    '/p/:code/manage',
    { schema: { params: CodeParams, querystring: manageQuery } },
    async (request: CodeRequest, reply) => {
      const { token } = request.query;
      if (token) {
        // The link from the share page: remember the token in this browser, then drop it from the address bar.
        const poll = await requirePoll(deps.db, request.params.code);
        if (!holdsManageToken(poll, token)) {
          return showForbidden(reply, new AppError('forbidden', 'audience.manage.invalidLink'));
        }
        manageCookies(poll.code).remember(reply, token);
        return reply.redirect(pollPaths(poll.code).manage, 303);
      }
      try {
        const holder = await requireHolder(request);
        const { poll, question } = await managedQuickPoll(deps, { manageToken: holder.token }, holder.poll.code);
        const view = { poll, question, csrf: holder.csrf, notice: noticeOf(request.query.notice) };
        return sendHtml(reply, request.query.partial === '1' ? manageMain(view) : managePage(view));
      } catch (error) {
        if (isAppError(error) && error.code === 'forbidden') return showForbidden(reply, error);
        throw error;
      }
    },
  );

  app.get(
    '/p/:code/manage/results.csv',
    { schema: { params: CodeParams, querystring: querySchema({}) } },
    async (request: CodeRequest, reply) => {
      try {
        const holder = await requireHolder(request);
        return sendCsv(
          reply,
          await pollResultsCsv(deps.db, { manageToken: holder.token }, holder.poll.code, new Date()),
        );
      } catch (error) {
        if (isAppError(error) && error.code === 'forbidden') return showForbidden(reply, error);
        throw error;
      }
    },
  );

  for (const [action, change, notice] of [
    ['close', closeQuickPoll, 'closed'],
    ['reopen', reopenQuickPoll, 'reopened'],
    ['reveal', revealQuickPoll, 'revealed'],
  ] as const) {
    app.post(`/p/:code/manage/${action}`, manageForm, async (request: CodeRequest, reply) => {
      const holder = await requireHolder(request);
      app.checkCsrf(request, holder.csrf);
      await change(deps, { manageToken: holder.token }, holder.poll.code);
      return reply.redirect(`${pollPaths(holder.poll.code).manage}?notice=${notice}`, 303);
    });
  }

  app.post<CodeRoute>(
    '/p/:code/manage/delete',
    { schema: { params: CodeParams, body: confirmable } },
    async (request, reply) => {
      const holder = await requireHolder(request);
      app.checkCsrf(request, holder.csrf);
      if (!isConfirmed(request.body)) {
        const { poll, question } = await managedQuickPoll(deps, { manageToken: holder.token }, holder.poll.code);
        const page = confirmationPage(null, {
          title: t('audience.manage.deleteTitle'),
          message: deletePollPrompt(poll.title, 1, question.totalVotes),
          action: `${pollPaths(poll.code).manage}/delete`,
          confirmLabel: t('audience.manage.delete'),
          cancelHref: pollPaths(poll.code).manage,
          csrf: holder.csrf,
        });
        return sendHtml(reply, page);
      }
      await deletePoll(deps, { manageToken: holder.token }, holder.poll.code);
      manageCookies(holder.poll.code).forget(reply);
      return reply.redirect('/?deleted=1', 303);
    },
  );
}
