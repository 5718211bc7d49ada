import { createHash, randomBytes } from 'node:crypto';
import type { Db, UserRow } from '../db/database.js';
import { AppError } from '../errors.js';
import type { LoginThrottle } from './login-throttle.js';
import { decoyHash, generatePassword, hashPassword, verifyPassword } from './passwords.js';
import {
  countUsers,
  deleteExpiredSessions,
  deleteSession,
  findSessionUser,
  findUserByUsername,
  insertSession,
  insertUser,
} from './queries.js';

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
  if ((await countUsers(db)) > 0) {
    const existing = await findUserByUsername(db, admin.username);
    const first = existing ?? (await db.selectFrom('users').selectAll().orderBy('id').executeTakeFirstOrThrow());
    return { user: first };
  }
  const generatedPassword = admin.password ? undefined : generatePassword();
  const password = admin.password ?? generatedPassword ?? '';
  const user = await insertUser(db, {
    username: admin.username,
    passwordHash: await hashPassword(password),
    role: 'admin',
  });
  return generatedPassword ? { user, generatedPassword } : { user };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function login(
  db: Db,
  throttle: LoginThrottle,
  credentials: { username: string; password: string },
): Promise<{ token: string; user: PublicUser }> {
  const wait = throttle.retryAfterSeconds(credentials.username);
  if (wait > 0) {
    throw new AppError('rate_limited', 'Too many failed sign-ins. Please wait and try again.', {
      retryAfterSeconds: wait,
    });
  }
  const user = await findUserByUsername(db, credentials.username);
  const valid = await verifyPassword(credentials.password, user?.password_hash ?? (await decoyHash()));
  if (!user || !valid) {
    throttle.failed(credentials.username);
    throw new AppError('invalid_credentials', 'Wrong username or password.');
  }
  throttle.succeeded(credentials.username);
  // Sign-ins are rare: a good moment to forget sessions that have run out.
  await deleteExpiredSessions(db, new Date());
  const token = randomBytes(32).toString('base64url');
  await insertSession(db, { id: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + SESSION_TTL_MS) });
  return { token, user: toPublicUser(user) };
}

export async function userForToken(db: Db, token: string): Promise<UserRow | undefined> {
  return findSessionUser(db, hashToken(token), new Date());
}

export async function logout(db: Db, token: string): Promise<void> {
  await deleteSession(db, hashToken(token));
}

/** The id of a session, for deriving values bound to it (the CSRF token) without storing the token. */
export const sessionIdOf = hashToken;
