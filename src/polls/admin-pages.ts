import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Db, MAX_ROW_ID } from '../db/database.js';
import { AppError, isAppError } from '../errors.js';
import { isLocale } from '../i18n/locales.js';
import { t } from '../i18n/request-language.js';
import { signedInUser } from '../plugins/auth.js';
import type { QuestionView } from '../realtime/messages.js';
import { dashboardPage, type PollPanel, pollDeletePrompt } from '../views/admin-views.js';
import { type Confirmation, confirmationPage } from '../views/confirm-views.js';
import {
  confirmable,
  type FormBody,
  formSchema,
  formSeconds,
  formText,
  isConfirmed,
  optionRowsField,
  PageQuestionParams,
  postedKindDraft,
  postedOptions,
  postedQuestionFields,
  postedRows,
  querySchema,
} from '../views/form-fields.js';
import { deleteQuestionLabel, deleteQuestionPrompt } from '../views/format.js';
import { sendHtml } from '../views/send-html.js';
import { DEFAULT_POLL_CODE } from './codes.js';
import { hasOptions } from './kinds/index.js';
import { kindSettingFields } from './kinds/templates.js';
import { hiddenList, moderate, setProfanityFilter } from './moderation.js';
import { pollPaths } from './paths.js';
import { CodeParams, type QuestionEdit } from './schemas.js';
import {
  activateQuestion,
  closeQuestion,
  createPoll,
  createQuestionFromImages,
  createTypedQuestion,
  deletePoll,
  deleteQuestion,
  editQuestion,
  listPolls,
  listQuestions,
  type Manager,
  managedQuestion,
  managedQuestionPoll,
  moveQuestion,
  type PollDeps,
  requireManagedPoll,
  revealAnswer,
  setVoteRules,
} from './service.js';
import { readImageUpload } from './uploads.js';

/** What a page says after an action, named in its address (`?notice=`); nothing for another name. */
function noticeText(name: string | undefined): string | undefined {
  switch (name) {
    case 'created':
      return t('organizer.notices.created');
    case 'typed':
      return t('organizer.notices.typed');
    case 'saved':
      return t('organizer.notices.saved');
    case 'activated':
      return t('organizer.notices.activated');
    case 'closed':
      return t('organizer.notices.closed');
    case 'revealed':
      return t('organizer.notices.revealed');
    case 'hidden':
      return t('organizer.notices.hidden');
    case 'shown':
      return t('organizer.notices.shown');
    case 'deleted':
      return t('organizer.notices.deleted');
    case 'poll-created':
      return t('organizer.notices.pollCreated');
    case 'rules-saved':
      return t('organizer.notices.rulesSaved');
    case 'poll-deleted':
      return t('organizer.notices.pollDeleted');
    default:
      return undefined;
  }
}

type PageQuery = { review?: string; notice?: string };
interface PollRoute {
  Params: { code: string };
  Querystring: PageQuery;
  Body: FormBody;
}
type PollRequest = FastifyRequest<PollRoute>;
type QuestionRequest = FastifyRequest<{ Params: { id: string }; Body: FormBody }>;

interface PageState {
  review?: number | undefined;
  notice?: string | undefined;
  error?: AppError | undefined;
  draft?: PollPanel['draft'];
  newPollTitle?: string;
}

/** A row id posted in a form or a path; past what an id column holds, there is no such row. */
const rowId = (value: string, missing: AppError) => {
  const id = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (id < 1 || id > MAX_ROW_ID || Number.isNaN(id)) throw missing;
  return id;
};
const toQuestionId = (value: string) => rowId(value, new AppError('question_not_found', 'errors.noSuchQuestion'));

/** The organizer's dashboard and poll pages: every form posts back and works without JavaScript. */
export default async function adminPages(
  app: FastifyInstance,
  { deps, maxImageBytes, ocrLanguages }: { deps: PollDeps; maxImageBytes: number; ocrLanguages: readonly string[] },
) {
  const managerOf = (request: FastifyRequest): Manager => ({ user: signedInUser(request) });

  /** The dashboard (no poll code: the admin's default poll, or an organizer's poll list) or one poll's page. */
  const render = async (request: FastifyRequest, reply: FastifyReply, code: string | null, state: PageState) => {
    const user = signedInUser(request);
    const managed = code ?? (user.role === 'admin' ? DEFAULT_POLL_CODE : null);
    let panel: PollPanel | null = null;
    if (managed) {
      const poll = await requireManagedPoll(deps.db, managerOf(request), managed);
      const questions = await listQuestions(deps.db, poll);
      const review =
        questions.find((question) => question.id === state.review) ??
        questions.find((question) => question.status === 'live') ??
        null;
      const current = questions.find((question) => question.id === poll.current_question_id);
      panel = {
        poll,
        questions,
        hidden: current && (await moderatedList(deps.db, current)),
        review,
        draft: state.draft,
        maxImageBytes,
        ocrProvider: app.ocrFor('configured').name,
        ocrLanguages,
        joined: deps.audience.joined(poll.code),
      };
    }
    const frame = { username: user.username, isAdmin: user.role === 'admin', csrf: app.csrfToken(request) };
    const page = dashboardPage(frame, {
      polls: await listPolls(deps.db, user),
      panel,
      newPollTitle: state.newPollTitle,
      notice: state.notice,
      error: state.error?.localized(),
    });
    return sendHtml(reply, page, state.error?.status ?? 200);
  };

  const stateFromQuery = (query: PageQuery): PageState => {
    const review = Number(query.review);
    return {
      review: Number.isSafeInteger(review) ? review : undefined,
      notice: noticeText(query.notice),
    };
  };

  // Page errors are shown on the page of the poll they concern, with the forms still there to retry.
  const orShowError = async (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string | null | (() => Promise<string | null>),
    action: () => Promise<FastifyReply>,
    state: PageState = {},
  ) => {
    try {
      return await action();
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.status >= 500) request.log.warn({ code: error.code, cause: error.cause }, error.message);
      return render(request, reply, typeof code === 'function' ? await code() : code, { ...state, error });
    }
  };
  /** The code of the poll a question belongs to, for showing an error about it there. */
  const pollOfQuestion = (request: QuestionRequest) => async () => {
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id)) return null;
    return (await managedQuestionPoll(deps.db, managerOf(request), id))?.code ?? null;
  };

  const guarded = { preHandler: app.requirePageUser };
  const pageQuery = querySchema({ review: 12, notice: 40 });
  /** A form posted about one poll or one question. */
  const pollForm = (body = formSchema({})) => ({ ...guarded, schema: { params: CodeParams, body } });
  const questionForm = (body = formSchema({})) => ({ ...guarded, schema: { params: PageQuestionParams, body } });
  const backTo = (reply: FastifyReply, code: string, query: string) =>
    reply.redirect(`${pollPaths(code).admin}?${query}`, 303);
  /** Without JavaScript a destructive form comes here unconfirmed: ask on a page of its own. */
  const askFirst = (request: FastifyRequest, reply: FastifyReply, confirmation: Omit<Confirmation, 'csrf'>) => {
    const user = signedInUser(request);
    const frame = { username: user.username, isAdmin: user.role === 'admin', csrf: app.csrfToken(request) };
    return sendHtml(reply, confirmationPage(frame, { ...confirmation, csrf: frame.csrf }));
  };

  app.get<{ Querystring: PageQuery }>('/admin', { ...guarded, schema: { querystring: pageQuery } }, (request, reply) =>
    render(request, reply, null, stateFromQuery(request.query)),
  );

  app.get(
    '/admin/polls/:code',
    { ...guarded, schema: { params: CodeParams, querystring: pageQuery } },
    (request: PollRequest, reply) => render(request, reply, request.params.code, stateFromQuery(request.query)),
  );

  app.post<PollRoute>(
    '/admin/polls',
    { preHandler: [app.requirePageUser, app.limits.create], schema: { body: formSchema({ title: 5000 }) } },
    (request: PollRequest, reply) => {
      const title = formText(request.body, 'title', 500);
      return orShowError(
        request,
        reply,
        null,
        async () => {
          const poll = await createPoll(deps.db, signedInUser(request), { title });
          return backTo(reply, poll.code, 'notice=poll-created');
        },
        { newPollTitle: title },
      );
    },
  );

  app.post(
    '/admin/polls/:code/rules',
    pollForm(
      formSchema({ oneVotePerAddress: 8, votesChangeable: 8, profanityFilter: 8, hideResults: 8, language: 16 }),
    ),
    (request: PollRequest, reply) =>
      orShowError(request, reply, request.params.code, async () => {
        const manager = managerOf(request);
        const poll = await setVoteRules(deps.db, manager, request.params.code, {
          oneVotePerAddress: request.body?.oneVotePerAddress === '1',
          votesChangeable: request.body?.votesChangeable === '1',
          hideResults: request.body?.hideResults === '1',
          language: isLocale(request.body?.language) ? request.body.language : null,
        });
        await setProfanityFilter(deps, manager, poll.code, request.body?.profanityFilter === '1');
        return backTo(reply, poll.code, 'notice=rules-saved');
      }),
  );

  app.post('/admin/polls/:code/delete', pollForm(confirmable), (request: PollRequest, reply) =>
    orShowError(request, reply, request.params.code, async () => {
      if (!isConfirmed(request.body)) {
        const poll = await requireManagedPoll(deps.db, managerOf(request), request.params.code);
        const questions = await listQuestions(deps.db, poll);
        return askFirst(request, reply, {
          title: t('organizer.poll.deleteTitle'),
          message: pollDeletePrompt({ poll, questions }),
          action: `${pollPaths(poll.code).adminActions}/delete`,
          confirmLabel: t('organizer.poll.delete'),
          cancelHref: pollPaths(poll.code).admin,
        });
      }
      await deletePoll(deps, managerOf(request), request.params.code);
      return reply.redirect('/admin?notice=poll-deleted', 303);
    }),
  );

  const typedQuestion = formSchema(
    { text: 20_000, activate: 8, more: 8, kind: 16, hideResults: 8, timeLimitSec: 8, ...kindSettingFields },
    optionRowsField,
  );
  app.post('/admin/polls/:code/questions', pollForm(typedQuestion), (request: PollRequest, reply) => {
    const draft = {
      text: formText(request.body, 'text', 5000),
      options: postedOptions(request.body, 40),
      extraRow: false,
      timeLimit: formText(request.body, 'timeLimitSec', 8),
      ...postedKindDraft(request.body),
    };
    const { code } = request.params;
    // "Add option" without JavaScript: the same form again, its rows as they were and one more.
    if (request.body?.more) {
      return render(request, reply, code, {
        draft: { ...draft, options: postedRows(request.body, 40), extraRow: true },
      });
    }
    return orShowError(
      request,
      reply,
      code,
      async () => {
        const poll = await requireManagedPoll(deps.db, managerOf(request), code);
        const activate = request.body?.activate === 'true';
        const question = await createTypedQuestion(
          deps,
          poll,
          { text: draft.text, ...postedQuestionFields(request.body) },
          {
            activate,
            hideResults: request.body?.hideResults === '1',
            timeLimitSec: draft.timeLimit === '' ? undefined : formSeconds(draft.timeLimit),
          },
        );
        return backTo(reply, poll.code, `review=${question.id}&notice=${activate ? 'activated' : 'typed'}`);
      },
      { draft },
    );
  });

  app.post<PollRoute>(
    '/admin/polls/:code/questions/from-images',
    // Multipart: the body is read as a stream by readImageUpload, with its own limits.
    {
      preHandler: [app.requirePageUser, app.limits.upload],
      config: { multipart: true },
      schema: { params: CodeParams, querystring: querySchema({}) },
    },
    (request: PollRequest, reply) =>
      orShowError(request, reply, request.params.code, async () => {
        const poll = await requireManagedPoll(deps.db, managerOf(request), request.params.code);
        const { ocr, ...upload } = await readImageUpload(request, maxImageBytes);
        const { question } = await createQuestionFromImages(deps, app.ocrFor(ocr), poll, upload);
        return backTo(
          reply,
          poll.code,
          `review=${question.id}&notice=${upload.activate ? 'activated' : 'created'}#review`,
        );
      }),
  );

  // The review step: "Confirm and go live" saves the corrections and makes the question live in one go.
  const questionEdit = formSchema({ text: 20_000, activate: 8, kind: 16, ...kindSettingFields }, optionRowsField);
  app.post('/admin/questions/:id/edit', questionForm(questionEdit), (request: QuestionRequest, reply) =>
    orShowError(
      request,
      reply,
      pollOfQuestion(request),
      async () => {
        const id = toQuestionId(request.params.id);
        const question = await editQuestion(deps, managerOf(request), id, {
          text: formText(request.body, 'text', 5000) || undefined,
          // A question of a kind without options has no option rows to post.
          options: request.body?.options === undefined ? undefined : postedOptions(request.body, 40),
          ...(request.body?.kind === undefined ? {} : postedReshape(request.body)),
        });
        if (request.body?.activate === 'true') {
          await activateQuestion(deps, managerOf(request), id);
          return backTo(reply, question.pollCode, `review=${id}&notice=activated#review`);
        }
        return backTo(reply, question.pollCode, `review=${id}&notice=saved#review`);
      },
      { review: Number(request.params.id) },
    ),
  );

  for (const [action, change, notice] of [
    ['activate', activateQuestion, 'activated'],
    ['close', closeQuestion, 'closed'],
    ['reveal', revealAnswer, 'revealed'],
  ] as const) {
    app.post(`/admin/questions/:id/${action}`, questionForm(), (request: QuestionRequest, reply) =>
      orShowError(request, reply, pollOfQuestion(request), async () => {
        const question = await change(deps, managerOf(request), toQuestionId(request.params.id));
        return backTo(reply, question.pollCode, `notice=${notice}`);
      }),
    );
  }

  for (const [action, hide] of [
    ['hide', true],
    ['show', false],
  ] as const) {
    app.post(
      `/admin/questions/:id/${action}`,
      questionForm(formSchema({ text: 100, answerId: 12 })),
      (request: QuestionRequest, reply) =>
        orShowError(request, reply, pollOfQuestion(request), async () => {
          const id = toQuestionId(request.params.id);
          const answer = formText(request.body, 'answerId', 12);
          const target = answer
            ? { answerId: rowId(answer, new AppError('not_found', 'errors.noSuchAnswer')) }
            : { text: formText(request.body, 'text', 100) };
          const { pollCode } = await moderate(deps, managerOf(request), id, target, hide);
          return backTo(reply, pollCode, `notice=${hide ? 'hidden' : 'shown'}#live`);
        }),
    );
  }

  app.post('/admin/questions/:id/delete', questionForm(confirmable), (request: QuestionRequest, reply) =>
    orShowError(request, reply, pollOfQuestion(request), async () => {
      const id = toQuestionId(request.params.id);
      if (!isConfirmed(request.body)) {
        const question = await managedQuestion(deps.db, managerOf(request), id);
        return askFirst(request, reply, {
          title: t('organizer.questions.deleteTitle'),
          message: deleteQuestionPrompt(question.text, question.totalVotes),
          action: `/admin/questions/${id}/delete`,
          confirmLabel: deleteQuestionLabel(question.totalVotes),
          cancelHref: `${pollPaths(question.pollCode).admin}#question-${id}`,
        });
      }
      const pollCode = await deleteQuestion(deps, managerOf(request), id);
      return backTo(reply, pollCode, 'notice=deleted');
    }),
  );

  app.post('/admin/questions/:id/move', questionForm(formSchema({ direction: 8 })), (request: QuestionRequest, reply) =>
    orShowError(request, reply, pollOfQuestion(request), async () => {
      const id = toQuestionId(request.params.id);
      const direction = request.body?.direction;
      if (direction !== 'up' && direction !== 'down') {
        throw new AppError('validation_failed', 'organizer.errors.moveDirection');
      }
      const questions = await moveQuestion(deps, managerOf(request), id, direction);
      const pollCode = questions.find((question) => question.id === id)?.pollCode ?? DEFAULT_POLL_CODE;
      return reply.redirect(`${pollPaths(pollCode).admin}#question-${id}`, 303);
    }),
  );
}

/** What is hidden of a word cloud or an open question, for its moderation; nothing for another kind. */
const moderatedList = (db: Db, question: QuestionView) =>
  question.kind === 'wordcloud' || question.kind === 'text' ? hiddenList(db, question.id) : undefined;

/** The review step's kind and settings as an edit takes them: no right options typed, no quiz. */
function postedReshape(body: FormBody): Pick<QuestionEdit, 'kind' | 'maxChoices' | 'correct'> {
  const { kind, maxChoices, correct } = postedQuestionFields(body);
  if (kind === undefined || !hasOptions(kind)) {
    throw new AppError('validation_failed', 'organizer.errors.imageKinds');
  }
  return { kind, ...(maxChoices === undefined ? {} : { maxChoices }), correct: correct ?? null };
}
