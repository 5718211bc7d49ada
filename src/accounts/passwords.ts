import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

// scrypt is memory-hard and built into Node. These are OWASP's minimum for scrypt (Password
// Storage Cheat Sheet): 128 * N * r bytes = 128 MiB, and about 0.4 s, a hash on two cores.
const OWASP: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
let hashingParams = OWASP;
const KEY_LENGTH = 32;

// Each derivation holds 128 MiB and one of libuv's four threads (which also read files and
// resolve names) for its whole run: a burst of sign-ins waits its turn here rather than taking
// the server's memory and threads.
const MAX_AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_AT_ONCE) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, so that a newcomer cannot overtake it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // Node refuses anything above 32 MiB unless told: allow what these parameters need, with room.
  const options: ScryptOptions = { ...params, maxmem: 2 * 128 * params.N * params.r * params.p };
  return inTurn(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

/** `scrypt$N$r$p$salt$hash`, so that the parameters can rise later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = hashingParams;
  const key = await derive(password, salt, hashingParams);
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  return { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.params);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** Whether a stored hash was made with weaker parameters than today's, and is worth redoing. */
export function isWeakerHash(stored: string): boolean {
  const old = parse(stored)?.params;
  return !old || old.N < hashingParams.N || old.r < hashingParams.r || old.p < hashingParams.p;
}

// A hash of nothing, verified against when the account does not exist, so that a wrong
// username takes as long to reject as a wrong password.
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/**
 * The test suite hashes hundreds of passwords: at OWASP's cost it would run minutes longer, so
 * it hashes cheaply (test/cheap-password-hashes.ts) but where it tests hashing itself. Nothing
 * else calls this: the server always hashes at OWASP's minimum.
 */
export function setHashCostForTests(cost: 'cheap' | 'owasp'): void {
  hashingParams = cost === 'cheap' ? { N: 2 ** 10, r: 8, p: 1 } : OWASP;
  decoy = undefined;
}

export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}
