import type { DbOrTrx, Trx, UserRow } from '../db/database.js';
import { insertReturningId } from '../db/dialect.js';

export function findUserByUsername(db: DbOrTrx, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();
}

export async function countUsers(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: DbOrTrx,
  user: { username: string; passwordHash: string; role: UserRow['role'] },
): Promise<UserRow> {
  const id = await insertReturningId(
    db,
    db.insertInto('users').values({
      username: user.username,
      username_key: user.username.toLowerCase(),
      password_hash: user.passwordHash,
      role: user.role,
      created_at: new Date().toISOString(),
    }),
  );
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function insertSession(
  db: DbOrTrx,
  session: { id: string; userId: number; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      created_at: new Date().toISOString(),
      expires_at: session.expiresAt.toISOString(),
    })
    .execute();
}

/** The user of a session that has not run out; none for a disabled account, whatever its sessions. */
export function findSessionUser(db: DbOrTrx, sessionId: string, now: Date): Promise<UserRow | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id', '=', sessionId)
    .where('sessions.expires_at', '>', now.toISOString())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteExpiredSessions(db: DbOrTrx, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
}

export async function deleteSession(db: DbOrTrx, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session (cookie or bearer token) of the user, but the one given; returns how many ended. */
export async function deleteSessionsOf(db: DbOrTrx, userId: number, keepSessionId?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId !== undefined) query = query.where('id', '!=', keepSessionId);
  const [result] = await query.execute();
  return Number(result?.numDeletedRows ?? 0);
}

export function findUserById(db: DbOrTrx, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every user with the number of polls they own, in username order. */
export async function listUsersWithPollCounts(db: DbOrTrx): Promise<(UserRow & { poll_count: number })[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll('users')
    .select((eb) =>
      eb
        .selectFrom('polls')
        .select(eb.fn.countAll<string | number>().as('n'))
        .whereRef('polls.owner_id', '=', 'users.id')
        .as('poll_count'),
    )
    .orderBy('username_key')
    .execute();
  return rows.map((row) => ({ ...row, poll_count: Number(row.poll_count ?? 0) }));
}

export async function countPollsOwnedBy(db: DbOrTrx, userId: number): Promise<number> {
  const row = await db
    .selectFrom('polls')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('owner_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setUserDisabledAt(db: DbOrTrx, userId: number, disabledAt: string | null): Promise<void> {
  await db.updateTable('users').set({ disabled_at: disabledAt }).where('id', '=', userId).execute();
}

export async function setPasswordHash(db: DbOrTrx, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** Replaces a password hash only if it is still `from`, so that a password set meanwhile stays. */
export async function replacePasswordHash(db: DbOrTrx, userId: number, from: string, to: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: to })
    .where('id', '=', userId)
    .where('password_hash', '=', from)
    .execute();
}

/** Locks every admin row until the transaction ends (PostgreSQL, MySQL; SQLite has one writer). */
export async function lockAdmins(trx: Trx): Promise<void> {
  await trx
    .updateTable('users')
    .set((eb) => ({ role: eb.ref('role') }))
    .where('role', '=', 'admin')
    .execute();
}

/** Gives every poll of one user to another; their questions and votes stay as they are. */
export async function transferPolls(trx: Trx, fromUserId: number, toUserId: number): Promise<number> {
  const [result] = await trx
    .updateTable('polls')
    .set({ owner_id: toUserId })
    .where('owner_id', '=', fromUserId)
    .execute();
  return Number(result?.numUpdatedRows ?? 0);
}

export async function deleteUserRow(trx: Trx, userId: number): Promise<void> {
  await trx.deleteFrom('users').where('id', '=', userId).execute();
}
