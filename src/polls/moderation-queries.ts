import type { DbOrTrx, Trx } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import { Visibility } from './visibility.js';

/** A word or an answer kept from the screens, and by whom. */
export interface HiddenRows {
  words: { text: string; count: number; hidden: number }[];
  answers: { id: number; text: string; createdAt: string; hidden: number }[];
}

/** A question's hidden words (in their order) and answers (newest first). */
export async function hiddenRows(db: DbOrTrx, questionId: number): Promise<HiddenRows> {
  const [words, answers] = await Promise.all([
    db
      .selectFrom('word_counts')
      .select(['word as text', 'count', 'hidden'])
      .where('question_id', '=', questionId)
      .where('hidden', '!=', Visibility.shown)
      .orderBy('word')
      .execute(),
    db
      .selectFrom('answers')
      .select(['id', 'text', 'created_at as createdAt', 'hidden'])
      .where('question_id', '=', questionId)
      .where('hidden', '!=', Visibility.shown)
      .orderBy('id', 'desc')
      .execute(),
  ]);
  return { words, answers };
}

/** Every answer to an open question, newest first, each saying whether screens show it. */
export async function everyAnswer(
  db: DbOrTrx,
  questionId: number,
): Promise<{ id: number; text: string; createdAt: string; hidden: boolean }[]> {
  const rows = await db
    .selectFrom('answers')
    .select(['id', 'text', 'created_at as createdAt', 'hidden'])
    .where('question_id', '=', questionId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, hidden: row.hidden !== Visibility.shown }));
}

/** Shows or hides a word of a cloud; a word no one gave yet gets its row, to be hidden from the first vote. */
export async function setWordVisibility(trx: Trx, questionId: number, word: string, hidden: Visibility): Promise<void> {
  const insert = trx.insertInto('word_counts').values({ question_id: questionId, word, count: 0, hidden });
  await (dialectOf(trx).kind === 'mysql'
    ? insert.onDuplicateKeyUpdate({ hidden })
    : insert.onConflict((oc) => oc.columns(['question_id', 'word']).doUpdateSet({ hidden }))
  ).execute();
}

/** Shows or hides an open answer; false when the question has no such answer. */
export async function setAnswerVisibility(
  trx: Trx,
  questionId: number,
  answerId: number,
  hidden: Visibility,
): Promise<boolean> {
  const found = await trx
    .selectFrom('answers')
    .select('id')
    .where('id', '=', answerId)
    .where('question_id', '=', questionId)
    .executeTakeFirst();
  if (!found) return false;
  await trx.updateTable('answers').set({ hidden }).where('id', '=', answerId).execute();
  return true;
}

/** What screens show changed: the question's version rises, so that every screen takes the new view. */
export async function countVisibilityChange(trx: Trx, questionId: number): Promise<void> {
  await trx
    .updateTable('questions')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', questionId)
    .execute();
}

/** The shown words and answers of a poll's questions, for its profanity filter to look through. */
export async function shownTextsOfPoll(
  db: DbOrTrx,
  pollId: number,
): Promise<{ words: { questionId: number; text: string }[]; answers: { id: number; text: string }[] }> {
  const [words, answers] = await Promise.all([
    db
      .selectFrom('word_counts')
      .innerJoin('questions', 'questions.id', 'word_counts.question_id')
      .select(['word_counts.question_id as questionId', 'word_counts.word as text'])
      .where('questions.poll_id', '=', pollId)
      .where('word_counts.hidden', '=', Visibility.shown)
      .execute(),
    db
      .selectFrom('answers')
      .innerJoin('questions', 'questions.id', 'answers.question_id')
      .select(['answers.id', 'answers.text'])
      .where('questions.poll_id', '=', pollId)
      .where('answers.hidden', '=', Visibility.shown)
      .execute(),
  ]);
  return { words, answers };
}

/** Hides what the filter found: words by question, answers by id. */
export async function filterTexts(
  trx: Trx,
  words: readonly { questionId: number; text: string }[],
  answerIds: readonly number[],
): Promise<void> {
  for (const { questionId, text } of words) {
    await trx
      .updateTable('word_counts')
      .set({ hidden: Visibility.filtered })
      .where('question_id', '=', questionId)
      .where('word', '=', text)
      .execute();
  }
  if (answerIds.length > 0) {
    await trx.updateTable('answers').set({ hidden: Visibility.filtered }).where('id', 'in', answerIds).execute();
  }
}

/** Shows again every word and answer of the poll that its filter had hidden. */
export async function unfilterPoll(trx: Trx, pollId: number): Promise<void> {
  const questionIds = trx.selectFrom('questions').select('id').where('poll_id', '=', pollId);
  await trx
    .updateTable('word_counts')
    .set({ hidden: Visibility.shown })
    .where('hidden', '=', Visibility.filtered)
    .where('question_id', 'in', questionIds)
    .execute();
  await trx
    .updateTable('answers')
    .set({ hidden: Visibility.shown })
    .where('hidden', '=', Visibility.filtered)
    .where('question_id', 'in', questionIds)
    .execute();
}

export async function setPollProfanityFilter(trx: Trx, pollId: number, on: boolean): Promise<void> {
  await trx
    .updateTable('polls')
    .set({ profanity_filter: on ? 1 : 0 })
    .where('id', '=', pollId)
    .execute();
}
