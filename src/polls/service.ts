import type { Db, PollRow, QuestionRow, UserRow } from '../db/database.js';
import { AppError } from '../errors.js';
import { inspectImage } from '../ocr/image-check.js';
import type { OcrProvider } from '../ocr/provider.js';
import type { QuestionView } from '../realtime/messages.js';
import { DEFAULT_POLL_CODE, normalizeJoinCode } from './codes.js';
import type { LivePublisher } from './live-publisher.js';
import {
  closeLiveQuestion,
  deleteQuestionRow,
  findLiveQuestionId,
  findPollByCode,
  findPollById,
  findQuestion,
  findVote,
  insertPoll,
  insertQuestion,
  listQuestionIds,
  loadQuestionView,
  loadQuestionViews,
  lockPoll,
  optionIdsOf,
  renameOption,
  replaceOptions,
  setQuestionStatus,
  updateQuestionText,
} from './queries.js';
import { draftFromInput, draftFromReading, type QuestionDraft } from './rules.js';
import type { VoteBatcher, VoteRequest } from './vote-batcher.js';

/** What the poll functions work with; built once per app. */
export interface PollDeps {
  db: Db;
  live: LivePublisher;
  votes: VoteBatcher;
}

export interface PollSummary {
  code: string;
  title: string;
  liveQuestion: QuestionView | null;
}

export async function ensureDefaultPoll(db: Db, ownerId: number): Promise<PollRow> {
  const existing = await findPollByCode(db, DEFAULT_POLL_CODE);
  return existing ?? insertPoll(db, { code: DEFAULT_POLL_CODE, title: 'Pollcast', ownerId });
}

export async function requirePoll(db: Db, codeInput: string): Promise<PollRow> {
  const code = normalizeJoinCode(codeInput);
  const poll = code ? await findPollByCode(db, code) : undefined;
  if (!poll) throw new AppError('poll_not_found', 'There is no poll with this code.');
  return poll;
}

export async function liveQuestionOf(db: Db, poll: PollRow): Promise<QuestionView | null> {
  const id = await findLiveQuestionId(db, poll.id);
  return (id !== undefined && (await loadQuestionView(db, id))) || null;
}

export async function pollSummary(db: Db, codeInput: string): Promise<PollSummary> {
  const poll = await requirePoll(db, codeInput);
  return { code: poll.code, title: poll.title, liveQuestion: await liveQuestionOf(db, poll) };
}

/** The option this voter chose on this question, if they voted. */
export async function voterChoice(db: Db, questionId: number, voterId: string | undefined): Promise<number | null> {
  if (!voterId) return null;
  return (await findVote(db, questionId, voterId))?.option_id ?? null;
}

/** Resolves with the question's fresh results once the vote is committed. */
export function castVote(deps: PollDeps, vote: VoteRequest): Promise<QuestionView> {
  return deps.votes.submit(vote);
}

// --- Managing questions (organizers and admins) ---

function canManage(user: UserRow, poll: PollRow): boolean {
  return user.role === 'admin' || poll.owner_id === user.id;
}

/** A poll the user may manage; any other poll is "not found", so that its existence is not revealed. */
export async function requireManagedPoll(db: Db, user: UserRow, codeInput: string): Promise<PollRow> {
  const poll = await requirePoll(db, codeInput);
  if (!canManage(user, poll)) throw new AppError('poll_not_found', 'There is no poll with this code.');
  return poll;
}

async function requireManagedQuestion(
  db: Db,
  user: UserRow,
  questionId: number,
): Promise<{ question: QuestionRow; poll: PollRow }> {
  const question = await findQuestion(db, questionId);
  const poll = question && (await findPollById(db, question.poll_id));
  if (!question || !poll || !canManage(user, poll)) {
    throw new AppError('question_not_found', 'There is no such question.');
  }
  return { question, poll };
}

export async function listQuestions(db: Db, poll: PollRow): Promise<QuestionView[]> {
  return loadQuestionViews(db, await listQuestionIds(db, poll.id));
}

async function createQuestion(
  deps: PollDeps,
  poll: PollRow,
  draft: QuestionDraft,
  activate: boolean,
): Promise<QuestionView> {
  const id = await deps.db.transaction().execute(async (trx) => {
    if (activate) {
      await lockPoll(trx, poll.id);
      await closeLiveQuestion(trx, poll.id);
    }
    return insertQuestion(trx, { pollId: poll.id, ...draft, status: activate ? 'live' : 'draft' });
  });
  const view = await requireView(deps.db, id);
  if (activate) deps.live.question(poll.code, view);
  return view;
}

export function createTypedQuestion(
  deps: PollDeps,
  poll: PollRow,
  input: { text: string; options: string[] },
  activate: boolean,
): Promise<QuestionView> {
  return createQuestion(deps, poll, draftFromInput(input), activate);
}

export interface ImageUploads {
  question: Buffer;
  options: Buffer;
}

/**
 * Reads the two images and turns them into a question. Nothing is stored unless OCR
 * succeeded and what it read makes a valid poll question.
 */
export async function createQuestionFromImages(
  deps: PollDeps,
  ocr: OcrProvider,
  poll: PollRow,
  uploads: ImageUploads,
  activate: boolean,
): Promise<{ question: QuestionView; ocr: { provider: string; model: string; ms: number } }> {
  const questionImage = inspectImage(uploads.question, 'question image', ocr.acceptedTypes);
  const optionsImage = inspectImage(uploads.options, 'options image', ocr.acceptedTypes);
  const started = performance.now();
  const reading = await ocr.read(questionImage, optionsImage);
  const ms = Math.round(performance.now() - started);
  const question = await createQuestion(deps, poll, draftFromReading(reading), activate);
  return { question, ocr: { provider: ocr.name, model: ocr.model, ms } };
}

/**
 * Corrects a question's text or options. Once votes exist, options keep their number and
 * order and only their text may change, so that no vote silently moves to another option.
 */
export async function editQuestion(
  deps: PollDeps,
  user: UserRow,
  questionId: number,
  changes: { text?: string | undefined; options?: string[] | undefined },
): Promise<QuestionView> {
  const { question, poll } = await requireManagedQuestion(deps.db, user, questionId);
  const current = await requireView(deps.db, questionId);
  const draft = draftFromInput({
    text: changes.text ?? current.text,
    options: changes.options ?? current.options.map((option) => option.text),
  });
  await deps.db.transaction().execute(async (trx) => {
    await updateQuestionText(trx, questionId, draft.text);
    if (!changes.options) return;
    const optionIds = await optionIdsOf(trx, questionId);
    if (draft.options.length === optionIds.length) {
      for (const [i, id] of optionIds.entries()) await renameOption(trx, id, draft.options[i] ?? '');
    } else if (question.total_votes > 0) {
      throw new AppError(
        'question_has_votes',
        'This question already has votes: options can be reworded, not added or removed.',
      );
    } else {
      await replaceOptions(trx, questionId, draft.options);
    }
  });
  const view = await requireView(deps.db, questionId);
  if (view.status === 'live') deps.live.question(poll.code, view);
  return view;
}

/** Makes the question the poll's live one (also reopens a closed one); the previous live one closes. */
export async function activateQuestion(deps: PollDeps, user: UserRow, questionId: number): Promise<QuestionView> {
  const { question, poll } = await requireManagedQuestion(deps.db, user, questionId);
  if (question.status !== 'live') {
    await deps.db.transaction().execute(async (trx) => {
      await lockPoll(trx, poll.id);
      await closeLiveQuestion(trx, poll.id);
      await setQuestionStatus(trx, questionId, 'live');
    });
  }
  const view = await requireView(deps.db, questionId);
  deps.live.question(poll.code, view);
  return view;
}

export async function closeQuestion(deps: PollDeps, user: UserRow, questionId: number): Promise<QuestionView> {
  const { question, poll } = await requireManagedQuestion(deps.db, user, questionId);
  if (question.status === 'live') {
    await setQuestionStatus(deps.db, questionId, 'closed');
    deps.live.question(poll.code, null);
  }
  return requireView(deps.db, questionId);
}

export async function deleteQuestion(deps: PollDeps, user: UserRow, questionId: number): Promise<void> {
  const { question, poll } = await requireManagedQuestion(deps.db, user, questionId);
  await deleteQuestionRow(deps.db, questionId);
  if (question.status === 'live') deps.live.question(poll.code, null);
}

async function requireView(db: Db, questionId: number): Promise<QuestionView> {
  const view = await loadQuestionView(db, questionId);
  if (!view) throw new AppError('question_not_found', 'There is no such question.');
  return view;
}
