import type { Db, Trx } from '../db/database.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { QuestionView } from '../realtime/messages.js';
import {
  addOptionVotes,
  addQuestionVotes,
  insertNewVotes,
  loadQuestionViews,
  lockLiveQuestions,
  optionOwners,
  pollCodesById,
  questionPollCodes,
} from './queries.js';

export interface VoteRequest {
  pollCode: string;
  questionId: number;
  optionId: number;
  voterId: string;
}

type Outcome = { ok: true; question: QuestionView } | { ok: false; error: AppError };

interface Pending extends VoteRequest {
  resolve: (question: QuestionView) => void;
  reject: (error: unknown) => void;
}

// Bounds one transaction's statement size (4 parameters a vote) on every dialect.
const MAX_BATCH = 500;

/**
 * Group commit for votes. Votes that arrive while a batch is being written wait for the next
 * one, so under load many votes share one transaction and one fsync, and a lone vote is
 * written at once. Each vote's promise settles only after its batch has committed.
 */
export class VoteBatcher {
  private queue: Pending[] = [];
  /** Poll id → join code: a poll's code never changes, so it is looked up once. */
  private readonly pollCodes = new Map<number, string>();
  private flushing: Promise<void> | undefined;

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
      this.flushing ??= this.flushAll();
    });
  }

  /** Resolves when every vote submitted so far has been written (used on shutdown). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    // Yield once so that votes arriving in the same tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      await this.writeBatch(batch);
    }
    this.flushing = undefined;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let outcomes: Map<Pending, Outcome>;
    try {
      outcomes = await this.db.transaction().execute((trx) => recordVotes(trx, batch, this.pollCodes));
    } catch (error) {
      const unavailable = new AppError('database_unavailable', 'Votes cannot be stored right now. Please try again.', {
        retryAfterSeconds: 2,
      });
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

/** Locks the live ones among the questions and returns their poll codes by question id. */
async function liveQuestionCodes(
  trx: Trx,
  questionIds: number[],
  pollCodeCache: Map<number, string>,
): Promise<Map<number, string>> {
  const pollIds = await lockLiveQuestions(trx, questionIds);
  const unknown = [...new Set(pollIds.values())].filter((id) => !pollCodeCache.has(id));
  if (unknown.length > 0) {
    // Bounded: polls come and go, and a miss costs one query.
    if (pollCodeCache.size > 10_000) pollCodeCache.clear();
    for (const [id, code] of await pollCodesById(trx, unknown)) pollCodeCache.set(id, code);
  }
  return new Map([...pollIds].map(([questionId, pollId]) => [questionId, pollCodeCache.get(pollId) ?? '']));
}

async function recordVotes(
  trx: Trx,
  batch: Pending[],
  pollCodeCache: Map<number, string>,
): Promise<Map<Pending, Outcome>> {
  const questionIds = [...new Set(batch.map((vote) => vote.questionId))];
  const live = await liveQuestionCodes(trx, questionIds, pollCodeCache);
  // Telling "not in this poll" from "closed" takes another look, needed only when a vote fails.
  const notLive = questionIds.filter((id) => !live.has(id));
  const pollCodes = notLive.length > 0 ? new Map([...live, ...(await questionPollCodes(trx, notLive))]) : live;
  const owners = live.size > 0 ? await optionOwners(trx, [...live.keys()]) : new Map<number, number>();

  const outcomes = new Map<Pending, Outcome>();
  // One voter sending the same vote many times at once: the first is written, the rest wait for its outcome.
  const firstOfVoter = new Map<string, Pending>();
  const duplicates: Pending[] = [];
  for (const vote of batch) {
    const error = checkVote(vote, pollCodes, live, owners);
    if (error) {
      outcomes.set(vote, { ok: false, error });
      continue;
    }
    const key = `${vote.questionId}:${vote.voterId}`;
    if (firstOfVoter.has(key)) duplicates.push(vote);
    else firstOfVoter.set(key, vote);
  }

  const candidates = [...firstOfVoter.values()];
  const createdAt = new Date().toISOString();
  const stored =
    candidates.length > 0
      ? await insertNewVotes(
          trx,
          candidates.map((v) => ({
            question_id: v.questionId,
            voter_id: v.voterId,
            option_id: v.optionId,
            created_at: createdAt,
          })),
        )
      : new Set<string>();

  const perOption = new Map<number, number>();
  const perQuestion = new Map<number, number>();
  for (const vote of candidates) {
    if (!stored.has(`${vote.questionId}:${vote.voterId}`)) continue;
    perOption.set(vote.optionId, (perOption.get(vote.optionId) ?? 0) + 1);
    perQuestion.set(vote.questionId, (perQuestion.get(vote.questionId) ?? 0) + 1);
  }
  if (perOption.size > 0) await addOptionVotes(trx, perOption);
  for (const [questionId, count] of perQuestion) await addQuestionVotes(trx, questionId, count);

  const views = new Map((await loadQuestionViews(trx, [...perQuestion.keys()])).map((view) => [view.id, view]));
  const alreadyVoted = () => new AppError('already_voted', 'You have already voted on this question.');
  for (const vote of candidates) {
    const view = views.get(vote.questionId);
    const isStored = stored.has(`${vote.questionId}:${vote.voterId}`);
    outcomes.set(vote, isStored && view ? { ok: true, question: view } : { ok: false, error: alreadyVoted() });
  }
  for (const vote of duplicates) outcomes.set(vote, { ok: false, error: alreadyVoted() });
  return outcomes;
}

function checkVote(
  vote: VoteRequest,
  pollCodes: Map<number, string>,
  live: Map<number, string>,
  owners: Map<number, number>,
): AppError | undefined {
  if (pollCodes.get(vote.questionId) !== vote.pollCode) {
    return new AppError('question_not_found', 'This question does not exist in this poll.');
  }
  if (!live.has(vote.questionId)) {
    return new AppError('question_not_live', 'Voting on this question has closed.');
  }
  if (owners.get(vote.optionId) !== vote.questionId) {
    return new AppError('invalid_option', 'That option does not belong to this question.');
  }
  return undefined;
}
