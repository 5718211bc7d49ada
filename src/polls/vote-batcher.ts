import type { Db, NewOpenAnswer, Trx } from '../db/database.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { QuestionView } from '../realtime/messages.js';
import { kindNamed } from './kinds/index.js';
import { type AnsweredQuestion, type QuestionKind, type StoredAnswer, sameAnswer } from './kinds/kind.js';
import { MAX_ANSWER_CHARS } from './kinds/text/kind.js';
import { isProfane } from './profanity.js';
import {
  addOptionVotes,
  addWordCounts,
  countQuestionChange,
  existingAnswers,
  insertNewVotes,
  insertOpenAnswers,
  loadQuestionViews,
  lockLiveQuestions,
  moveVote,
  optionIdsByQuestion,
  type PollVoteRules,
  pollVoteRules,
  questionPollCodes,
  replaceOpenAnswer,
} from './queries.js';
import type { VoteFields } from './schemas.js';
import { Visibility } from './visibility.js';

export interface VoteRequest {
  pollCode: string;
  questionId: number;
  /** The answer as the vote body gives it: the question's kind reads it. */
  answer: VoteFields;
  voterId: string;
  /**
   * Keyed hash of the voter's network address, stored only where the poll allows one vote per
   * address; worked out only there, as most polls do not.
   */
  addressKey: () => string;
}

type Outcome = { ok: true; question: QuestionView } | { ok: false; error: AppError };

interface Pending extends VoteRequest {
  resolve: (question: QuestionView) => void;
  reject: (error: unknown) => void;
}

// Bounds one transaction's statement size (4 parameters a vote) on every dialect.
const MAX_BATCH = 500;

// A batch costs about ten statements and a commit whatever its size: some 1.4 ms of CPU on
// SQLite, against some 20 µs for each vote in it. Batches start at most this often, so that a
// steady stream of votes shares them: at 1,000 votes a second, 50 batches of 20 cost three
// quarters of the CPU of 100 batches of 10. The wait is paid only by a vote that follows another
// within it, and is small against the acknowledgement's budget of 100 ms.
const BATCH_SPACING_MS = 20;
// ...unless this many votes are already waiting: their share of the fixed cost is small, and
// waiting longer would only delay them. So voters who each wait for their answer before voting
// again (64 of them, say) are not held to one batch per spacing.
const FULL_BATCH = 64;

/**
 * Group commit for votes. Votes that arrive while a batch is being written, or soon after the
 * previous batch started, wait for the next one, so under load many votes share one transaction
 * and one fsync, and a lone vote after a pause is written at once. Each vote's promise settles
 * only after its batch has committed.
 */
export class VoteBatcher {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private lastBatchAt = Number.NEGATIVE_INFINITY;
  /** Ends the wait for the next batch's turn early, once a full batch is waiting. */
  private startNow: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly hooks: {
      /** Called once per batch with the fresh state of every question that received votes. */
      onCommitted: (questions: QuestionView[]) => void;
      onFailed: (error: unknown, votes: number) => void;
      /** Called once per batch: how many votes were stored, and the codes of those refused. */
      onSettled: (accepted: number, refused: ReadonlyMap<ErrorCode, number>) => void;
    },
  ) {}

  submit(vote: VoteRequest): Promise<QuestionView> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...vote, resolve, reject });
      if (this.queue.length >= FULL_BATCH) this.startNow?.();
      this.flushing ??= this.flushAll();
    });
  }

  /** Resolves when every vote submitted so far has been written (used on shutdown). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.batchTurn();
        this.lastBatchAt = performance.now();
        await this.writeBatch(this.queue.splice(0, MAX_BATCH));
      }
    } finally {
      // Whatever failed (a hook that logs or counts threw), the votes queued behind it are still
      // written: left set, this promise would keep every later vote waiting forever.
      this.flushing = undefined;
      if (this.queue.length > 0) this.flushing = this.flushAll();
    }
  }

  /**
   * Waits for the next batch's turn, or until a full batch is waiting: at least one tick, so that
   * votes of the same tick join it.
   */
  private batchTurn(): Promise<void> {
    const wait = this.queue.length >= FULL_BATCH ? 0 : this.lastBatchAt + BATCH_SPACING_MS - performance.now();
    if (wait <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.startNow?.(), wait);
      this.startNow = () => {
        this.startNow = undefined;
        clearTimeout(timer);
        // Still a tick later, for the rest of the tick's votes.
        setImmediate(resolve);
      };
    });
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let outcomes: Map<Pending, Outcome>;
    try {
      outcomes = await this.db.transaction().execute((trx) => recordVotes(trx, batch));
    } catch (error) {
      const unavailable = new AppError(
        'database_unavailable',
        'audience.vote.unavailable',
        {},
        { retryAfterSeconds: 2 },
      );
      for (const vote of batch) vote.reject(unavailable);
      this.hooks.onFailed(error, batch.length);
      this.hooks.onSettled(0, new Map([[unavailable.code, batch.length]]));
      return;
    }
    const changed = new Map<number, QuestionView>();
    const refused = new Map<ErrorCode, number>();
    for (const [vote, outcome] of outcomes) {
      if (outcome.ok) {
        changed.set(outcome.question.id, outcome.question);
        vote.resolve(outcome.question);
      } else {
        refused.set(outcome.error.code, (refused.get(outcome.error.code) ?? 0) + 1);
        vote.reject(outcome.error);
      }
    }
    this.hooks.onSettled(batch.length - [...refused.values()].reduce((sum, n) => sum + n, 0), refused);
    // The votes are stored and answered: a failure to publish them must not stop the next batch.
    try {
      if (changed.size > 0) this.hooks.onCommitted([...changed.values()]);
    } catch (error) {
      this.hooks.onFailed(error, 0);
    }
  }
}

/** A live question as a batch sees it: its poll's rules, its kind and its options. */
interface OpenQuestion extends AnsweredQuestion {
  poll: PollVoteRules;
  kind: QuestionKind;
}

/** The live ones among a batch's questions (locked until the batch commits), by id. */
async function openQuestions(trx: Trx, questionIds: readonly number[]): Promise<Map<number, OpenQuestion>> {
  const locked = await lockLiveQuestions(trx, questionIds);
  if (locked.size === 0) return new Map();
  const rules = await pollVoteRules(trx, [...new Set([...locked.values()].map((question) => question.pollId))]);
  const options = await optionIdsByQuestion(trx, [...locked.keys()]);
  const open = new Map<number, OpenQuestion>();
  for (const [id, question] of locked) {
    const poll = rules.get(question.pollId);
    if (!poll) continue;
    const kind = kindNamed(question.kind);
    open.set(id, { poll, kind, optionIds: options.get(id) ?? [], settings: question.settings });
  }
  return open;
}

/** A vote that passed the checks, with its answer as its row keeps it. */
interface Accepted {
  vote: Pending;
  answer: StoredAnswer;
}

async function recordVotes(trx: Trx, batch: Pending[]): Promise<Map<Pending, Outcome>> {
  const questionIds = [...new Set(batch.map((vote) => vote.questionId))];
  const live = await openQuestions(trx, questionIds);
  // Telling "not in this poll" from "closed" takes another look, needed only when a vote fails.
  const notLive = questionIds.filter((id) => !live.has(id));
  const pollCodes = new Map([...live].map(([id, question]) => [id, question.poll.code]));
  if (notLive.length > 0) for (const [id, code] of await questionPollCodes(trx, notLive)) pollCodes.set(id, code);

  const outcomes = new Map<Pending, Outcome>();
  // One voter sending several votes at once: the first is written and the rest are refused;
  // where votes may change, the last one is written and the earlier ones share its outcome.
  const oneOfVoter = new Map<string, Accepted>();
  const duplicates: Pending[] = [];
  const superseded: Pending[] = [];
  const keyOf = (vote: Pending) => `${vote.questionId}:${vote.voterId}`;
  for (const vote of batch) {
    const checked = checkVote(vote, pollCodes, live);
    if (checked instanceof AppError) {
      outcomes.set(vote, { ok: false, error: checked });
      continue;
    }
    const key = keyOf(vote);
    const earlier = oneOfVoter.get(key);
    if (!earlier) oneOfVoter.set(key, { vote, answer: checked });
    else if (!live.get(vote.questionId)?.poll.votesChangeable) duplicates.push(vote);
    else {
      superseded.push(earlier.vote);
      oneOfVoter.set(key, { vote, answer: checked });
    }
  }

  const candidates = [...oneOfVoter.values()];
  const createdAt = new Date().toISOString();
  const stored =
    candidates.length > 0
      ? await insertNewVotes(
          trx,
          candidates.map(({ vote, answer }) => ({
            question_id: vote.questionId,
            voter_id: vote.voterId,
            ...answer,
            address_key: live.get(vote.questionId)?.poll.oneVotePerAddress ? vote.addressKey() : null,
            created_at: createdAt,
          })),
        )
      : new Set<string>();

  const optionDeltas = new Map<number, number>();
  const wordDeltas = new Map<number, Map<string, number>>();
  const count = (questionId: number, answer: StoredAnswer, sign: 1 | -1) => {
    const question = live.get(questionId);
    for (const [optionId, votes] of question?.kind.counts(answer) ?? []) {
      optionDeltas.set(optionId, (optionDeltas.get(optionId) ?? 0) + sign * votes);
    }
    const words = question?.kind.words?.(answer);
    if (!words?.length) return;
    const deltas = wordDeltas.get(questionId) ?? new Map<string, number>();
    wordDeltas.set(questionId, deltas);
    for (const word of words) deltas.set(word, (deltas.get(word) ?? 0) + sign);
  };
  // Where a poll filters profanity, a word or an answer that holds some is stored hidden.
  const visibilityOf = (questionId: number, text: string) =>
    live.get(questionId)?.poll.profanityFilter && isProfane(text) ? Visibility.filtered : Visibility.shown;
  // Open answers go on their question's wall, each in a row of its own.
  const newAnswers: NewOpenAnswer[] = [];
  const openAnswer = (vote: Pending, text: string) => ({
    question_id: vote.questionId,
    voter_id: vote.voterId,
    text,
    hidden: visibilityOf(vote.questionId, text),
    created_at: createdAt,
  });
  // The questions whose counts change, each with its number of new votes (0 where votes only moved).
  const perQuestion = new Map<number, number>();
  // Not stored: the voter voted before (a change, where the poll allows it), or someone at the
  // same address did. Rare, so looked up only when it happens.
  const notStored: Accepted[] = [];
  for (const accepted of candidates) {
    const { vote, answer } = accepted;
    if (!stored.has(keyOf(vote))) {
      notStored.push(accepted);
      continue;
    }
    count(vote.questionId, answer, 1);
    perQuestion.set(vote.questionId, (perQuestion.get(vote.questionId) ?? 0) + 1);
    const written = live.get(vote.questionId)?.kind.openText?.(answer);
    if (written !== undefined) newAnswers.push(openAnswer(vote, written));
  }

  const alreadyVoted = () => new AppError('already_voted', 'audience.vote.alreadyVoted');
  const refusals = new Map<Pending, AppError>();
  if (notStored.length > 0) {
    const earlier = await existingAnswers(
      trx,
      [...new Set(notStored.map(({ vote }) => vote.questionId))],
      [...new Set(notStored.map(({ vote }) => vote.voterId))],
    );
    for (const { vote, answer } of notStored) {
      const previous = earlier.get(keyOf(vote));
      const question = live.get(vote.questionId);
      if (previous === undefined) {
        refusals.set(vote, new AppError('address_already_voted', 'audience.vote.addressAlreadyVoted'));
      } else if (!question?.poll.votesChangeable) {
        refusals.set(vote, alreadyVoted());
      } else if (!sameAnswer(previous, answer)) {
        // The question's row is locked: the move and the counters change together.
        await moveVote(trx, vote.questionId, vote.voterId, answer);
        count(vote.questionId, previous, -1);
        count(vote.questionId, answer, 1);
        const written = question.kind.openText?.(answer);
        if (written !== undefined) await replaceOpenAnswer(trx, openAnswer(vote, written));
        perQuestion.set(vote.questionId, perQuestion.get(vote.questionId) ?? 0);
      }
    }
  }
  if (optionDeltas.size > 0) await addOptionVotes(trx, optionDeltas);
  if (wordDeltas.size > 0) await addWordCounts(trx, wordDeltas, visibilityOf);
  await insertOpenAnswers(trx, newAnswers);
  for (const [questionId, newVotes] of perQuestion) await countQuestionChange(trx, questionId, newVotes);

  // Every question whose votes were stored, moved or refused gets its fresh view.
  const answered = new Set([...perQuestion.keys(), ...notStored.map(({ vote }) => vote.questionId)]);
  const views = new Map((await loadQuestionViews(trx, [...answered])).map((view) => [view.id, view]));
  for (const { vote } of candidates) {
    const view = views.get(vote.questionId);
    const refusal = refusals.get(vote);
    outcomes.set(
      vote,
      !refusal && view ? { ok: true, question: view } : { ok: false, error: refusal ?? alreadyVoted() },
    );
  }
  for (const vote of duplicates) outcomes.set(vote, { ok: false, error: alreadyVoted() });
  for (const vote of superseded) {
    const outcome = outcomes.get(oneOfVoter.get(keyOf(vote))?.vote ?? vote);
    if (outcome) outcomes.set(vote, outcome);
  }
  return outcomes;
}

/** The vote's answer as its row will keep it, or why the vote is refused. */
function checkVote(
  vote: VoteRequest,
  pollCodes: Map<number, string>,
  live: Map<number, OpenQuestion>,
): StoredAnswer | AppError {
  if (pollCodes.get(vote.questionId) !== vote.pollCode) {
    return new AppError('question_not_found', 'audience.vote.questionNotInPoll');
  }
  const question = live.get(vote.questionId);
  if (!question) return new AppError('question_not_live', 'audience.vote.questionNotLive');
  const { names } = question.kind.answerFields;
  const given = Object.keys(vote.answer);
  if (given.length !== names.length || !given.every((name) => (names as readonly string[]).includes(name))) {
    return new AppError('invalid_vote', 'audience.vote.wrongFields', {
      kind: question.kind.name,
      max: MAX_ANSWER_CHARS,
    });
  }
  return question.kind.answer(vote.answer, question);
}
