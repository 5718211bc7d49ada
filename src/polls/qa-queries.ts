import type { DbOrTrx, QaItemRow, Trx } from '../db/database.js';
import { insertReturningId } from '../db/dialect.js';
import type { NewQaQuestion, QaSettings, QaStatus } from './qa.js';

const now = () => new Date().toISOString();

export async function insertQaItem(
  db: DbOrTrx,
  item: NewQaQuestion & { pollId: number; voterId: string },
): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('qa_items').values({
      poll_id: item.pollId,
      voter_id: item.voterId,
      text: item.text,
      name: item.name,
      status: item.status,
      created_at: now(),
    }),
  );
}

/** The poll's questions from the audience in these states, newest first, at most `limit`. */
export function listQaItems(
  db: DbOrTrx,
  pollId: number,
  statuses: readonly QaStatus[],
  limit?: number,
): Promise<QaItemRow[]> {
  const query = db
    .selectFrom('qa_items')
    .selectAll()
    .where('poll_id', '=', pollId)
    .where('status', 'in', statuses)
    .orderBy('id', 'desc');
  return (limit === undefined ? query : query.limit(limit)).execute();
}

export function qaItemsByIds(db: DbOrTrx, ids: readonly number[]): Promise<QaItemRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('qa_items').selectAll().where('id', 'in', ids).execute();
}

export function findQaItem(db: DbOrTrx, id: number): Promise<QaItemRow | undefined> {
  return db.selectFrom('qa_items').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which of these questions the voter upvoted. */
export async function upvotedBy(db: DbOrTrx, voterId: string, itemIds: readonly number[]): Promise<Set<number>> {
  if (itemIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('qa_upvotes')
    .select('item_id')
    .where('voter_id', '=', voterId)
    .where('item_id', 'in', itemIds)
    .execute();
  return new Set(rows.map((row) => row.item_id));
}

/**
 * Adds (or takes back) one voter's upvote of a question, and counts it; false if there was
 * nothing to change. The question's row is locked first (a no-op update), so two requests of one
 * voter at once take turns: an upvote is never counted twice, nor taken back twice.
 */
export async function changeUpvote(trx: Trx, itemId: number, voterId: string, up: boolean): Promise<boolean> {
  await trx
    .updateTable('qa_items')
    .set((eb) => ({ upvotes: eb.ref('upvotes') }))
    .where('id', '=', itemId)
    .execute();
  const existing = await trx
    .selectFrom('qa_upvotes')
    .select('item_id')
    .where('item_id', '=', itemId)
    .where('voter_id', '=', voterId)
    .executeTakeFirst();
  if (Boolean(existing) === up) return false;
  if (up) await trx.insertInto('qa_upvotes').values({ item_id: itemId, voter_id: voterId }).execute();
  else await trx.deleteFrom('qa_upvotes').where('item_id', '=', itemId).where('voter_id', '=', voterId).execute();
  await trx
    .updateTable('qa_items')
    .set((eb) => ({ upvotes: eb('upvotes', '+', up ? 1 : -1) }))
    .where('id', '=', itemId)
    .execute();
  return true;
}

export async function setQaStatus(db: DbOrTrx, itemId: number, status: QaStatus): Promise<void> {
  await db.updateTable('qa_items').set({ status }).where('id', '=', itemId).execute();
}

export async function setQaAnswered(db: DbOrTrx, itemId: number, answered: boolean): Promise<void> {
  await db
    .updateTable('qa_items')
    .set({ answered: answered ? 1 : 0 })
    .where('id', '=', itemId)
    .execute();
}

/** The question the presenter view highlights (null: none). */
export async function setQaHighlight(db: DbOrTrx, pollId: number, itemId: number | null): Promise<void> {
  await db.updateTable('polls').set({ qa_highlight_id: itemId }).where('id', '=', pollId).execute();
}

export async function updateQaSettings(db: DbOrTrx, pollId: number, settings: Partial<QaSettings>): Promise<void> {
  const changes = {
    ...(settings.open === undefined ? {} : { qa_open: settings.open ? 1 : 0 }),
    ...(settings.moderated === undefined ? {} : { qa_moderated: settings.moderated ? 1 : 0 }),
    ...(settings.named === undefined ? {} : { qa_named: settings.named ? 1 : 0 }),
  };
  if (Object.keys(changes).length > 0) await db.updateTable('polls').set(changes).where('id', '=', pollId).execute();
}

/** How many of the poll's questions wait for the organizer. */
export async function pendingQaCount(db: DbOrTrx, pollId: number): Promise<number> {
  const row = await db
    .selectFrom('qa_items')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('poll_id', '=', pollId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
