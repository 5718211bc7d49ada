import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../errors.js';
import { signedInUser } from '../plugins/auth.js';
import { sendCsv } from '../views/send-csv.js';
import { normalizeJoinCode } from './codes.js';
import { managedHiddenList, moderate, setProfanityFilter } from './moderation.js';
import { stepQuestion } from './pacing.js';
import { manageLinkPath, pollUrls, siteUrl } from './paths.js';
import {
  askQuestion,
  audienceQa,
  changeQaSettings,
  managedQa,
  moderateQuestion,
  qaExport,
  upvoteQuestion,
} from './qa-service.js';
import { closeQuickPoll, createQuickPoll, managedQuickPoll, reopenQuickPoll, revealQuickPoll } from './quick-polls.js';
import {
  AskBody,
  AudienceQaSchema,
  CodeParams,
  CreatedPollSchema,
  CreatedQuickPollSchema,
  EditQuestionBody,
  FromImagesResponse,
  HiddenListSchema,
  LeaderboardBody,
  LeaderboardSchema,
  ManagedPollSchema,
  ManagedQaSchema,
  ManageTokenHeaders,
  ModerationBody,
  MoveQuestionBody,
  NewPollBody,
  NewQuestionBody,
  NicknameBody,
  NicknameSchema,
  NoBody,
  OpenAnswersSchema,
  PollListSchema,
  PollRulesSchema,
  PollSchema,
  QaActionParams,
  QaItemParams,
  QaItemSchema,
  QaSettingsBody,
  QaSettingsSchema,
  QaSortQuery,
  QaUpvoteSchema,
  QuestionEnvelope,
  QuestionIdParams,
  QuestionListSchema,
  QuickPollBody,
  ResultsSchema,
  StandingSchema,
  TimerBody,
  VoteBody,
  VoteRulesBody,
} from './schemas.js';
import {
  activateQuestion,
  castVote,
  closeQuestion,
  createPoll,
  createQuestionFromImages,
  createTypedQuestion,
  deletePoll,
  deleteQuestion,
  editQuestion,
  everyOpenAnswer,
  listPolls,
  listQuestions,
  type Manager,
  moveQuestion,
  type PollDeps,
  pollResultsCsv,
  pollSummary,
  questionResultsCsv,
  requireManagedPoll,
  requirePoll,
  revealAnswer,
  setVoteRules,
  voteRulesOf,
} from './service.js';
import { leaderboardOf, pickNickname, showLeaderboard, voterStanding } from './standings.js';
import { startCountdown, stopCountdown } from './timers.js';
import { readImageUpload } from './uploads.js';
import { ensureVoterId, voterIdOf } from './voter.js';

const NoContent = { 204: Type.Null() };

/** The polls JSON API: thin handlers over the domain functions of service.ts and quick-polls.ts. */
export default async function pollRoutes(
  app: FastifyInstance,
  { deps, maxImageBytes, publicUrl }: { deps: PollDeps; maxImageBytes: number; publicUrl: string | undefined },
) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  // The links of a new poll are worked out before it is made: a request whose host makes no link
  // is refused with nothing stored.
  const siteOf = (request: FastifyRequest) => siteUrl(request, publicUrl);

  // --- Voting and following (anyone) ---
  const audience = { tags: ['voting'] };

  api.get(
    '/api/polls/:code',
    { schema: { ...audience, params: CodeParams, response: { 200: PollSchema } } },
    (request) => pollSummary(deps.db, request.params.code),
  );

  api.get(
    '/api/polls/:code/results',
    { schema: { ...audience, params: CodeParams, response: { 200: ResultsSchema } } },
    async (request) => ({ question: (await pollSummary(deps.db, request.params.code)).liveQuestion }),
  );

  api.post(
    '/api/polls/:code/votes',
    {
      preHandler: app.limits.vote,
      schema: { ...audience, params: CodeParams, body: VoteBody, response: { 201: QuestionEnvelope } },
    },
    async (request, reply) => {
      // No poll lookup here: the vote batch checks, once per batch, that the question belongs to this poll.
      const pollCode = normalizeJoinCode(request.params.code);
      if (!pollCode) throw new AppError('poll_not_found', 'errors.noSuchPoll');
      const { questionId, ...answer } = request.body;
      const question = await castVote(deps, {
        pollCode,
        questionId,
        answer,
        voterId: ensureVoterId(request, reply),
        addressKey: () => app.addressKey(request),
      });
      return reply.status(201).send({ question });
    },
  );

  api.get(
    '/api/polls/:code/leaderboard',
    {
      schema: {
        ...audience,
        description: "The quiz leaderboard: points over the poll's revealed quiz questions, the first 10",
        params: CodeParams,
        response: { 200: LeaderboardSchema },
      },
    },
    async (request) => leaderboardOf(deps, await requirePoll(deps.db, request.params.code)),
  );

  api.get(
    '/api/polls/:code/standing',
    {
      schema: {
        ...audience,
        description: "This voter's (by the `pc_voter` cookie) nickname, points and rank on the quiz leaderboard",
        params: CodeParams,
        response: { 200: StandingSchema },
      },
    },
    async (request) => voterStanding(deps, await requirePoll(deps.db, request.params.code), voterIdOf(request)),
  );

  api.put(
    '/api/polls/:code/nickname',
    {
      preHandler: app.limits.vote,
      schema: {
        ...audience,
        description: "Picks (or changes) this voter's nickname on the poll's leaderboard; 409 `nickname_taken`",
        params: CodeParams,
        body: NicknameBody,
        response: { 200: NicknameSchema },
      },
    },
    async (request, reply) => ({
      nickname: await pickNickname(deps, request.params.code, ensureVoterId(request, reply), request.body.nickname),
    }),
  );

  // --- Audience Q&A (anyone asks and upvotes; the organizer moderates) ---
  const qaTags = { tags: ['audience Q&A'] };

  api.get(
    '/api/polls/:code/qa',
    {
      schema: {
        ...qaTags,
        description: 'The shown questions from the audience, and those this voter upvotes',
        params: CodeParams,
        querystring: QaSortQuery,
        response: { 200: AudienceQaSchema },
      },
    },
    async (request) =>
      audienceQa(
        deps,
        await requirePoll(deps.db, request.params.code),
        voterIdOf(request),
        request.query.sort ?? 'votes',
      ),
  );

  api.post(
    '/api/polls/:code/qa',
    {
      preHandler: app.limits.ask,
      schema: {
        ...qaTags,
        description:
          'Asks a question: shown at once, or (`status: pending`) once the organizer approves it; 409 `qa_closed` while the poll takes none',
        params: CodeParams,
        body: AskBody,
        response: { 201: QaItemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await askQuestion(deps, request.params.code, ensureVoterId(request, reply), request.body)),
  );

  for (const method of ['POST', 'DELETE'] as const) {
    api.route({
      method,
      url: '/api/polls/:code/qa/:id/upvote',
      preHandler: app.limits.upvote,
      schema: {
        ...qaTags,
        description:
          method === 'POST'
            ? 'Upvotes a shown question: once per voter, however often sent'
            : 'Takes back this voter’s upvote, if any',
        params: QaItemParams,
        response: { 200: QaUpvoteSchema },
      },
      handler: async (request, reply) =>
        upvoteQuestion(deps, request.params.code, ensureVoterId(request, reply), request.params.id, method === 'POST'),
    });
  }

  // --- Quick polls (anyone; managed with the token they got) ---
  const quick = { tags: ['quick polls'] };
  const tokenHolder = (request: { headers: { 'x-manage-token': string } }): Manager => ({
    manageToken: request.headers['x-manage-token'],
  });

  api.post(
    '/api/polls',
    {
      preHandler: app.limits.create,
      schema: { ...quick, body: QuickPollBody, response: { 201: CreatedQuickPollSchema } },
    },
    async (request, reply) => {
      const site = siteOf(request);
      const { poll, question, manageToken } = await createQuickPoll(deps, request.body);
      const manage = `${site}${manageLinkPath(poll.code, manageToken)}`;
      return reply
        .status(201)
        .send({ code: poll.code, manageToken, urls: { ...pollUrls(site, poll.code), manage }, question });
    },
  );

  api.get(
    '/api/polls/:code/manage',
    { schema: { ...quick, params: CodeParams, headers: ManageTokenHeaders, response: { 200: ManagedPollSchema } } },
    async (request) => {
      const { poll, question } = await managedQuickPoll(deps, tokenHolder(request), request.params.code);
      return { code: poll.code, title: poll.title, question };
    },
  );

  for (const [action, change] of [
    ['close', closeQuickPoll],
    ['reopen', reopenQuickPoll],
    ['reveal', revealQuickPoll],
  ] as const) {
    api.post(
      `/api/polls/:code/${action}`,
      {
        schema: {
          ...quick,
          params: CodeParams,
          headers: ManageTokenHeaders,
          body: NoBody,
          response: { 200: QuestionEnvelope },
        },
      },
      async (request) => ({ question: (await change(deps, tokenHolder(request), request.params.code)).question }),
    );
  }

  api.delete(
    '/api/polls/:code',
    { schema: { ...quick, params: CodeParams, headers: ManageTokenHeaders, body: NoBody, response: NoContent } },
    async (request, reply) => {
      await deletePoll(deps, tokenHolder(request), request.params.code);
      return reply.status(204).send(null);
    },
  );

  // --- Organizers' polls and their questions (signed in) ---
  const organizer = { preHandler: app.requireUser };
  const tags = { tags: ['organizers'] };
  const signedIn = (request: FastifyRequest): Manager => ({ user: signedInUser(request) });

  api.get(
    '/api/admin/polls',
    { ...organizer, schema: { ...tags, response: { 200: PollListSchema } } },
    async (request) => ({
      polls: await listPolls(deps.db, signedInUser(request)),
    }),
  );

  api.post(
    '/api/admin/polls',
    {
      preHandler: [app.requireUser, app.limits.create],
      schema: { ...tags, body: NewPollBody, response: { 201: CreatedPollSchema } },
    },
    async (request, reply) => {
      const site = siteOf(request);
      const poll = await createPoll(deps.db, signedInUser(request), request.body);
      const body = {
        code: poll.code,
        title: poll.title,
        createdAt: poll.created_at,
        urls: pollUrls(site, poll.code),
      };
      return reply.status(201).send(body);
    },
  );

  api.patch(
    '/api/admin/polls/:code',
    { ...organizer, schema: { ...tags, params: CodeParams, body: VoteRulesBody, response: { 200: PollRulesSchema } } },
    async (request) => {
      const { profanityFilter, ...rules } = request.body;
      const manager = signedIn(request);
      let poll = await setVoteRules(deps.db, manager, request.params.code, rules);
      if (profanityFilter !== undefined) poll = await setProfanityFilter(deps, manager, poll.code, profanityFilter);
      return { code: poll.code, title: poll.title, rules: voteRulesOf(poll) };
    },
  );

  api.delete(
    '/api/admin/polls/:code',
    { ...organizer, schema: { ...tags, params: CodeParams, body: NoBody, response: NoContent } },
    async (request, reply) => {
      await deletePoll(deps, signedIn(request), request.params.code);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/admin/polls/:code/questions',
    { ...organizer, schema: { ...tags, params: CodeParams, response: { 200: QuestionListSchema } } },
    async (request) => {
      const poll = await requireManagedPoll(deps.db, signedIn(request), request.params.code);
      return { questions: await listQuestions(deps.db, poll) };
    },
  );

  api.post(
    '/api/admin/polls/:code/questions',
    {
      ...organizer,
      schema: { ...tags, params: CodeParams, body: NewQuestionBody, response: { 201: QuestionEnvelope } },
    },
    async (request, reply) => {
      const poll = await requireManagedPoll(deps.db, signedIn(request), request.params.code);
      const { activate = false, hideResults, timeLimitSec, ...input } = request.body;
      const question = await createTypedQuestion(deps, poll, input, { activate, hideResults, timeLimitSec });
      return reply.status(201).send({ question });
    },
  );

  api.post(
    '/api/admin/polls/:code/questions/from-images',
    {
      preHandler: [app.requireUser, app.limits.upload],
      config: { multipart: true },
      schema: {
        ...tags,
        description:
          'multipart/form-data: `question_image`, `options_image`; optional `activate` (default true); `ocr`: `configured` (default) or `local`, to read this upload with local OCR when the OCR provider is down or slow; `kind`: `choice` (default), `multi` or `ranking`; `correct`: the places of the right options, from 0 (such as `1` or `0,2`), to make it a quiz question; `language`: the language the images are written in, one of the server’s `OCR_LANGUAGES` (Tesseract codes such as `fra`; the first by default)',
        consumes: ['multipart/form-data'],
        params: CodeParams,
        response: { 201: FromImagesResponse },
      },
    },
    async (request, reply) => {
      const poll = await requireManagedPoll(deps.db, signedIn(request), request.params.code);
      const { ocr, ...upload } = await readImageUpload(request, maxImageBytes);
      return reply.status(201).send(await createQuestionFromImages(deps, app.ocrFor(ocr), poll, upload));
    },
  );

  api.patch(
    '/api/admin/questions/:id',
    {
      ...organizer,
      schema: { ...tags, params: QuestionIdParams, body: EditQuestionBody, response: { 200: QuestionEnvelope } },
    },
    async (request) => ({ question: await editQuestion(deps, signedIn(request), request.params.id, request.body) }),
  );

  for (const [action, change] of [
    ['activate', activateQuestion],
    ['reopen', activateQuestion],
    ['close', closeQuestion],
    ['reveal', revealAnswer],
  ] as const) {
    api.post(
      `/api/admin/questions/:id/${action}`,
      {
        ...organizer,
        schema: { ...tags, params: QuestionIdParams, body: NoBody, response: { 200: QuestionEnvelope } },
      },
      async (request) => ({ question: await change(deps, signedIn(request), request.params.id) }),
    );
  }

  for (const step of ['next', 'previous'] as const) {
    api.post(
      `/api/admin/polls/:code/${step}`,
      {
        ...organizer,
        schema: {
          ...tags,
          description: `Makes the ${step} question in the poll's order live, as the presenter's ${step === 'next' ? 'Next' : 'Previous'} does; 409 \`no_more_questions\` at the ${step === 'next' ? 'last' : 'first'}`,
          params: CodeParams,
          body: NoBody,
          response: { 200: QuestionEnvelope },
        },
      },
      async (request) => ({ question: await stepQuestion(deps, signedIn(request), request.params.code, step) }),
    );
  }

  api.get(
    '/api/admin/polls/:code/qa',
    {
      ...organizer,
      schema: {
        ...qaTags,
        description: 'Every question from the audience: waiting, shown and dismissed',
        params: CodeParams,
        querystring: QaSortQuery,
        response: { 200: ManagedQaSchema },
      },
    },
    async (request) => managedQa(deps, signedIn(request), request.params.code, request.query.sort ?? 'votes'),
  );

  api.patch(
    '/api/admin/polls/:code/qa',
    {
      ...organizer,
      schema: {
        ...qaTags,
        description: 'Opens or closes the poll to questions from the audience, with or without moderation and names',
        params: CodeParams,
        body: QaSettingsBody,
        response: { 200: QaSettingsSchema },
      },
    },
    async (request) => changeQaSettings(deps, signedIn(request), request.params.code, request.body),
  );

  api.post(
    '/api/admin/polls/:code/qa/:id/:action',
    {
      ...organizer,
      schema: {
        ...qaTags,
        description:
          'Approves or dismisses a question from the audience, marks it answered (or not), or shows it on the presenter view (or takes it off)',
        params: QaActionParams,
        body: NoBody,
        response: { 200: QaItemSchema },
      },
    },
    async (request) =>
      moderateQuestion(deps, signedIn(request), request.params.code, request.params.id, request.params.action),
  );

  api.get(
    '/api/admin/polls/:code/qa.csv',
    { ...organizer, schema: { ...qaTags, description: 'Every question from the audience as CSV', params: CodeParams } },
    async (request, reply) => sendCsv(reply, await qaExport(deps, signedIn(request), request.params.code, new Date())),
  );

  api.post(
    '/api/admin/polls/:code/leaderboard',
    {
      ...organizer,
      schema: {
        ...tags,
        description:
          'Shows the quiz leaderboard on every screen in place of the current question (`shown: true`), or the question again',
        params: CodeParams,
        body: LeaderboardBody,
        response: { 200: LeaderboardSchema },
      },
    },
    async (request) => showLeaderboard(deps, signedIn(request), request.params.code, request.body.shown),
  );

  api.post(
    '/api/admin/questions/:id/timer',
    {
      ...organizer,
      schema: {
        ...tags,
        description:
          'Starts a countdown on the live question (again, if one runs): every screen counts down, and the question closes at zero',
        params: QuestionIdParams,
        body: TimerBody,
        response: { 200: QuestionEnvelope },
      },
    },
    async (request) => ({
      question: await startCountdown(deps, signedIn(request), request.params.id, request.body.seconds),
    }),
  );

  api.delete(
    '/api/admin/questions/:id/timer',
    {
      ...organizer,
      schema: {
        ...tags,
        description: 'Stops the countdown of the live question: it stays open until closed',
        params: QuestionIdParams,
        body: NoBody,
        response: { 200: QuestionEnvelope },
      },
    },
    async (request) => ({ question: await stopCountdown(deps, signedIn(request), request.params.id) }),
  );

  api.get(
    '/api/admin/questions/:id/answers',
    {
      ...organizer,
      schema: {
        ...tags,
        description: 'Every answer to an open question, newest first (its question object holds only the latest)',
        params: QuestionIdParams,
        response: { 200: OpenAnswersSchema },
      },
    },
    async (request) => ({ answers: await everyOpenAnswer(deps.db, signedIn(request), request.params.id) }),
  );

  api.get(
    '/api/admin/questions/:id/hidden',
    {
      ...organizer,
      schema: {
        ...tags,
        description: 'The words of a word cloud and the open answers kept from every screen, and who hid each',
        params: QuestionIdParams,
        response: { 200: HiddenListSchema },
      },
    },
    async (request) => ({ hidden: await managedHiddenList(deps.db, signedIn(request), request.params.id) }),
  );

  for (const [method, hide] of [
    ['POST', true],
    ['DELETE', false],
  ] as const) {
    api.route({
      method,
      url: '/api/admin/questions/:id/hidden',
      ...organizer,
      schema: {
        ...tags,
        description: hide
          ? 'Hides a word of a word cloud (`{text}`, normalized as votes are; a word no one gave yet is hidden from its first vote) or an open answer (`{answerId}`) from every screen, at once; counts stay exact'
          : 'Shows a hidden word or answer again, on every screen, also one the profanity filter hid',
        params: QuestionIdParams,
        body: ModerationBody,
        response: { 200: HiddenListSchema },
      },
      handler: async (request) => ({
        hidden: (await moderate(deps, signedIn(request), request.params.id, request.body, hide)).hidden,
      }),
    });
  }

  api.post(
    '/api/admin/questions/:id/move',
    {
      ...organizer,
      schema: {
        ...tags,
        description: "Moves the question one place up or down its poll's order; answers with the poll's questions",
        params: QuestionIdParams,
        body: MoveQuestionBody,
        response: { 200: QuestionListSchema },
      },
    },
    async (request) => ({
      questions: await moveQuestion(deps, signedIn(request), request.params.id, request.body.direction),
    }),
  );

  api.delete(
    '/api/admin/questions/:id',
    { ...organizer, schema: { ...tags, params: QuestionIdParams, body: NoBody, response: NoContent } },
    async (request, reply) => {
      await deleteQuestion(deps, signedIn(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  const csvExport = {
    produces: ['text/csv'],
    description:
      'text/csv (UTF-8 with a byte order mark): the poll, its code and the export time on top, a blank row, then one table `question_number, question, status, option, votes, percent`; the file is named after the poll code and the question or poll',
    response: { 200: Type.String() },
  };

  api.get(
    '/api/admin/questions/:id/results.csv',
    { ...organizer, schema: { ...tags, ...csvExport, params: QuestionIdParams } },
    async (request, reply) =>
      sendCsv(reply, await questionResultsCsv(deps.db, signedIn(request), request.params.id, new Date())),
  );

  api.get(
    '/api/admin/polls/:code/results.csv',
    { ...organizer, schema: { ...tags, ...csvExport, params: CodeParams } },
    async (request, reply) =>
      sendCsv(reply, await pollResultsCsv(deps.db, signedIn(request), request.params.code, new Date())),
  );

  api.get(
    '/api/polls/:code/manage/results.csv',
    { schema: { ...quick, ...csvExport, params: CodeParams, headers: ManageTokenHeaders } },
    async (request, reply) =>
      sendCsv(reply, await pollResultsCsv(deps.db, tokenHolder(request), request.params.code, new Date())),
  );
}
