import { type ExpressionBuilder, sql } from 'kysely';
import type {
  Database,
  DbOrTrx,
  NewOpenAnswer,
  NewVote,
  PollRow,
  QuestionRow,
  QuestionStatus,
  Trx,
} from '../db/database.js';
import { dialectOf, insertReturningId } from '../db/dialect.js';
import type { QuestionView } from '../realtime/messages.js';
import { kindNamed } from './kinds/index.js';
import type { QuestionDraft, QuestionSettings, StoredAnswer } from './kinds/kind.js';
import { SHOWN_ANSWERS } from './kinds/text/kind.js';
import { SHOWN_WORDS } from './kinds/wordcloud/kind.js';
import { Visibility } from './visibility.js';

const now = () => new Date().toISOString();

/** A question's settings as its row keeps them (JSON its kind wrote), or none. */
export const settingsOf = (json: string | null): QuestionSettings => (json === null ? {} : JSON.parse(json));

export function findPollByCode(db: DbOrTrx, code: string): Promise<PollRow | undefined> {
  return db.selectFrom('polls').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findPollById(db: DbOrTrx, id: number): Promise<PollRow | undefined> {
  return db.selectFrom('polls').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertPoll(
  db: DbOrTrx,
  poll: { code: string; title: string; ownerId: number | null; manageTokenHash?: string },
): Promise<PollRow> {
  const id = await insertReturningId(
    db,
    db.insertInto('polls').values({
      code: poll.code,
      title: poll.title,
      owner_id: poll.ownerId,
      manage_token_hash: poll.manageTokenHash ?? null,
      created_at: now(),
    }),
  );
  return pollById(db, id);
}

function pollById(db: DbOrTrx, id: number): Promise<PollRow> {
  return db.selectFrom('polls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export interface PollListing {
  code: string;
  title: string;
  createdAt: string;
  /** False for a quick poll, made without an account. */
  hasOwner: boolean;
  questionCount: number;
  liveQuestion: string | null;
}

/** Polls, newest first: an owner's, or every poll when no owner is given. */
export async function listPollListings(
  db: DbOrTrx,
  ownerId: number | undefined,
  limit: number,
): Promise<PollListing[]> {
  let query = db
    .selectFrom('polls')
    .leftJoin('questions as live', (join) => join.onRef('live.poll_id', '=', 'polls.id').on('live.status', '=', 'live'))
    .select((eb) => [
      'polls.code',
      'polls.title',
      'polls.created_at',
      'polls.owner_id',
      'live.text as live_text',
      eb
        .selectFrom('questions')
        .select(eb.fn.countAll<string | number>().as('n'))
        .whereRef('questions.poll_id', '=', 'polls.id')
        .as('question_count'),
    ])
    .orderBy('polls.id', 'desc')
    .limit(limit);
  if (ownerId !== undefined) query = query.where('polls.owner_id', '=', ownerId);
  const rows = await query.execute();
  return rows.map((row) => ({
    code: row.code,
    title: row.title,
    createdAt: row.created_at,
    hasOwner: row.owner_id !== null,
    questionCount: Number(row.question_count ?? 0),
    liveQuestion: row.live_text,
  }));
}

/** Changes the fairness rules given, and the audience's language; the others stay. */
export async function updatePollRules(
  db: DbOrTrx,
  pollId: number,
  rules: {
    oneVotePerAddress?: boolean | undefined;
    votesChangeable?: boolean | undefined;
    hideResults?: boolean | undefined;
    language?: string | null | undefined;
  },
): Promise<PollRow> {
  const changes = {
    ...(rules.language === undefined ? {} : { language: rules.language }),
    ...(rules.oneVotePerAddress === undefined ? {} : { one_vote_per_address: rules.oneVotePerAddress ? 1 : 0 }),
    ...(rules.votesChangeable === undefined ? {} : { votes_changeable: rules.votesChangeable ? 1 : 0 }),
    ...(rules.hideResults === undefined ? {} : { hide_results: rules.hideResults ? 1 : 0 }),
  };
  if (Object.keys(changes).length > 0) await db.updateTable('polls').set(changes).where('id', '=', pollId).execute();
  return pollById(db, pollId);
}

/** Removes the poll; its questions, options and votes go with it (foreign keys cascade). */
export async function deletePollRow(db: DbOrTrx, pollId: number): Promise<void> {
  await db.deleteFrom('polls').where('id', '=', pollId).execute();
}

export function findQuestion(db: DbOrTrx, questionId: number): Promise<QuestionRow | undefined> {
  return db.selectFrom('questions').selectAll().where('id', '=', questionId).executeTakeFirst();
}

/** The poll's question ids in the poll's order (ids break ties of questions made at the same moment). */
export async function listQuestionIds(db: DbOrTrx, pollId: number): Promise<number[]> {
  return (await listQuestionOutlines(db, pollId)).map((question) => question.id);
}

/** A question as a list of the poll's questions names it. */
export interface QuestionOutline {
  id: number;
  text: string;
}

/** The poll's questions in its order, by id and text. */
export function listQuestionOutlines(db: DbOrTrx, pollId: number): Promise<QuestionOutline[]> {
  return db
    .selectFrom('questions')
    .select(['id', 'text'])
    .where('poll_id', '=', pollId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** Numbers the poll's questions 1, 2, 3… in the given order, writing only the positions that change. */
export async function setQuestionOrder(trx: Trx, pollId: number, orderedIds: readonly number[]): Promise<void> {
  const rows = await trx.selectFrom('questions').select(['id', 'position']).where('poll_id', '=', pollId).execute();
  const current = new Map(rows.map((row) => [row.id, row.position]));
  for (const [i, id] of orderedIds.entries()) {
    if (current.get(id) !== i + 1) {
      await trx
        .updateTable('questions')
        .set({ position: i + 1 })
        .where('id', '=', id)
        .execute();
    }
  }
}

/** A word cloud's shown words given most, most first (ties in the order of the words). */
function topWords(db: DbOrTrx, questionId: number): Promise<{ text: string; count: number }[]> {
  return db
    .selectFrom('word_counts')
    .select(['word as text', 'count'])
    .where('question_id', '=', questionId)
    .where('count', '>', 0)
    .where('hidden', '=', Visibility.shown)
    .orderBy('count', 'desc')
    .orderBy('word')
    .limit(SHOWN_WORDS)
    .execute();
}

/** An open question's shown answers, newest first: the latest `limit`, or every one. */
export function openAnswers(
  db: DbOrTrx,
  questionId: number,
  limit?: number,
): Promise<{ id: number; text: string; createdAt: string }[]> {
  const answers = db
    .selectFrom('answers')
    .select(['id', 'text', 'created_at as createdAt'])
    .where('question_id', '=', questionId)
    .where('hidden', '=', Visibility.shown)
    .orderBy('id', 'desc');
  return (limit === undefined ? answers : answers.limit(limit)).execute();
}

/** What a question object holds beyond what every screen sees. */
export interface ViewOptions {
  /** An open question's every shown answer (for an export), not only its latest. */
  everyAnswer?: boolean;
  /** A quiz question's right options, and results the audience does not see yet: for its organizer. */
  forOrganizer?: boolean;
}

/** The API's question objects, with counts, for the given ids (in the order given). */
export async function loadQuestionViews(
  db: DbOrTrx,
  questionIds: readonly number[],
  { everyAnswer = false, forOrganizer = false }: ViewOptions = {},
): Promise<QuestionView[]> {
  if (questionIds.length === 0) return [];
  const [questions, options] = await Promise.all([
    db
      .selectFrom('questions')
      .innerJoin('polls', 'polls.id', 'questions.poll_id')
      .select([
        'questions.id',
        'questions.kind',
        'questions.settings',
        'questions.text',
        'questions.status',
        'questions.version',
        'questions.total_votes',
        'questions.revealed_at',
        'questions.hide_results',
        'questions.time_limit_sec',
        'questions.closes_at',
        'questions.created_at',
        'polls.code',
      ])
      .where('questions.id', 'in', questionIds)
      .execute(),
    db
      .selectFrom('options')
      .select(['id', 'question_id', 'text', 'votes'])
      .where('question_id', 'in', questionIds)
      .orderBy('question_id')
      .orderBy('position')
      .execute(),
  ]);
  const optionsOf = new Map<number, typeof options>();
  for (const option of options) {
    const list = optionsOf.get(option.question_id);
    if (list) list.push(option);
    else optionsOf.set(option.question_id, [option]);
  }
  // Results kept from the audience until the reveal: their copy holds how many answered, no counts.
  const withheld = (q: (typeof questions)[number]) => q.hide_results === 1 && q.revealed_at === null && !forOrganizer;
  const counted = questions.filter((q) => !withheld(q));
  // Only the kinds that count words read them: one look each, at the words given most.
  const wordsOf = new Map(
    await Promise.all(
      counted.filter((q) => kindNamed(q.kind).words).map(async (q) => [q.id, await topWords(db, q.id)] as const),
    ),
  );
  const answersOf = new Map(
    await Promise.all(
      counted
        .filter((q) => kindNamed(q.kind).openText)
        .map(async (q) => [q.id, await openAnswers(db, q.id, everyAnswer ? undefined : SHOWN_ANSWERS)] as const),
    ),
  );
  const byId = new Map(
    questions.map((q): [number, QuestionView] => {
      const options = optionsOf.get(q.id) ?? [];
      const hidden = withheld(q);
      const view = kindNamed(q.kind).view(
        {
          id: q.id,
          pollCode: q.code,
          text: q.text,
          status: q.status,
          // A withheld copy is drawn as if no one had answered (no percent, no average, no
          // order by points), then says how many did.
          totalVotes: hidden ? 0 : q.total_votes,
          version: q.version,
          createdAt: q.created_at,
          ...(q.hide_results === 1 ? { hiddenResults: { revealed: q.revealed_at !== null, withheld: hidden } } : {}),
          ...(q.time_limit_sec === null ? {} : { timeLimitSec: q.time_limit_sec }),
          ...countdownOf(q.status, q.closes_at),
        },
        {
          options: hidden ? options.map((option) => ({ ...option, votes: 0 })) : options,
          words: wordsOf.get(q.id) ?? [],
          answers: answersOf.get(q.id) ?? [],
        },
        settingsOf(q.settings),
        { revealed: q.revealed_at !== null, toOrganizer: forOrganizer },
      );
      return [q.id, { ...view, totalVotes: q.total_votes }];
    }),
  );
  return questionIds.flatMap((id) => byId.get(id) ?? []);
}

/**
 * A live question's countdown: when it ends, and how long that is from now, from which every
 * device counts down alike, whatever its own clock says.
 */
function countdownOf(status: QuestionStatus, closesAt: string | null) {
  if (status !== 'live' || closesAt === null) return {};
  return { closesAt, closesInMs: Math.max(0, Date.parse(closesAt) - Date.now()) };
}

export async function loadQuestionView(
  db: DbOrTrx,
  questionId: number,
  options: ViewOptions = {},
): Promise<QuestionView | undefined> {
  const [view] = await loadQuestionViews(db, [questionId], options);
  return view;
}

export async function insertQuestion(
  trx: Trx,
  question: QuestionDraft & {
    pollId: number;
    status: QuestionStatus;
    hideResults: boolean;
    timeLimitSec: number | null;
    closesAt: string | null;
  },
): Promise<number> {
  const timestamp = now();
  const last = await trx
    .selectFrom('questions')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('poll_id', '=', question.pollId)
    .executeTakeFirst();
  const id = await insertReturningId(
    trx,
    trx.insertInto('questions').values({
      poll_id: question.pollId,
      kind: question.kind,
      settings: question.settings && JSON.stringify(question.settings),
      text: question.text,
      status: question.status,
      hide_results: question.hideResults ? 1 : 0,
      time_limit_sec: question.timeLimitSec,
      closes_at: question.closesAt,
      live_at: question.status === 'live' ? timestamp : null,
      // Last in the poll's order: a session runs in the order its questions were made.
      position: Number(last?.position ?? 0) + 1,
      created_at: timestamp,
      updated_at: timestamp,
    }),
  );
  if (question.options.length > 0) {
    await trx
      .insertInto('options')
      .values(question.options.map((text, position) => ({ question_id: id, position, text })))
      .execute();
  }
  return id;
}

/**
 * Serializes changes of a poll's live question: a no-op update takes the poll's row lock on
 * PostgreSQL and MySQL (SQLite runs one write transaction at a time anyway), so two
 * activations at once cannot both find no live question and both go live.
 */
export async function lockPoll(trx: Trx, pollId: number): Promise<void> {
  await trx
    .updateTable('polls')
    .set((eb) => ({ title: eb.ref('title') }))
    .where('id', '=', pollId)
    .execute();
}

/**
 * Makes the question its poll's current one: the question screens show, live or after it
 * closes. It takes the leaderboard's place on the screens, if that showed.
 */
export async function setCurrentQuestion(trx: Trx, pollId: number, questionId: number): Promise<void> {
  await trx
    .updateTable('polls')
    .set({ current_question_id: questionId, show_leaderboard: 0 })
    .where('id', '=', pollId)
    .execute();
}

/** Closes the poll's live question, if any; its results stay. */
export async function closeLiveQuestion(trx: Trx, pollId: number): Promise<void> {
  await trx
    .updateTable('questions')
    .set((eb) => ({ status: 'closed', closes_at: null, version: eb('version', '+', 1), updated_at: now() }))
    .where('poll_id', '=', pollId)
    .where('status', '=', 'live')
    .execute();
}

/** A question's new status; a countdown runs only on a live question, until `closesAt`. */
export async function setQuestionStatus(
  db: DbOrTrx,
  questionId: number,
  status: QuestionStatus,
  closesAt: string | null = null,
): Promise<void> {
  await db
    .updateTable('questions')
    .set((eb) => ({
      status,
      closes_at: closesAt,
      ...(status === 'live' ? { live_at: now() } : {}),
      version: eb('version', '+', 1),
      updated_at: now(),
    }))
    .where('id', '=', questionId)
    .execute();
}

/** Starts (a time) or stops (null) the countdown of a live question; false if it is not live. */
export async function setCountdown(db: DbOrTrx, questionId: number, closesAt: string | null): Promise<boolean> {
  const result = await db
    .updateTable('questions')
    .set((eb) => ({ closes_at: closesAt, version: eb('version', '+', 1), updated_at: now() }))
    .where('id', '=', questionId)
    .where('status', '=', 'live')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The seconds of voting a question gets each time it goes live (null: no limit). */
export async function setTimeLimit(db: DbOrTrx, questionId: number, seconds: number | null): Promise<void> {
  await db.updateTable('questions').set({ time_limit_sec: seconds }).where('id', '=', questionId).execute();
}

/** Live questions whose countdown has ended, with their poll's code. */
export function dueQuestions(db: DbOrTrx, at: string): Promise<{ id: number; code: string }[]> {
  return db
    .selectFrom('questions')
    .innerJoin('polls', 'polls.id', 'questions.poll_id')
    .select(['questions.id', 'polls.code'])
    .where('questions.status', '=', 'live')
    .where('questions.closes_at', '<=', at)
    .execute();
}

/** Closes a live question whose countdown has ended; false if another instance (or the organizer) did first. */
export async function closeIfDue(db: DbOrTrx, questionId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('questions')
    .set((eb) => ({ status: 'closed', closes_at: null, version: eb('version', '+', 1), updated_at: now() }))
    .where('id', '=', questionId)
    .where('status', '=', 'live')
    .where('closes_at', '<=', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A question's kind and settings as an edit changed them; `unreveal`: its new right answer is secret again. */
export async function updateQuestionKind(
  trx: Trx,
  questionId: number,
  draft: QuestionDraft,
  { unreveal }: { unreveal: boolean },
): Promise<void> {
  await trx
    .updateTable('questions')
    .set({
      kind: draft.kind,
      settings: draft.settings && JSON.stringify(draft.settings),
      ...(unreveal ? { revealed_at: null } : {}),
    })
    .where('id', '=', questionId)
    .execute();
}

/**
 * Whether the audience sees the question's results before the organizer reveals them; hiding
 * them again after a reveal keeps them (and a quiz's answer) hidden until the next reveal.
 */
export async function setResultsHidden(db: DbOrTrx, questionId: number, hidden: boolean): Promise<void> {
  await db
    .updateTable('questions')
    .set((eb) => ({
      hide_results: hidden ? 1 : 0,
      ...(hidden ? { revealed_at: null } : {}),
      version: eb('version', '+', 1),
      updated_at: now(),
    }))
    .where('id', '=', questionId)
    .where('hide_results', '=', hidden ? 0 : 1)
    .execute();
}

/** Shows a question's results and a quiz question's right options to everyone; a second reveal changes nothing. */
export async function revealQuestion(db: DbOrTrx, questionId: number): Promise<void> {
  await db
    .updateTable('questions')
    .set((eb) => ({ revealed_at: now(), version: eb('version', '+', 1), updated_at: now() }))
    .where('id', '=', questionId)
    .where('revealed_at', 'is', null)
    .execute();
}

export async function updateQuestionText(trx: Trx, questionId: number, text: string | undefined): Promise<void> {
  await trx
    .updateTable('questions')
    .set((eb) => ({ ...(text === undefined ? {} : { text }), version: eb('version', '+', 1), updated_at: now() }))
    .where('id', '=', questionId)
    .execute();
}

export async function optionIdsOf(db: DbOrTrx, questionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('options')
    .select('id')
    .where('question_id', '=', questionId)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.id);
}

export async function renameOption(trx: Trx, optionId: number, text: string): Promise<void> {
  await trx.updateTable('options').set({ text }).where('id', '=', optionId).execute();
}

/** Replaces every option; only for a question without votes. */
export async function replaceOptions(trx: Trx, questionId: number, options: readonly string[]): Promise<void> {
  await trx.deleteFrom('options').where('question_id', '=', questionId).execute();
  await trx
    .insertInto('options')
    .values(options.map((text, position) => ({ question_id: questionId, position, text })))
    .execute();
}

/** Removes the question; its options and votes go with it (foreign keys cascade). */
export async function deleteQuestionRow(db: DbOrTrx, questionId: number): Promise<void> {
  await db.deleteFrom('questions').where('id', '=', questionId).execute();
}

export async function findVote(db: DbOrTrx, questionId: number, voterId: string): Promise<StoredAnswer | undefined> {
  return db
    .selectFrom('votes')
    .select(['option_id', 'answer'])
    .where('question_id', '=', questionId)
    .where('voter_id', '=', voterId)
    .executeTakeFirst();
}

// --- The vote batch: every query below runs once per batch, whatever its size. ---

export interface LiveQuestion {
  pollId: number;
  kind: string;
  settings: QuestionSettings;
}

/** A live question whose countdown, if one runs, has not ended: a vote after zero is too late. */
const stillCounting = (eb: ExpressionBuilder<Database, 'questions'>) =>
  eb.or([eb('closes_at', 'is', null), eb('closes_at', '>', now())]);

/**
 * Those of the questions that are live (and whose countdown has not ended), by id. Updating the rows (to what they hold) locks them
 * on PostgreSQL, and `for update` on MySQL, so a question cannot close while its votes commit,
 * and votes for it are written one batch at a time; SQLite has one writer anyway.
 */
export async function lockLiveQuestions(trx: Trx, questionIds: readonly number[]): Promise<Map<number, LiveQuestion>> {
  const rows = dialectOf(trx).returning
    ? await trx
        .updateTable('questions')
        .set((eb) => ({ version: eb.ref('version') }))
        .where('id', 'in', questionIds)
        .where('status', '=', 'live')
        .where(stillCounting)
        .returning(['id', 'poll_id', 'kind', 'settings'])
        .execute()
    : await trx
        .selectFrom('questions')
        .select(['id', 'poll_id', 'kind', 'settings'])
        .where('id', 'in', questionIds)
        .where('status', '=', 'live')
        .where(stillCounting)
        .forUpdate()
        .execute();
  return new Map(
    rows.map((row) => [row.id, { pollId: row.poll_id, kind: row.kind, settings: settingsOf(row.settings) }]),
  );
}

export interface PollVoteRules {
  code: string;
  oneVotePerAddress: boolean;
  votesChangeable: boolean;
  profanityFilter: boolean;
}

/** What a vote batch needs to know of each poll: its code and its fairness choices. */
export async function pollVoteRules(trx: Trx, pollIds: readonly number[]): Promise<Map<number, PollVoteRules>> {
  const rows = await trx
    .selectFrom('polls')
    .select(['id', 'code', 'one_vote_per_address', 'votes_changeable', 'profanity_filter'])
    .where('id', 'in', pollIds)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        code: row.code,
        oneVotePerAddress: row.one_vote_per_address === 1,
        votesChangeable: row.votes_changeable === 1,
        profanityFilter: row.profanity_filter === 1,
      },
    ]),
  );
}

/** The answers these voters gave to these questions, by `questionId:voterId`. */
export async function existingAnswers(
  trx: Trx,
  questionIds: readonly number[],
  voterIds: readonly string[],
): Promise<Map<string, StoredAnswer>> {
  const rows = await trx
    .selectFrom('votes')
    .select(['question_id', 'voter_id', 'option_id', 'answer'])
    .where('question_id', 'in', questionIds)
    .where('voter_id', 'in', voterIds)
    .execute();
  return new Map(
    rows.map((row) => [`${row.question_id}:${row.voter_id}`, { option_id: row.option_id, answer: row.answer }]),
  );
}

/**
 * Replaces one voter's answer (the counters are adjusted by the caller). It dates from now: a
 * quiz's speed bonus is for the answer that stands, not for a guess made early and changed.
 */
export async function moveVote(trx: Trx, questionId: number, voterId: string, answer: StoredAnswer): Promise<void> {
  await trx
    .updateTable('votes')
    .set({ ...answer, created_at: now() })
    .where('question_id', '=', questionId)
    .where('voter_id', '=', voterId)
    .execute();
}

export async function questionPollCodes(trx: Trx, questionIds: readonly number[]): Promise<Map<number, string>> {
  const rows = await trx
    .selectFrom('questions')
    .innerJoin('polls', 'polls.id', 'questions.poll_id')
    .select(['questions.id', 'polls.code'])
    .where('questions.id', 'in', questionIds)
    .execute();
  return new Map(rows.map((row) => [row.id, row.code]));
}

/** The option ids of each of the given questions, in their order. */
export async function optionIdsByQuestion(trx: Trx, questionIds: readonly number[]): Promise<Map<number, number[]>> {
  const rows = await trx
    .selectFrom('options')
    .select(['id', 'question_id'])
    .where('question_id', 'in', questionIds)
    .orderBy('question_id')
    .orderBy('position')
    .execute();
  const byQuestion = new Map<number, number[]>();
  for (const row of rows) {
    const ids = byQuestion.get(row.question_id);
    if (ids) ids.push(row.id);
    else byQuestion.set(row.question_id, [row.id]);
  }
  return byQuestion;
}

/**
 * Inserts the votes that break neither one-vote-per-voter nor, where set, one-vote-per-address;
 * returns `questionId:voterId` of those stored. The votes' questions must be locked
 * (`lockLiveQuestions`).
 */
export async function insertNewVotes(trx: Trx, votes: readonly NewVote[]): Promise<Set<string>> {
  if (dialectOf(trx).returning) {
    const rows = await trx
      .insertInto('votes')
      .values(votes)
      .onConflict((oc) => oc.doNothing())
      .returning(['question_id', 'voter_id'])
      .execute();
    return new Set(rows.map((row) => `${row.question_id}:${row.voter_id}`));
  }
  // MySQL tells how many rows an insert stored, not which. The questions are locked, so no one
  // else adds votes to them meanwhile: the votes stored are those absent before and present after.
  // A clash leaves the row as it was; unlike `insert ignore`, any other error still fails.
  const questionIds = [...new Set(votes.map((vote) => vote.question_id))];
  const voterIds = [...new Set(votes.map((vote) => vote.voter_id))];
  const before = await existingAnswers(trx, questionIds, voterIds);
  await trx
    .insertInto('votes')
    .values(votes)
    .onDuplicateKeyUpdate((eb) => ({ question_id: eb.ref('votes.question_id') }))
    .execute();
  const after = await existingAnswers(trx, questionIds, voterIds);
  return new Set(
    votes.map((vote) => `${vote.question_id}:${vote.voter_id}`).filter((key) => after.has(key) && !before.has(key)),
  );
}

/** Adds new votes to many options in one statement: option id → how many to add (or take away). */
export async function addOptionVotes(trx: Trx, counts: ReadonlyMap<number, number>): Promise<void> {
  const integer = sql.raw(dialectOf(trx).integerCast);
  const increments = [...counts].map(([id, count]) => sql`when ${id} then cast(${count} as ${integer})`);
  await trx
    .updateTable('options')
    .set((eb) => ({
      votes: eb('votes', '+', sql<number>`case ${sql.ref('id')} ${sql.join(increments, sql` `)} else 0 end`),
    }))
    .where('id', 'in', [...counts.keys()])
    .execute();
}

/**
 * Adds to the words' counts of each question; one statement for a whole batch. A word given for
 * the first time gets its row, shown or not as `visibilityOf` says; a word's row keeps its own.
 */
export async function addWordCounts(
  trx: Trx,
  counts: ReadonlyMap<number, ReadonlyMap<string, number>>,
  visibilityOf: (questionId: number, word: string) => Visibility,
): Promise<void> {
  const rows = [...counts].flatMap(([questionId, words]) =>
    [...words].map(([word, count]) => ({
      question_id: questionId,
      word,
      count,
      hidden: visibilityOf(questionId, word),
    })),
  );
  if (rows.length === 0) return;
  const insert = trx.insertInto('word_counts').values(rows);
  await (dialectOf(trx).kind === 'mysql'
    ? insert.onDuplicateKeyUpdate({ count: sql`count + values(count)` })
    : insert.onConflict((oc) =>
        oc.columns(['question_id', 'word']).doUpdateSet({ count: sql`word_counts.count + excluded.count` }),
      )
  ).execute();
}

/** New open answers, each with its voter, in one statement for a whole batch. */
export async function insertOpenAnswers(trx: Trx, rows: readonly NewOpenAnswer[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('answers').values(rows).execute();
}

/** A voter's changed open answer: it goes to the top of the wall under a new id, as a new answer would. */
export async function replaceOpenAnswer(trx: Trx, row: NewOpenAnswer): Promise<void> {
  // An answer the organizer hid stays hidden through its author's edits.
  const before = await trx
    .selectFrom('answers')
    .select('hidden')
    .where('question_id', '=', row.question_id)
    .where('voter_id', '=', row.voter_id)
    .executeTakeFirst();
  await trx
    .deleteFrom('answers')
    .where('question_id', '=', row.question_id)
    .where('voter_id', '=', row.voter_id)
    .execute();
  const hidden = before?.hidden === Visibility.hidden ? Visibility.hidden : row.hidden;
  await trx
    .insertInto('answers')
    .values({ ...row, hidden })
    .execute();
}

/** A question whose counts changed: its total grows by the new votes (0 for moves) and its version by one. */
export async function countQuestionChange(trx: Trx, questionId: number, newVotes: number): Promise<void> {
  await trx
    .updateTable('questions')
    .set((eb) => ({ total_votes: eb('total_votes', '+', newVotes), version: eb('version', '+', 1) }))
    .where('id', '=', questionId)
    .execute();
}
