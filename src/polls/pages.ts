import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { PollRow } from '../db/database.js';
import { AppError, isAppError } from '../errors.js';
import { t, useAudienceLanguage } from '../i18n/request-language.js';
import type { QuestionView } from '../realtime/messages.js';
import { formSchema, querySchema } from '../views/form-fields.js';
import { homePage, resultsMain, resultsPage, voteMain, votePage } from '../views/poll-views.js';
import type { QaSectionView } from '../views/qa-views.js';
import { qrSvg } from '../views/qr.js';
import { sendHtml } from '../views/send-html.js';
import { sharePage } from '../views/share-views.js';
import { DEFAULT_POLL_CODE, joinCodeProblem, normalizeJoinCode } from './codes.js';
import { MAX_OPTIONS } from './kinds/options.js';
import { quizField } from './kinds/quiz.js';
import { MAX_RANKED } from './kinds/ranking/kind.js';
import { MAX_WORDS } from './kinds/wordcloud/kind.js';
import { hasQuizQuestions } from './leaderboard-queries.js';
import { manageCookies } from './manage-cookies.js';
import { pollPaths, pollUrls, siteUrl } from './paths.js';
import type { QaSort } from './qa.js';
import { upvotedBy } from './qa-queries.js';
import { askQuestion, audienceQa, upvoteQuestion } from './qa-service.js';
import { CodeParams, QaItemParams, type VoteFields } from './schemas.js';
import { castVote, currentQuestionOf, findPoll, type PollDeps, requirePoll, voterAnswer } from './service.js';
import { leaderboardOf, pickNickname, voterStanding } from './standings.js';
import { ensureVoterId, voterIdOf } from './voter.js';

type CodeRequest = FastifyRequest<{ Params: { code?: string }; Querystring: { partial?: string } }>;
type VotePageRequest = FastifyRequest<{
  Params: { code?: string };
  Querystring: { partial?: string; qa?: string; asked?: string };
}>;
interface VoteFormRoute {
  Params: { code?: string };
  Querystring: { partial?: string };
  Body:
    | {
        questionId?: unknown;
        optionId?: unknown;
        optionIds?: unknown;
        value?: unknown;
        words?: unknown;
        text?: unknown;
        ranking?: unknown;
      }
    | undefined;
}
type VoteFormRequest = FastifyRequest<VoteFormRoute>;

// A checkbox of a multiple-choice form, repeated once for each option picked; or a ranking's
// place, once for each place.
const pickedId = Type.String({ maxLength: 12 });
// A word of a word cloud's form, one field each; the kind says when one is too long.
const givenWord = Type.String({ maxLength: 200 });

const codeOf = (request: { params: { code?: string } }) => request.params.code ?? DEFAULT_POLL_CODE;
const isPartial = (request: { query: { partial?: string } }) => request.query.partial === '1';

const toId = (value: unknown) => {
  const id = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/** A vote form's answer in the fields the JSON API takes: one option, or several; none when nothing was picked. */
function formAnswer(body: VoteFormRoute['Body']): VoteFields | undefined {
  const optionId = toId(body?.optionId);
  if (optionId !== undefined) return { optionId };
  // A rating's scale starts at 0: not an id.
  const value = typeof body?.value === 'string' && /^\d{1,2}$/.test(body.value) ? Number(body.value) : undefined;
  if (value !== undefined) return { value };
  if (typeof body?.text === 'string' && body.text.trim() !== '') return { text: body.text };
  // A word cloud's fields: the blank ones left out, the words' own rules checked by the kind.
  const words = [body?.words ?? []]
    .flat()
    .filter((word): word is string => typeof word === 'string' && word.trim() !== '');
  if (words.length > 0) return { words };
  // A ranking's places, first place first.
  const ranked = [body?.ranking ?? []].flat().map(toId);
  if (ranked.length > 0) return ranked.every((id) => id !== undefined) ? { ranking: ranked as number[] } : undefined;
  const picked = [body?.optionIds ?? []].flat().map(toId);
  if (picked.length === 0 || picked.some((id) => id === undefined)) return undefined;
  return { optionIds: picked as number[] };
}

/**
 * The audience's pages. Each works as a plain form without JavaScript; with `?partial=1`
 * a page answers only its changing part, which its script swaps in place.
 */
export default async function pollPages(
  app: FastifyInstance,
  { deps, publicUrl }: { deps: PollDeps; publicUrl: string | undefined },
) {
  /** A poll's audience page: it speaks the poll's audience language to a visitor who picked none. */
  const audiencePoll = async (code: string): Promise<PollRow> => {
    const poll = await requirePoll(deps.db, code);
    useAudienceLanguage(poll.language);
    return poll;
  };
  const joinUrl = (request: FastifyRequest, code: string) => pollUrls(siteUrl(request, publicUrl), code).vote;

  const partial = querySchema({ partial: 8 });
  const onPoll = { params: CodeParams, querystring: partial };
  const voteForm = formSchema(
    { questionId: 12, optionId: 12, value: 12, text: 2000 },
    {
      optionIds: Type.Optional(Type.Union([pickedId, Type.Array(pickedId, { maxItems: MAX_OPTIONS })])),
      words: Type.Optional(Type.Union([givenWord, Type.Array(givenWord, { maxItems: MAX_WORDS })])),
      ranking: Type.Optional(Type.Union([pickedId, Type.Array(pickedId, { maxItems: MAX_RANKED })])),
    },
  );

  app.get<{ Querystring: { deleted?: string } }>(
    '/',
    { schema: { querystring: querySchema({ deleted: 8 }) } },
    (request, reply) =>
      sendHtml(reply, homePage(request.query.deleted ? { notice: t('audience.home.pollDeleted') } : {})),
  );

  app.get<{ Querystring: { code?: string } }>(
    '/join',
    { schema: { querystring: querySchema({ code: 64 }) } },
    async (request, reply) => {
      const typed = request.query.code ?? '';
      const code = normalizeJoinCode(typed);
      if (!code) return sendHtml(reply, homePage({ joinError: joinCodeProblem(typed), joinCode: typed }), 400);
      if (!(await findPoll(deps.db, code))) {
        app.limits.codeMissed(request, code);
        const joinError = t('audience.join.noPollWithCode', { code });
        return sendHtml(reply, homePage({ joinError, joinCode: typed }), 404);
      }
      return reply.redirect(pollPaths(code).vote, 303);
    },
  );

  /**
   * The current question (open for votes, or closed with its results) and this voter's answer to
   * it; a voter seen for the first time (no id yet) has none to look up.
   */
  const loadVoteView = async (
    poll: PollRow,
    voterId: string | undefined,
    { whole, qa = {} }: { whole: boolean; qa?: Partial<QaSectionView> },
  ) => {
    const question = await currentQuestionOf(deps.db, poll);
    return {
      poll,
      question,
      answer: question && voterId ? await voterAnswer(deps.db, question.id, voterId) : null,
      player: await playerOf(poll, question, voterId, whole),
      qa: whole ? await qaOf(poll, voterId, qa) : null,
    };
  };

  /** The whole voting page of a poll that takes questions: its questions for the speaker. */
  const qaOf = async (poll: PollRow, voterId: string | undefined, said: Partial<QaSectionView>) => {
    if (poll.qa_open !== 1) return null;
    const sort = said.sort ?? 'votes';
    return { ...said, code: poll.code, qa: await audienceQa(deps, poll, voterId, sort), sort };
  };

  /** What a question just asked from this page came to. */
  const askedNotice = (status: string | undefined) => {
    if (status === 'approved') return t('audience.qa.askedApproved');
    if (status === 'pending') return t('audience.qa.askedPending');
    return undefined;
  };
  const qaSort = (value: string | undefined): QaSort => (value === 'newest' ? 'newest' : 'votes');

  /**
   * A voter of a poll with quiz questions: the whole page offers a nickname; the live part, once
   * the current question's answer is revealed, says where they stand. Other polls pay nothing more.
   */
  const playerOf = async (
    poll: PollRow,
    question: QuestionView | null,
    voterId: string | undefined,
    whole: boolean,
  ) => {
    const quiz = question && quizField(question);
    const shown = quiz?.revealed || (whole && (quiz || (await hasQuizQuestions(deps.db, poll.id))));
    return shown ? voterStanding(deps, poll, voterId) : null;
  };

  const showVote = async (request: VotePageRequest, reply: FastifyReply) => {
    const poll = await audiencePoll(codeOf(request));
    const returning = voterIdOf(request);
    if (!returning) ensureVoterId(request, reply);
    const whole = !isPartial(request);
    const qa = { sort: qaSort(request.query.qa), notice: askedNotice(request.query.asked) };
    const view = await loadVoteView(poll, returning, { whole, qa });
    return sendHtml(reply, whole ? votePage(view) : voteMain(view));
  };
  const votePageQuery = querySchema({ partial: 8, qa: 8, asked: 16 });
  app.get('/vote', { schema: { querystring: votePageQuery } }, showVote);
  app.get('/p/:code', { schema: { params: CodeParams, querystring: votePageQuery } }, showVote);

  const submitVote = async (request: VoteFormRequest, reply: FastifyReply) => {
    const poll = await audiencePoll(codeOf(request));
    const voterId = ensureVoterId(request, reply);
    const questionId = toId(request.body?.questionId);
    const answer = formAnswer(request.body);
    let error: AppError | undefined;
    try {
      if (questionId === undefined) throw new AppError('validation_failed', 'audience.vote.formOutOfDate');
      if (!answer) throw new AppError('validation_failed', 'audience.vote.chooseAnswer');
      await castVote(deps, {
        pollCode: poll.code,
        questionId,
        answer,
        voterId,
        addressKey: () => app.addressKey(request),
      });
    } catch (caught) {
      if (!isAppError(caught) || caught.status >= 500) throw caught;
      error = caught;
    }
    if (!error && !isPartial(request)) return reply.redirect(pollPaths(poll.code).vote, 303);
    const current = await loadVoteView(poll, voterId, { whole: !isPartial(request) });
    const message =
      error?.code === 'question_not_live' && current.question ? t('audience.vote.questionClosed') : error?.localized();
    const view = { ...current, error: message };
    return sendHtml(
      reply,
      isPartial(request) ? voteMain(view) : votePage(view),
      error && !isPartial(request) ? error.status : 200,
    );
  };
  app.post<VoteFormRoute>(
    '/vote',
    { preHandler: app.limits.vote, schema: { querystring: partial, body: voteForm } },
    submitVote,
  );
  app.post<VoteFormRoute>(
    '/p/:code',
    { preHandler: app.limits.vote, schema: { ...onPoll, body: voteForm } },
    submitVote,
  );

  app.post<{ Params: { code: string }; Body: { nickname?: string } | undefined }>(
    '/p/:code/nickname',
    { preHandler: app.limits.vote, schema: { params: CodeParams, body: formSchema({ nickname: 200 }) } },
    async (request, reply) => {
      const poll = await audiencePoll(request.params.code);
      const voterId = ensureVoterId(request, reply);
      try {
        await pickNickname(deps, poll.code, voterId, request.body?.nickname ?? '');
        return reply.redirect(pollPaths(poll.code).vote, 303);
      } catch (caught) {
        if (!isAppError(caught) || caught.status >= 500) throw caught;
        const view = { ...(await loadVoteView(poll, voterId, { whole: true })), nicknameError: caught.localized() };
        return sendHtml(reply, votePage(view), caught.status);
      }
    },
  );

  app.post<{ Params: { code: string }; Body: { text?: string; name?: string } | undefined }>(
    '/p/:code/qa',
    { preHandler: app.limits.ask, schema: { params: CodeParams, body: formSchema({ text: 2000, name: 200 }) } },
    async (request, reply) => {
      const poll = await audiencePoll(request.params.code);
      const voterId = ensureVoterId(request, reply);
      const draft = { text: request.body?.text ?? '', name: request.body?.name ?? '' };
      try {
        const item = await askQuestion(deps, poll.code, voterId, { text: draft.text, name: draft.name || undefined });
        return reply.redirect(`${pollPaths(poll.code).vote}?asked=${item.status}#qa`, 303);
      } catch (caught) {
        if (!isAppError(caught) || caught.status >= 500) throw caught;
        const view = await loadVoteView(poll, voterId, { whole: true, qa: { error: caught.localized(), draft } });
        return sendHtml(reply, votePage(view), caught.status);
      }
    },
  );

  // Without JavaScript the upvote button toggles: a voter who upvotes takes it back.
  app.post<{ Params: { code: string; id: number } }>(
    '/p/:code/qa/:id/upvote',
    { preHandler: app.limits.upvote, schema: { params: QaItemParams, body: formSchema({}) } },
    async (request, reply) => {
      const poll = await audiencePoll(request.params.code);
      const voterId = ensureVoterId(request, reply);
      const { id } = request.params;
      const upvoted = await upvotedBy(deps.db, voterId, [id]);
      await upvoteQuestion(deps, poll.code, voterId, id, !upvoted.has(id));
      return reply.redirect(`${pollPaths(poll.code).vote}#qa`, 303);
    },
  );

  const showResults = async (request: CodeRequest, reply: FastifyReply) => {
    const poll = await audiencePoll(codeOf(request));
    const view = {
      poll,
      question: await currentQuestionOf(deps.db, poll),
      leaderboard: poll.show_leaderboard === 1 ? await leaderboardOf(deps, poll) : null,
      joinUrl: joinUrl(request, poll.code),
      joined: deps.audience.joined(poll.code),
    };
    return sendHtml(reply, isPartial(request) ? resultsMain(view) : resultsPage(view));
  };
  app.get('/results', { schema: { querystring: partial } }, showResults);
  app.get('/p/:code/results', { schema: onPoll }, showResults);

  // The creator's page, in the creator's language.
  app.get('/p/:code/share', { schema: onPoll }, async (request: CodeRequest, reply) => {
    const poll = await requirePoll(deps.db, codeOf(request));
    const cookies = manageCookies(poll.code);
    const freshManageUrl = cookies.takeFreshLink(request, reply);
    const page = sharePage({
      poll,
      joinUrl: joinUrl(request, poll.code),
      freshManageUrl: freshManageUrl && `${siteUrl(request, publicUrl)}${freshManageUrl}`,
      canManage: freshManageUrl !== undefined || cookies.holder(request, poll) !== null,
    });
    return sendHtml(reply, page);
  });

  app.get('/p/:code/qr.svg', { schema: onPoll }, async (request: CodeRequest, reply) => {
    const poll = await requirePoll(deps.db, codeOf(request));
    const svg = await qrSvg(joinUrl(request, poll.code));
    // Drawn from the host this request came to: no shared cache may hand it to anyone else.
    return reply.type('image/svg+xml').header('cache-control', 'private, max-age=3600').send(svg);
  });
}
