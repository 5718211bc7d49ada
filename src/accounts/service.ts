import type { Db, UserRow } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { AppError } from '../errors.js';
import { hashToken, newToken } from '../tokens.js';
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
  listUsers,
} from './queries.js';
import { checkNewCredentials } from './rules.js';

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

/** An organizer account (by registration or by the admin). */
export async function createOrganizer(db: Db, input: { username: string; password: string }): Promise<PublicUser> {
  const { username } = checkNewCredentials(input);
  const taken = new AppError('username_taken', 'This username is taken. Choose another one.');
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

export async function listAccounts(db: Db): Promise<PublicUser[]> {
  return (await listUsers(db)).map(toPublicUser);
}

export function requireAdmin(user: UserRow): void {
  if (user.role !== 'admin') throw new AppError('forbidden', 'Only the admin can do this.');
}

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
  return openSession(db, toPublicUser(user));
}

/** A new account is signed in at once. */
export async function register(
  db: Db,
  registration: 'open' | 'closed',
  input: { username: string; password: string },
): Promise<{ token: string; user: PublicUser }> {
  if (registration !== 'open') {
    throw new AppError('registration_closed', 'Accounts are created by the admin of this Pollcast.');
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
