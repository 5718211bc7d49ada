import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret (session, quick poll manage link): 256 random bits, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');

/** Tokens are stored only as their SHA-256: a leaked table holds nothing usable. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Whether a token matches a stored hash, in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashToken(token));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}
