import type { Db, PollRow, QuestionRow, UserRow } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { AppError } from '../errors.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import { checkImage } from '../ocr/image-check.js';
import type { OcrProvider } from '../ocr/provider.js';
import { cleanText } from '../ocr/text.js';
import type { QuestionView } from '../realtime/messages.js';
import type { AudiencePresence } from '../realtime/presence.js';
import { tokenMatches } from '../tokens.js';
import { DEFAULT_POLL_CODE, generateJoinCode, normalizeJoinCode } from './codes.js';
import { type CsvFile, resultsCsv } from './csv.js';
import { DEFAULT_KIND, hasOptions, KINDS_WITH_OPTIONS, type KindWithOptions, kindNamed } from './kinds/index.js';
import type { QuestionDraft, StoredAnswer } from './kinds/kind.js';
import { awaitsReveal, quizField } from './kinds/quiz.js';
import type { LivePublisher } from './live-publisher.js';
import { everyAnswer } from './moderation-queries.js';
import type { QaSettings } from './qa.js';
import type { QaPublisher } from './qa-live.js';
import {
  closeLiveQuestion,
  deletePollRow,
  deleteQuestionRow,
  findPollByCode,
  findPollById,
  findQuestion,
  findVote,
  insertPoll,
  insertQuestion,
  listPollListings,
  listQuestionIds,
  loadQuestionView,
  loadQuestionViews,
  lockPoll,
  optionIdsOf,
  type PollListing,
  renameOption,
  replaceOptions,
  revealQuestion,
  setCurrentQuestion,
  setQuestionOrder,
  setQuestionStatus,
  setResultsHidden,
  setTimeLimit,
  updatePollRules,
  updateQuestionKind,
  updateQuestionText,
} from './queries.js';
import type { QuestionClock } from './question-clock.js';
import { draftFromReading } from './rules.js';
import type { NewQuestionFields, QuestionEdit } from './schemas.js';
import type { StandingsCache } from './standings.js';
import type { VoteBatcher, VoteRequest } from './vote-batcher.js';

/** What the poll functions work with; built once per app. */
export interface PollDeps {
  db: Db;
  live: LivePublisher;
  votes: VoteBatcher;
  clock: QuestionClock;
  audience: AudiencePresence;
  standings: StandingsCache;
  qa: QaPublisher;
}

export interface PollSummary {
  code: string;
  title: string;
  rules: PollRules;
  qa: QaSettings;
  liveQuestion: QuestionView | null;
  currentQuestion: QuestionView | null;
}

export async function ensureDefaultPoll(db: Db, ownerId: number): Promise<PollRow> {
  const existing = await findPollByCode(db, DEFAULT_POLL_CODE);
  if (existing) return existing;
  try {
    return await insertPoll(db, { code: DEFAULT_POLL_CODE, title: 'Pollcast', ownerId });
  } catch (error) {
    // Instances starting at once on one new database: one makes the default poll, the others find it.
    if (!isUniqueViolation(error)) throw error;
    const made = await findPollByCode(db, DEFAULT_POLL_CODE);
    if (!made) throw error;
    return made;
  }
}

/** The poll a typed code names, if any. */
export async function findPoll(db: Db, codeInput: string): Promise<PollRow | undefined> {
  const code = normalizeJoinCode(codeInput);
  return code ? findPollByCode(db, code) : undefined;
}

export async function requirePoll(db: Db, codeInput: string): Promise<PollRow> {
  const poll = await findPoll(db, codeInput);
  if (!poll) throw new AppError('poll_not_found', 'errors.noSuchPoll');
  return poll;
}

/**
 * The question a poll's screens show: the one most recently made live, with its final results
 * once it has closed, until another goes live. Null before the first, or once it is deleted.
 */
export async function currentQuestionOf(
  db: Db,
  poll: PollRow,
  as: { forOrganizer?: boolean } = {},
): Promise<QuestionView | null> {
  const id = poll.current_question_id;
  return (id !== null && (await loadQuestionView(db, id, as))) || null;
}

/** Making a question live makes it current, so the live question, if any, is the current one. */
export const liveOnly = (question: QuestionView | null) => (question?.status === 'live' ? question : null);

export async function pollSummary(db: Db, codeInput: string): Promise<PollSummary> {
  const poll = await requirePoll(db, codeInput);
  const currentQuestion = await currentQuestionOf(db, poll);
  return {
    code: poll.code,
    title: poll.title,
    rules: voteRulesOf(poll),
    qa: qaSettingsOf(poll),
    liveQuestion: liveOnly(currentQuestion),
    currentQuestion,
  };
}

/** This voter's answer to this question, if they gave one. */
export async function voterAnswer(db: Db, questionId: number, voterId: string): Promise<StoredAnswer | null> {
  return (await findVote(db, questionId, voterId)) ?? null;
}

/** Resolves with the question's fresh results once the vote is committed. */
export function castVote(deps: PollDeps, vote: VoteRequest): Promise<QuestionView> {
  return deps.votes.submit(vote);
}

// --- Polls of organizers ---

const MAX_TITLE_CHARS = 120;
const LISTED_POLLS = 200;

/**
 * Runs `create` with a fresh join code, again with another one in the rare case that the
 * code is taken (32^6 codes: a clash is unlikely, never impossible).
 */
export async function withNewJoinCode<T>(create: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create(generateJoinCode());
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

export function pollTitle(input: string): string {
  const title = cleanText(input, MAX_TITLE_CHARS + 1);
  if (!title) throw new AppError('validation_failed', 'organizer.errors.titleMissing');
  if (title.length > MAX_TITLE_CHARS) {
    throw new AppError('validation_failed', 'organizer.errors.titleTooLong', { max: MAX_TITLE_CHARS });
  }
  return title;
}

export async function createPoll(db: Db, user: UserRow, input: { title: string }): Promise<PollRow> {
  const title = pollTitle(input.title);
  return withNewJoinCode((code) => insertPoll(db, { code, title, ownerId: user.id }));
}

/** The user's polls, newest first; the admin sees every poll, quick polls included. */
export function listPolls(db: Db, user: UserRow): Promise<PollListing[]> {
  return listPollListings(db, user.role === 'admin' ? undefined : user.id, LISTED_POLLS);
}

export interface VoteRules {
  /** At most one vote per question from each network address. */
  oneVotePerAddress?: boolean | undefined;
  /** Voters may move their vote until the question closes. */
  votesChangeable?: boolean | undefined;
  /** New questions keep their results from the audience until the organizer reveals them. */
  hideResults?: boolean | undefined;
  /** The language of the audience's pages for visitors who picked none; null: each browser's own. */
  language?: Locale | null | undefined;
}

/** Changes a poll's fairness rules; they apply to the votes that arrive from now on. */
export async function setVoteRules(db: Db, manager: Manager, codeInput: string, rules: VoteRules): Promise<PollRow> {
  const poll = await requireManagedPoll(db, manager, codeInput);
  return updatePollRules(db, poll.id, rules);
}

/** A poll's rules as the API shows them: its fairness rules, whether it filters profanity, its audience's language. */
export type PollRules = Required<VoteRules> & { profanityFilter: boolean };

export function voteRulesOf(poll: PollRow): PollRules {
  return {
    oneVotePerAddress: poll.one_vote_per_address === 1,
    votesChangeable: poll.votes_changeable === 1,
    profanityFilter: poll.profanity_filter === 1,
    hideResults: poll.hide_results === 1,
    language: audienceLanguageOf(poll),
  };
}

/** The language a poll's audience pages speak to visitors who picked none, if the organizer chose one. */
export const audienceLanguageOf = (poll: PollRow): Locale | null => (isLocale(poll.language) ? poll.language : null);

/** How the poll takes questions from its audience. */
export function qaSettingsOf(poll: PollRow): QaSettings {
  return { open: poll.qa_open === 1, moderated: poll.qa_moderated === 1, named: poll.qa_named === 1 };
}

/** Deletes a poll with its questions and votes; its viewers are told it has no question any more. */
export async function deletePoll(deps: PollDeps, manager: Manager, codeInput: string): Promise<void> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  if (poll.code === DEFAULT_POLL_CODE) {
    throw new AppError('forbidden', 'organizer.errors.defaultPollUndeletable');
  }
  await deletePollRow(deps.db, poll.id);
  deps.live.question(poll.code, null);
}

// --- Managing questions (organizers and admins) ---

/** Who may change a poll: a signed-in user, or whoever holds a quick poll's manage token. */
export type Manager = { user: UserRow } | { manageToken: string };

/** Whether the token is the manage token of this (quick) poll. */
export function holdsManageToken(poll: PollRow, token: string): boolean {
  return poll.manage_token_hash !== null && tokenMatches(token, poll.manage_token_hash);
}

/** Whether the manager may change the poll: its owner, the admin, or its manage token's holder. */
export function canManage(manager: Manager, poll: PollRow): boolean {
  if ('user' in manager) return manager.user.role === 'admin' || poll.owner_id === manager.user.id;
  return holdsManageToken(poll, manager.manageToken);
}

/** A poll the manager may change; any other poll is "not found", so that its existence is not revealed. */
export async function requireManagedPoll(db: Db, manager: Manager, codeInput: string): Promise<PollRow> {
  const poll = await requirePoll(db, codeInput);
  if (!canManage(manager, poll)) throw new AppError('poll_not_found', 'errors.noSuchPoll');
  return poll;
}

/** The poll of a question the manager may change, or null. */
export async function managedQuestionPoll(db: Db, manager: Manager, questionId: number): Promise<PollRow | null> {
  const question = await findQuestion(db, questionId);
  const poll = question && (await findPollById(db, question.poll_id));
  return poll && canManage(manager, poll) ? poll : null;
}

export async function requireManagedQuestion(
  db: Db,
  manager: Manager,
  questionId: number,
): Promise<{ question: QuestionRow; poll: PollRow }> {
  const question = await findQuestion(db, questionId);
  const poll = question && (await findPollById(db, question.poll_id));
  if (!question || !poll || !canManage(manager, poll)) {
    throw new AppError('question_not_found', 'errors.noSuchQuestion');
  }
  return { question, poll };
}

/** Every answer to an open question the manager may see, newest first, the hidden ones marked. */
export async function everyOpenAnswer(db: Db, manager: Manager, questionId: number) {
  await requireManagedQuestion(db, manager, questionId);
  const question = await requireView(db, questionId);
  if (question.kind !== 'text') {
    throw new AppError('validation_failed', 'organizer.errors.notOpenQuestion');
  }
  return everyAnswer(db, questionId);
}

/** A question the manager may change, with its counts. */
export async function managedQuestion(db: Db, manager: Manager, questionId: number): Promise<QuestionView> {
  await requireManagedQuestion(db, manager, questionId);
  return requireView(db, questionId);
}

/** A poll's questions, in its order, as its organizer sees them. */
export async function listQuestions(
  db: Db,
  poll: PollRow,
  options: { everyAnswer?: boolean } = {},
): Promise<QuestionView[]> {
  return loadQuestionViews(db, await listQuestionIds(db, poll.id), { ...options, forOrganizer: true });
}

/**
 * How a new question starts: live or a draft; hiding its results until revealed (the poll's rule
 * says, unless it is asked); with a time limit, counting down whenever it is live.
 */
export interface NewQuestionOptions {
  activate: boolean;
  hideResults?: boolean | undefined;
  timeLimitSec?: number | undefined;
}

async function createQuestion(
  deps: PollDeps,
  poll: PollRow,
  draft: QuestionDraft,
  { activate, hideResults = poll.hide_results === 1, timeLimitSec }: NewQuestionOptions,
): Promise<QuestionView> {
  const row = { pollId: poll.id, ...draft, hideResults, timeLimitSec: timeLimitSec ?? null };
  const closesAt = activate ? countdownEnd(deps, row.timeLimitSec) : null;
  const id = await deps.db.transaction().execute(async (trx) => {
    if (!activate) return insertQuestion(trx, { ...row, status: 'draft', closesAt: null });
    await lockPoll(trx, poll.id);
    await closeLiveQuestion(trx, poll.id);
    const id = await insertQuestion(trx, { ...row, status: 'live', closesAt });
    await setCurrentQuestion(trx, poll.id, id);
    return id;
  });
  if (activate) await announce(deps, poll.code, id);
  return requireView(deps.db, id);
}

export function createTypedQuestion(
  deps: PollDeps,
  poll: PollRow,
  input: NewQuestionFields,
  options: NewQuestionOptions,
): Promise<QuestionView> {
  return createQuestion(deps, poll, draftTyped(input), options);
}

/** A typed question held to its kind's rules; right options only where a kind keeps them. */
export function draftTyped(input: NewQuestionFields): QuestionDraft {
  const draft = kindNamed(input.kind ?? DEFAULT_KIND).draft(input);
  if (input.correct !== undefined && draft.settings?.correct === undefined) {
    throw new AppError('validation_failed', 'organizer.errors.quizKinds');
  }
  return draft;
}

export interface ImageUploads {
  question: Buffer;
  options: Buffer;
}

/** What a question read from images becomes: a kind with options, and a quiz's right options. */
export interface QuestionShape {
  kind: KindWithOptions;
  correct?: number[];
}

/** Two images to read into a question, and what to make of them. */
export interface ImageRead {
  images: ImageUploads;
  /** Whether the new question goes live at once. */
  activate: boolean;
  shape: QuestionShape;
  /** The language the images are written in (a Tesseract code); undefined: the engine's default. */
  language: string | undefined;
}

/**
 * Reads the two images and turns them into a question. Nothing is stored unless OCR
 * succeeded and what it read makes a valid poll question.
 */
export async function createQuestionFromImages(
  deps: PollDeps,
  ocr: OcrProvider,
  poll: PollRow,
  { images, activate, shape, language }: ImageRead,
): Promise<{ question: QuestionView; ocr: { provider: string; model: string; ms: number } }> {
  const questionImage = await checkImage(images.question, 'question image', ocr.acceptedTypes);
  const optionsImage = await checkImage(images.options, 'options image', ocr.acceptedTypes);
  const started = performance.now();
  const reading = await ocr.read(questionImage, optionsImage, language);
  const ms = Math.round(performance.now() - started);
  const question = await createQuestion(deps, poll, shaped(draftFromReading(reading), shape), { activate });
  return { question, ocr: { provider: ocr.name, model: ocr.model, ms } };
}

/**
 * What was read, as the kind asked for. A single choice keeps options read twice apart, for the
 * organizer to fix in the review step; another kind holds them to its rules at once.
 */
function shaped(read: QuestionDraft, shape: QuestionShape): QuestionDraft {
  if (shape.kind === 'choice' && shape.correct === undefined) return read;
  return draftTyped({ ...shape, text: read.text, options: read.options });
}

/**
 * Corrects a question's text, options or right options. Once votes exist, options keep their
 * number and order and only their text may change, so that no vote silently moves to another
 * option; before the first vote, a question with options may also change its kind (single
 * choice, multiple choice, ranking) and how many options a voter picks.
 */
export async function editQuestion(
  deps: PollDeps,
  manager: Manager,
  questionId: number,
  changes: QuestionEdit,
): Promise<QuestionView> {
  const { poll } = await requireManagedQuestion(deps.db, manager, questionId);
  const current = await requireView(deps.db, questionId);
  const before = kindNamed(current.kind).asInput(current);
  if (changes.kind !== undefined && !hasOptions(current.kind)) {
    throw new AppError('validation_failed', 'organizer.errors.kindKept', {
      kind: current.kind,
      kinds: KINDS_WITH_OPTIONS.join(', '),
    });
  }
  // Another kind starts from the text and options alone: the old kind's settings are not its own.
  const kind = changes.kind ?? current.kind;
  const sameKind = kind === current.kind;
  const kept: NewQuestionFields = sameKind ? before : { text: before.text, options: before.options };
  const options = changes.options ?? before.options;
  // The right options stay right where they move, and go with a kind that has none.
  const correct =
    changes.correct !== undefined
      ? (changes.correct ?? undefined)
      : keepsRightOptions(kind)
        ? followedPlaces(before.correct, before.options ?? [], options ?? [])
        : undefined;
  const draft = draftTyped({
    ...kept,
    kind,
    text: changes.text ?? before.text,
    options,
    ...(changes.maxChoices === undefined ? {} : { maxChoices: changes.maxChoices }),
    correct,
  });
  // Other right options are a new answer: the audience sees them only once revealed again.
  const newAnswer = String(draft.settings?.correct ?? '') !== String(before.correct ?? '');
  await deps.db.transaction().execute(async (trx) => {
    // Updating the question row first locks it against the vote batches (on PostgreSQL; SQLite
    // has one writer): the count read next cannot change before this transaction ends.
    await updateQuestionText(trx, questionId, draft.text);
    const votes = (await findQuestion(trx, questionId))?.total_votes ?? 0;
    const reshaped = !sameKind || changes.maxChoices !== undefined;
    if (reshaped && votes > 0) {
      throw new AppError('question_has_votes', 'organizer.errors.reshapeHasVotes');
    }
    if (reshaped || newAnswer) await updateQuestionKind(trx, questionId, draft, { unreveal: newAnswer });
    if (changes.hideResults !== undefined) await setResultsHidden(trx, questionId, changes.hideResults);
    if (changes.timeLimitSec !== undefined) await setTimeLimit(trx, questionId, changes.timeLimitSec);
    if (!changes.options) return;
    const optionIds = await optionIdsOf(trx, questionId);
    if (votes > 0 && !onlyRewords(before.options ?? [], draft.options)) {
      throw new AppError('question_has_votes', 'organizer.errors.optionsHaveVotes');
    }
    if (draft.options.length === optionIds.length) {
      for (const [i, id] of optionIds.entries()) await renameOption(trx, id, draft.options[i] ?? '');
    } else {
      await replaceOptions(trx, questionId, draft.options);
    }
  });
  if (poll.current_question_id === questionId) await announce(deps, poll.code, questionId);
  return requireView(deps.db, questionId);
}

const keepsRightOptions = (kind: string) => kind === 'choice' || kind === 'multi';

/**
 * The places of the right options once the options changed: each where its text went, or where
 * it was if it was reworded in place. An option removed or reworded elsewhere asks for them again.
 */
function followedPlaces(
  places: readonly number[] | undefined,
  before: readonly string[],
  after: readonly string[],
): number[] | undefined {
  const key = (text: string) => text.trim().toLowerCase();
  return places?.map((place) => {
    const moved = after.findIndex((option) => key(option) === key(before[place] ?? ''));
    if (moved >= 0) return moved;
    if (before.length === after.length) return place;
    throw new AppError('validation_failed', 'organizer.errors.rightOptionChanged');
  });
}

/**
 * Votes belong to an option's place: an edit of a question with votes may change the words
 * at each place, but no more places, fewer, or an option's text moved to another place
 * (its votes would stay behind, counted for another answer).
 */
function onlyRewords(before: readonly string[], after: readonly string[]): boolean {
  if (before.length !== after.length) return false;
  const key = (text: string) => text.toLowerCase();
  const places = new Map(before.map((option, i) => [key(option), i]));
  return after.every((text, i) => (places.get(key(text)) ?? i) === i);
}

/** Makes the question the poll's live one (also reopens a closed one); the previous live one closes. */
export async function activateQuestion(deps: PollDeps, manager: Manager, questionId: number): Promise<QuestionView> {
  const { question, poll } = await requireManagedQuestion(deps.db, manager, questionId);
  if (question.status !== 'live') {
    const closesAt = countdownEnd(deps, question.time_limit_sec);
    await deps.db.transaction().execute(async (trx) => {
      await lockPoll(trx, poll.id);
      await closeLiveQuestion(trx, poll.id);
      await setQuestionStatus(trx, questionId, 'live', closesAt);
      await setCurrentQuestion(trx, poll.id, questionId);
    });
  }
  await announce(deps, poll.code, questionId);
  return requireView(deps.db, questionId);
}

/** Ends voting on a live question; it stays current, so every screen keeps its final results. */
export async function closeQuestion(deps: PollDeps, manager: Manager, questionId: number): Promise<QuestionView> {
  const { question, poll } = await requireManagedQuestion(deps.db, manager, questionId);
  if (question.status !== 'live') return requireView(deps.db, questionId);
  await setQuestionStatus(deps.db, questionId, 'closed');
  await announce(deps, poll.code, questionId);
  return requireView(deps.db, questionId);
}

/**
 * Shows a question's hidden results, and a quiz question's right options, on every screen at
 * once; each voter's phone says whether they were right.
 */
export async function revealAnswer(deps: PollDeps, manager: Manager, questionId: number): Promise<QuestionView> {
  const { poll } = await requireManagedQuestion(deps.db, manager, questionId);
  const current = await requireView(deps.db, questionId);
  if (!quizField(current) && !current.hiddenResults) {
    throw new AppError('not_a_quiz', 'organizer.errors.nothingToReveal');
  }
  if (!awaitsReveal(current)) return current;
  await revealQuestion(deps.db, questionId);
  if (poll.current_question_id === questionId) await announce(deps, poll.code, questionId);
  return requireView(deps.db, questionId);
}

export type MoveDirection = 'up' | 'down';

/**
 * Moves a question one place up or down its poll's order; the first cannot go up nor the last
 * down, and stay where they are. Returns the poll's questions in their new order.
 */
export async function moveQuestion(
  deps: PollDeps,
  manager: Manager,
  questionId: number,
  direction: MoveDirection,
): Promise<QuestionView[]> {
  const { poll } = await requireManagedQuestion(deps.db, manager, questionId);
  await deps.db.transaction().execute(async (trx) => {
    // Two organizers moving questions of one poll at once take turns.
    await lockPoll(trx, poll.id);
    const order = await listQuestionIds(trx, poll.id);
    const from = order.indexOf(questionId);
    const to = direction === 'up' ? from - 1 : from + 1;
    const neighbour = order[to];
    if (from < 0 || neighbour === undefined) return;
    order[to] = questionId;
    order[from] = neighbour;
    await setQuestionOrder(trx, poll.id, order);
  });
  return listQuestions(deps.db, poll);
}

/** Deletes the question and its votes; returns the code of its poll. */
export async function deleteQuestion(deps: PollDeps, manager: Manager, questionId: number): Promise<string> {
  const { poll } = await requireManagedQuestion(deps.db, manager, questionId);
  // The foreign key clears the poll's current question along with it.
  await deleteQuestionRow(deps.db, questionId);
  if (poll.current_question_id === questionId) deps.live.question(poll.code, null);
  return poll.code;
}

/** A question's results as a spreadsheet, named after its poll's code and its text. */
export async function questionResultsCsv(
  db: Db,
  manager: Manager,
  questionId: number,
  exportedAt: Date,
): Promise<CsvFile> {
  const { poll } = await requireManagedQuestion(db, manager, questionId);
  const question = await requireView(db, questionId, { everyAnswer: true });
  const number = (await listQuestionIds(db, poll.id)).indexOf(questionId) + 1;
  return resultsCsv({ poll, questions: [{ number, question }], exportedAt, label: question.text });
}

/** Every question of a poll, in the poll's order, in one spreadsheet named after the poll. */
export async function pollResultsCsv(db: Db, manager: Manager, codeInput: string, exportedAt: Date): Promise<CsvFile> {
  const poll = await requireManagedPoll(db, manager, codeInput);
  const questions = (await listQuestions(db, poll, { everyAnswer: true })).map((question, i) => ({
    number: i + 1,
    question,
  }));
  return resultsCsv({ poll, questions, exportedAt, label: poll.title });
}

/**
 * Tells every screen of the poll that its current question changed, as the audience sees it:
 * never a quiz's answer or results before their reveal.
 */
export async function announce(deps: PollDeps, pollCode: string, questionId: number): Promise<void> {
  deps.live.question(pollCode, (await loadQuestionView(deps.db, questionId)) ?? null);
}

/**
 * When a countdown of these seconds, starting now, ends (none without a time limit); the
 * instance wakes up then to close the question.
 */
export function countdownEnd(deps: PollDeps, seconds: number | null): string | null {
  if (seconds === null) return null;
  const end = new Date(Date.now() + seconds * 1000);
  deps.clock.wakeUpAt(end);
  return end.toISOString();
}

/** A question as its organizer sees it, with what the audience does not see yet. */
export async function requireView(
  db: Db,
  questionId: number,
  options: { everyAnswer?: boolean } = {},
): Promise<QuestionView> {
  const view = await loadQuestionView(db, questionId, { ...options, forOrganizer: true });
  if (!view) throw new AppError('question_not_found', 'errors.noSuchQuestion');
  return view;
}
