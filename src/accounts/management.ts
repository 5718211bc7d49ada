import type { Db, Trx, UserRow } from '../db/database.js';
import { AppError } from '../errors.js';
import { generatePassword, hashPassword } from './passwords.js';
import {
  countPollsOwnedBy,
  deleteSessionsOf,
  deleteUserRow,
  findUserById,
  listUsersWithPollCounts,
  lockAdmins,
  setPasswordHash,
  setUserDisabledAt,
  transferPolls,
} from './queries.js';
import { checkPassword } from './rules.js';
import { type PublicUser, requireAdmin, toPublicUser } from './service.js';

// The admin's work on other people's accounts: disable or enable, reset a password, delete.

/** An account as the admin manages it. */
export interface Account extends PublicUser {
  disabled: boolean;
  /** The polls the account owns: what keeps running when it is disabled, and what passes on when it is deleted. */
  pollCount: number;
  createdAt: string;
}

const toAccount = (user: UserRow, pollCount: number): Account => ({
  ...toPublicUser(user),
  disabled: user.disabled_at !== null,
  pollCount,
  createdAt: user.created_at,
});

export async function listAccounts(db: Db): Promise<Account[]> {
  return (await listUsersWithPollCounts(db)).map((row) => toAccount(row, row.poll_count));
}

export async function requireAccount(db: Db, id: number): Promise<Account> {
  const user = await findUserById(db, id);
  if (!user) throw new AppError('not_found', 'accounts.errors.noSuchAccount');
  return toAccount(user, await countPollsOwnedBy(db, id));
}

/**
 * An account the admin may change. Never their own: disabling or deleting it would lock them
 * out, and their own password changes on their account page, which asks for the current one.
 */
export async function requireOtherAccount(db: Db, admin: UserRow, id: number): Promise<Account> {
  requireAdmin(admin);
  const account = await requireAccount(db, id);
  if (account.id === admin.id) {
    throw new AppError('forbidden', 'accounts.errors.ownAccount');
  }
  return account;
}

/**
 * Runs a change to another account as an admin who is still one when it runs. The admins' rows
 * are locked first (PostgreSQL; SQLite has one writer), so that two admins removing each other at
 * once cannot both succeed: the second finds itself gone. As nobody acts on their own account,
 * the site always keeps an enabled admin.
 */
function asStillAdmin<T>(db: Db, admin: UserRow, change: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await lockAdmins(trx);
    const actor = await findUserById(trx, admin.id);
    if (actor?.role !== 'admin' || actor.disabled_at !== null) {
      throw new AppError('forbidden', 'errors.adminOnly');
    }
    return change(trx);
  });
}

/**
 * Disables an account: it cannot sign in, and every session and token of it ends at once; its
 * polls keep running for voters. Or enables it again.
 */
export async function setAccountDisabled(db: Db, admin: UserRow, id: number, disabled: boolean): Promise<Account> {
  const account = await requireOtherAccount(db, admin, id);
  if (account.disabled !== disabled) {
    await asStillAdmin(db, admin, async (trx) => {
      await setUserDisabledAt(trx, id, disabled ? new Date().toISOString() : null);
      if (disabled) await deleteSessionsOf(trx, id);
    });
  }
  return requireAccount(db, id);
}

export interface DeletedAccount {
  deleted: PublicUser;
  /** How many polls passed, with their questions and votes, to the admin who deleted the account. */
  pollsTransferred: number;
  to: PublicUser;
}

/**
 * Deletes an account. Its polls, with their questions and votes, pass to the admin who deletes
 * it, so that no results are lost; its sessions and tokens end with it.
 */
export async function deleteAccount(db: Db, admin: UserRow, id: number): Promise<DeletedAccount> {
  const account = await requireOtherAccount(db, admin, id);
  const pollsTransferred = await asStillAdmin(db, admin, async (trx) => {
    const moved = await transferPolls(trx, id, admin.id);
    await deleteSessionsOf(trx, id);
    await deleteUserRow(trx, id);
    return moved;
  });
  const deleted = { id: account.id, username: account.username, role: account.role };
  return { deleted, pollsTransferred, to: toPublicUser(admin) };
}

/** A new password chosen by the admin, or one generated for them. */
export type PasswordReset = { password: string } | { generate: true };

/**
 * Sets another account's password; every session and token of that account ends, so that
 * whoever knew the old password is out. A generated password is returned, to be shown once.
 */
export async function resetPassword(
  db: Db,
  admin: UserRow,
  id: number,
  reset: PasswordReset,
): Promise<{ account: Account; generatedPassword?: string }> {
  const account = await requireOtherAccount(db, admin, id);
  const password = 'password' in reset ? reset.password : generatePassword();
  checkPassword(password, account.username);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, id, passwordHash);
    await deleteSessionsOf(trx, id);
  });
  return 'generate' in reset ? { account, generatedPassword: password } : { account };
}
