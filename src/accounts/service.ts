import type { Db, UserRow } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { AppError } from '../errors.js';
import { hashToken, newToken } from '../tokens.js';
import type { PasswordCheck, Throttle } from './login-throttle.js';
import { decoyHash, generatePassword, hashPassword, isWeakerHash, verifyPassword } from './passwords.js';
import {
  countUsers,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOf,
  findSessionUser,
  findUserByUsername,
  insertSession,
  insertUser,
  replacePasswordHash,
  setPasswordHash,
} from './queries.js';
import { checkNewCredentials, checkPassword } from './rules.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000;

export interface PublicUser {
  id: number;
  username: string;
  role: UserRow['role'];
}

export const toPublicUser = (user: UserRow): PublicUser => ({ id: user.id, username: user.username, role: user.role });

/**
 * Creates the first admin when there is no user yet. Returns the generated password when
 * none was configured, so that it can be shown once.
 */
export async function ensureFirstAdmin(
  db: Db,
  admin: { username: string; password: string | undefined },
): Promise<{ user: UserRow; generatedPassword?: string }> {
  if ((await countUsers(db)) === 0) {
    const generatedPassword = admin.password ? undefined : generatePassword();
    const password = admin.password ?? generatedPassword ?? '';
    try {
      const user = await insertUser(db, {
        username: admin.username,
        passwordHash: await hashPassword(password),
        role: 'admin',
      });
      return generatedPassword ? { user, generatedPassword } : { user };
    } catch (error) {
      // Instances starting at once on one new database: one makes the admin, the others find it.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  const existing = await findUserByUsername(db, admin.username);
  const first = existing ?? (await db.selectFrom('users').selectAll().orderBy('id').executeTakeFirstOrThrow());
  return { user: first };
}

/** An organizer account (by registration or by the admin). */
export async function createOrganizer(db: Db, input: { username: string; password: string }): Promise<PublicUser> {
  const { username } = checkNewCredentials(input);
  const taken = new AppError('username_taken', 'accounts.errors.usernameTaken');
  if (await findUserByUsername(db, username)) throw taken;
  const passwordHash = await hashPassword(input.password);
  try {
    return toPublicUser(await insertUser(db, { username, passwordHash, role: 'organizer' }));
  } catch (error) {
    // Two sign-ups for one name at once: the unique index decides.
    if (isUniqueViolation(error)) throw taken;
    throw error;
  }
}

export function requireAdmin(user: UserRow): void {
  if (user.role !== 'admin') throw new AppError('forbidden', 'errors.adminOnly');
}

export async function login(
  db: Db,
  throttle: Throttle,
  credentials: { username: string; password: string },
  address: string,
): Promise<{ token: string; user: PublicUser }> {
  const attempt = await beginPasswordCheck(throttle, credentials.username, address);
  const user = await findUserByUsername(db, credentials.username);
  const valid = await verifyPassword(credentials.password, user?.password_hash ?? (await decoyHash()));
  if (!user || !valid) {
    attempt.failed();
    throw new AppError('invalid_credentials', 'accounts.errors.wrongCredentials');
  }
  attempt.succeeded();
  // Hashes made with the weaker parameters of earlier versions are redone while the password is at hand.
  if (isWeakerHash(user.password_hash)) {
    await replacePasswordHash(db, user.id, user.password_hash, await hashPassword(credentials.password));
  }
  // Said only once the password was right, so that it tells a guesser nothing.
  if (user.disabled_at !== null) {
    throw new AppError('account_disabled', 'accounts.errors.disabled');
  }
  return openSession(db, toPublicUser(user));
}

const THROTTLED = {
  address: 'accounts.errors.throttledAddress',
  account: 'accounts.errors.throttledAccount',
} as const;

/**
 * Password guessing is slowed per account and address, at sign-in and wherever a current
 * password is checked (see LoginThrottle). The attempt counts from here, before the check.
 */
async function beginPasswordCheck(throttle: Throttle, username: string, address: string): Promise<PasswordCheck> {
  const admission = await throttle.begin(username, address);
  if (admission.admitted) return admission;
  throw new AppError(
    'rate_limited',
    THROTTLED[admission.heldBy],
    {},
    { retryAfterSeconds: admission.retryAfterSeconds },
  );
}

/**
 * A signed-in user changes their own password, proving the current one (a session left open on
 * a shared computer is not enough). Every other session and token of the account ends; the one
 * that made the change stays signed in.
 */
export async function changeOwnPassword(
  db: Db,
  throttle: Throttle,
  session: { user: UserRow; token: string },
  input: { currentPassword: string; newPassword: string },
  address: string,
): Promise<{ otherSessionsEnded: number }> {
  const { user } = session;
  checkPassword(input.newPassword, user.username);
  const attempt = await beginPasswordCheck(throttle, user.username, address);
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    attempt.failed();
    throw new AppError('wrong_current_password', 'accounts.errors.wrongCurrentPassword');
  }
  attempt.succeeded();
  const passwordHash = await hashPassword(input.newPassword);
  const otherSessionsEnded = await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, user.id, passwordHash);
    return deleteSessionsOf(trx, user.id, hashToken(session.token));
  });
  return { otherSessionsEnded };
}

/** A new account is signed in at once. */
export async function register(
  db: Db,
  registration: 'open' | 'closed',
  input: { username: string; password: string },
): Promise<{ token: string; user: PublicUser }> {
  if (registration !== 'open') {
    throw new AppError('registration_closed', 'accounts.errors.registrationClosed');
  }
  return openSession(db, await createOrganizer(db, input));
}

async function openSession(db: Db, user: PublicUser): Promise<{ token: string; user: PublicUser }> {
  // Sign-ins are rare: a good moment to forget sessions that have run out.
  await deleteExpiredSessions(db, new Date());
  const token = newToken();
  await insertSession(db, { id: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + SESSION_TTL_MS) });
  return { token, user };
}

export async function userForToken(db: Db, token: string): Promise<UserRow | undefined> {
  return findSessionUser(db, hashToken(token), new Date());
}

export async function logout(db: Db, token: string): Promise<void> {
  await deleteSession(db, hashToken(token));
}

/** The id of a session, for deriving values bound to it (the CSRF token) without storing the token. */
export const sessionIdOf = hashToken;
