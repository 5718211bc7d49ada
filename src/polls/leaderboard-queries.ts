import type { DbOrTrx } from '../db/database.js';
import { kindNamed } from './kinds/index.js';
import type { ScoredAnswer } from './leaderboard.js';
import { settingsOf } from './queries.js';

const now = () => new Date().toISOString();

/**
 * What the poll's standings are made of now: its revealed questions and when each was
 * revealed. Standings worked out for another signature are out of date.
 */
export async function revealSignature(db: DbOrTrx, pollId: number): Promise<string> {
  const rows = await db
    .selectFrom('questions')
    .select(['id', 'revealed_at'])
    .where('poll_id', '=', pollId)
    .where('revealed_at', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => `${row.id}@${row.revealed_at}`).join(',');
}

/** Whether any question of the poll is a quiz question: its voters may pick a nickname. */
export async function hasQuizQuestions(db: DbOrTrx, pollId: number): Promise<boolean> {
  const rows = await db
    .selectFrom('questions')
    .select('settings')
    .where('poll_id', '=', pollId)
    .where('kind', 'in', ['choice', 'multi'])
    .where('settings', 'is not', null)
    .execute();
  return rows.some((row) => settingsOf(row.settings).correct);
}

/** Every answer to the poll's revealed quiz questions: right or not, and how long after the question went live. */
export async function revealedQuizAnswers(db: DbOrTrx, pollId: number): Promise<ScoredAnswer[]> {
  const questions = (
    await db
      .selectFrom('questions')
      .select(['id', 'kind', 'settings', 'live_at', 'time_limit_sec'])
      .where('poll_id', '=', pollId)
      .where('kind', 'in', ['choice', 'multi'])
      .where('revealed_at', 'is not', null)
      .execute()
  ).flatMap((row) => {
    const { correct } = settingsOf(row.settings);
    return correct ? [{ ...row, correct }] : [];
  });
  if (questions.length === 0) return [];
  const ids = questions.map((question) => question.id);
  const [options, votes] = await Promise.all([
    db
      .selectFrom('options')
      .select(['id', 'question_id'])
      .where('question_id', 'in', ids)
      .orderBy('question_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('votes')
      .select(['question_id', 'voter_id', 'option_id', 'answer', 'created_at'])
      .where('question_id', 'in', ids)
      .execute(),
  ]);
  const rightOf = new Map(
    questions.map((question) => {
      const places = options.filter((option) => option.question_id === question.id);
      return [question.id, new Set(question.correct.flatMap((place) => places[place]?.id ?? []))];
    }),
  );
  const byId = new Map(questions.map((question) => [question.id, question]));
  return votes.flatMap((vote) => {
    const question = byId.get(vote.question_id);
    const right = rightOf.get(vote.question_id);
    if (!question || !right) return [];
    // For multiple choice, right means exactly the right options.
    const picked = [...kindNamed(question.kind).counts(vote)].map(([optionId]) => optionId);
    return {
      voterId: vote.voter_id,
      right: picked.length === right.size && picked.every((id) => right.has(id)),
      afterMs: question.live_at === null ? null : Date.parse(vote.created_at) - Date.parse(question.live_at),
      timeLimitSec: question.time_limit_sec,
    };
  });
}

/** The nicknames the poll's voters picked, by voter. */
export async function pollNicknames(db: DbOrTrx, pollId: number): Promise<Map<string, string>> {
  const rows = await db.selectFrom('nicknames').select(['voter_id', 'name']).where('poll_id', '=', pollId).execute();
  return new Map(rows.map((row) => [row.voter_id, row.name]));
}

export async function findNickname(db: DbOrTrx, pollId: number, voterId: string): Promise<string | null> {
  const row = await db
    .selectFrom('nicknames')
    .select('name')
    .where('poll_id', '=', pollId)
    .where('voter_id', '=', voterId)
    .executeTakeFirst();
  return row?.name ?? null;
}

/** Gives the voter this nickname, or renames them; another voter's name is a unique violation. */
export async function saveNickname(
  db: DbOrTrx,
  nickname: { pollId: number; voterId: string; name: string; key: string },
): Promise<void> {
  const renamed = await db
    .updateTable('nicknames')
    .set({ name: nickname.name, name_key: nickname.key })
    .where('poll_id', '=', nickname.pollId)
    .where('voter_id', '=', nickname.voterId)
    .executeTakeFirst();
  if (Number(renamed.numUpdatedRows) > 0) return;
  await db
    .insertInto('nicknames')
    .values({
      poll_id: nickname.pollId,
      voter_id: nickname.voterId,
      name: nickname.name,
      name_key: nickname.key,
      created_at: now(),
    })
    .execute();
}

export async function setLeaderboardShown(db: DbOrTrx, pollId: number, shown: boolean): Promise<void> {
  await db
    .updateTable('polls')
    .set({ show_leaderboard: shown ? 1 : 0 })
    .where('id', '=', pollId)
    .execute();
}
