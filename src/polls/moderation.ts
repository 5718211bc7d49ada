import type { Db, PollRow } from '../db/database.js';
import { AppError } from '../errors.js';
import { MAX_WORD_CHARS, normalizeWord } from './kinds/wordcloud/kind.js';
import {
  countVisibilityChange,
  filterTexts,
  hiddenRows,
  setAnswerVisibility,
  setPollProfanityFilter,
  setWordVisibility,
  shownTextsOfPoll,
  unfilterPoll,
} from './moderation-queries.js';
import { isProfane } from './profanity.js';
import { loadQuestionView } from './queries.js';
import { type Manager, type PollDeps, requireManagedPoll, requireManagedQuestion } from './service.js';
import { Visibility } from './visibility.js';

// The organizer keeps words of a cloud and open answers off every screen, and may show them
// again; a poll's profanity filter does the same by itself. Counts stay exact: a hidden word
// still counts its voters, and a voter's hidden answer is still their answer.

/** What to hide or show: a word of a cloud, or an open answer. */
export type ModerationTarget = { text: string } | { answerId: number };

export type HiddenBy = 'organizer' | 'filter';

/** A question's words and answers kept from the screens, each saying who hid it. */
export interface HiddenList {
  words: { text: string; count: number; by: HiddenBy }[];
  answers: { id: number; text: string; createdAt: string; by: HiddenBy }[];
}

const hiddenBy = (visibility: number): HiddenBy => (visibility === Visibility.filtered ? 'filter' : 'organizer');

export async function hiddenList(db: Db, questionId: number): Promise<HiddenList> {
  const rows = await hiddenRows(db, questionId);
  return {
    words: rows.words.map(({ hidden, ...word }) => ({ ...word, by: hiddenBy(hidden) })),
    answers: rows.answers.map(({ hidden, ...answer }) => ({ ...answer, by: hiddenBy(hidden) })),
  };
}

/** The words and answers of a question its manager may moderate that are kept from the screens. */
export async function managedHiddenList(db: Db, manager: Manager, questionId: number): Promise<HiddenList> {
  await requireManagedQuestion(db, manager, questionId);
  return hiddenList(db, questionId);
}

/** Hides a word or an answer from every screen, or shows it again; every screen follows at once. */
export async function moderate(
  deps: PollDeps,
  manager: Manager,
  questionId: number,
  target: ModerationTarget,
  hide: boolean,
): Promise<{ pollCode: string; hidden: HiddenList }> {
  const { question, poll } = await requireManagedQuestion(deps.db, manager, questionId);
  const visibility = hide ? Visibility.hidden : Visibility.shown;
  await deps.db.transaction().execute(async (trx) => {
    if ('text' in target) {
      if (question.kind !== 'wordcloud') {
        throw new AppError('validation_failed', 'organizer.errors.wordsOnlyInCloud');
      }
      // The word as votes give it, so that "Cafe " hides "cafe".
      const word = normalizeWord(target.text);
      if (!word) throw new AppError('validation_failed', 'organizer.errors.nameTheWord');
      if ([...word].length > MAX_WORD_CHARS) {
        throw new AppError('validation_failed', 'organizer.errors.wordTooLong', { max: MAX_WORD_CHARS });
      }
      await setWordVisibility(trx, questionId, word, visibility);
    } else {
      if (question.kind !== 'text') {
        throw new AppError('validation_failed', 'organizer.errors.answersOnlyInOpen');
      }
      if (!(await setAnswerVisibility(trx, questionId, target.answerId, visibility))) {
        throw new AppError('not_found', 'errors.noSuchAnswer');
      }
    }
    await countVisibilityChange(trx, questionId);
  });
  await publishCounts(deps, questionId);
  return { pollCode: poll.code, hidden: await hiddenList(deps.db, questionId) };
}

/**
 * Turns a poll's profanity filter on (what its questions were given so far is looked through
 * too) or off (what it hid shows again; what the organizer hid stays hidden).
 */
export async function setProfanityFilter(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  on: boolean,
): Promise<PollRow> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  if ((poll.profanity_filter === 1) === on) return poll;
  // Matched before the transaction: on SQLite it holds the one writer, which vote batches wait for.
  const shown = on ? await shownTextsOfPoll(deps.db, poll.id) : { words: [], answers: [] };
  const words = shown.words.filter((word) => isProfane(word.text));
  const answerIds = shown.answers.filter((answer) => isProfane(answer.text)).map((answer) => answer.id);
  const current = poll.current_question_id;
  await deps.db.transaction().execute(async (trx) => {
    await setPollProfanityFilter(trx, poll.id, on);
    if (on) await filterTexts(trx, words, answerIds);
    else await unfilterPoll(trx, poll.id);
    if (current !== null) await countVisibilityChange(trx, current);
  });
  if (current !== null) await publishCounts(deps, current);
  return { ...poll, profanity_filter: on ? 1 : 0 };
}

/** Sends a question's counts as screens now show them. */
async function publishCounts(deps: PollDeps, questionId: number): Promise<void> {
  const view = await loadQuestionView(deps.db, questionId);
  if (view) deps.live.results(view);
}
