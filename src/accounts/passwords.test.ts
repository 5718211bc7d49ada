import { randomBytes, scrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, type TestApp } from '../../test/helpers.js';
import { decoyHash, hashPassword, setHashCostForTests, verifyPassword } from './passwords.js';
import { findUserByUsername, insertUser, replacePasswordHash, setPasswordHash } from './queries.js';

const MiB = 1024 * 1024;

/** A password hash as earlier versions of Pollcast stored it: scrypt with N = 2^15. */
function olderHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) =>
    scrypt(password, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * MiB }, (error, key) =>
      error
        ? reject(error)
        : resolve(['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')),
    ),
  );
}

/** The scheme and parameters of a stored hash: `scrypt$N$r$p`. */
const paramsOf = (stored: string | undefined) => stored?.split('$').slice(0, 4).join('$');

// The cost the server uses, not the suite's cheap one.
beforeAll(() => setHashCostForTests('owasp'));

describe('password hashes', () => {
  it("are scrypt at OWASP's minimum, N = 2^17, r = 8, p = 1, and verify", async () => {
    const stored = await hashPassword('correct horse battery');
    expect(paramsOf(stored)).toBe('scrypt$131072$8$1');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('cost as much for an unknown username: the decoy is made like any other hash', async () => {
    expect(paramsOf(await decoyHash())).toBe(paramsOf(await hashPassword('anything at all')));
  });

  it('still verify when stored with the weaker parameters of earlier versions', async () => {
    const stored = await olderHash('an older password');
    expect(await verifyPassword('an older password', stored)).toBe(true);
    expect(await verifyPassword('another password', stored)).toBe(false);
  });

  it('are made two at a time, so that a burst of sign-ins cannot take the memory (128 MiB each)', async () => {
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    try {
      await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`password number ${i}`)));
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before).toBeGreaterThan(100 * MiB);
    expect(peak - before).toBeLessThan(3 * 128 * MiB);
  });
});

describe.each(dialects)('weaker stored hashes on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(() => t?.close());

  const signIn = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const storedHash = async (username: string) => (await findUserByUsername(t.app.db, username))?.password_hash;

  it('are hashed again, at N = 2^17, at the next sign-in', async () => {
    const older = await olderHash('vera-password');
    await insertUser(t.app.db, { username: 'vera', passwordHash: older, role: 'organizer' });
    expect((await signIn('vera', 'wrong-password')).statusCode).toBe(401);
    expect(await storedHash('vera')).toBe(older);

    expect((await signIn('vera', 'vera-password')).statusCode).toBe(200);
    expect(paramsOf(await storedHash('vera'))).toBe('scrypt$131072$8$1');
    expect((await signIn('vera', 'vera-password')).statusCode).toBe(200);
  });

  it('leave a password changed meanwhile as it is', async () => {
    const user = await insertUser(t.app.db, {
      username: 'wes',
      passwordHash: 'scrypt$32768$8$1$old',
      role: 'organizer',
    });
    // While a sign-in checked the old password, the admin set a new one.
    await setPasswordHash(t.app.db, user.id, 'scrypt$131072$8$1$set-by-the-admin');
    await replacePasswordHash(t.app.db, user.id, 'scrypt$32768$8$1$old', 'scrypt$131072$8$1$the-old-one-again');
    expect(await storedHash('wes')).toBe('scrypt$131072$8$1$set-by-the-admin');
  });
});
