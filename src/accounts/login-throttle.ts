import { networkOf } from '../network-address.js';

/**
 * Slows down password guessing, at sign-in and wherever a current password is checked, without
 * handing a guesser the power to lock the owner out.
 *
 * - Per account and network address: a few free failures, then each further attempt must wait,
 *   doubling up to a cap. A burst of guesses from one place holds that place only; the owner,
 *   anywhere else, signs in as usual.
 * - Per account, from every address together: a bucket of attempts that refills at a steady rate,
 *   so that guessing spread over many addresses gets no faster than that rate. It refuses only
 *   the excess: however large the burst, the account opens again within one refill. An address
 *   that signed in to the account before skips this ceiling, so the owner's usual networks stay
 *   open even while guessers keep it spent.
 *
 * An attempt is counted when it begins, before the password hash is awaited (hundreds of
 * milliseconds): checking first and counting after would let parallel guesses all slip through.
 * A success gives back what it counted; after a failure, the wait runs from when it is known. Records live in this process's memory, bounded: beyond
 * `maxRecords` of a kind, the least recently used is forgotten.
 */

export interface ThrottleRules {
  /** Failures per account and address before the first wait. */
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Attempts on one account, from all addresses, that may come at once. */
  accountBurst: number;
  /** How long the account's bucket takes to earn back one attempt. */
  accountRefillMs: number;
  /** How long an address that signed in to an account skips that account's ceiling. */
  knownForMs: number;
  maxRecords: number;
}

export const DEFAULT_RULES: ThrottleRules = {
  freeFailures: 5,
  firstDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  accountBurst: 20,
  accountRefillMs: 30_000,
  knownForMs: 30 * 24 * 60 * 60_000,
  maxRecords: 20_000,
};

/** Counts sign-in attempts: LoginThrottle in this process's memory, or one shared by every instance. */
export interface Throttle {
  begin(username: string, address: string): Admission | Promise<Admission>;
}

/** Either the attempt may go on (and then says how it ended), or it is refused for a while. */
export type Admission =
  | ({ admitted: true } & PasswordCheck)
  | { admitted: false; retryAfterSeconds: number; heldBy: 'address' | 'account' };

export interface PasswordCheck {
  succeeded(): void;
  /** The wait before the next attempt runs from now, not from when the check began. */
  failed(): void;
}

interface AddressRecord {
  failures: number;
  blockedUntil: number;
  /** Until when this address skips the account's ceiling, for having signed in. */
  knownUntil: number;
}

interface Bucket {
  attempts: number;
  at: number;
}

/** Sets a record as the most recently used one, forgetting the least recently used beyond `max`. */
function remember<V>(records: Map<string, V>, key: string, value: V, max: number): void {
  records.delete(key);
  records.set(key, value);
  if (records.size > max) {
    const oldest = records.keys().next().value;
    if (oldest !== undefined) records.delete(oldest);
  }
}

/** The wait before the next attempt after this many failures in a row from one address. */
export function delayAfter(rules: ThrottleRules, failures: number): number {
  const over = failures - rules.freeFailures;
  return over < 0 ? 0 : Math.min(rules.maxDelayMs, rules.firstDelayMs * 2 ** over);
}

export class LoginThrottle implements Throttle {
  private readonly rules: ThrottleRules;
  private readonly addresses = new Map<string, AddressRecord>();
  private readonly accounts = new Map<string, Bucket>();

  constructor(
    rules: Partial<ThrottleRules> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.rules = { ...DEFAULT_RULES, ...rules };
  }

  /** Counts an attempt on this account from this address, or refuses it while guessing is slowed. */
  begin(username: string, address: string): Admission {
    const now = this.now();
    const account = username.toLowerCase();
    // No address holds a space: the key names one (account, network) pair only.
    const key = `${account} ${networkOf(address)}`;
    const record = this.addresses.get(key);
    if (record && record.blockedUntil > now) return refused(record.blockedUntil - now, 'address');

    const known = record !== undefined && record.knownUntil > now;
    if (!known) {
      const bucket = this.bucketOf(account, now);
      if (bucket.attempts < 1) return refused((1 - bucket.attempts) * this.rules.accountRefillMs, 'account');
      this.keepBucket(account, { attempts: bucket.attempts - 1, at: now });
    }
    const failures = (record?.failures ?? 0) + 1;
    remember(
      this.addresses,
      key,
      { failures, blockedUntil: now + this.delayAfter(failures), knownUntil: record?.knownUntil ?? 0 },
      this.rules.maxRecords,
    );

    return {
      admitted: true,
      failed: () => {
        const current = this.addresses.get(key);
        // A success since then cleared the address, and with it this failure.
        if (!current || current.failures < failures) return;
        const blockedUntil = Math.max(current.blockedUntil, this.now() + this.delayAfter(failures));
        remember(this.addresses, key, { ...current, blockedUntil }, this.rules.maxRecords);
      },
      succeeded: () => {
        const at = this.now();
        remember(
          this.addresses,
          key,
          { failures: 0, blockedUntil: 0, knownUntil: at + this.rules.knownForMs },
          this.rules.maxRecords,
        );
        if (!known) {
          const bucket = this.bucketOf(account, at);
          this.keepBucket(account, { attempts: bucket.attempts + 1, at });
        }
      },
    };
  }

  private delayAfter(failures: number): number {
    return delayAfter(this.rules, failures);
  }

  /** The account's bucket as of `now`, refilled for the time since it was last used. */
  private bucketOf(account: string, now: number): Bucket {
    const bucket = this.accounts.get(account);
    const earned = bucket ? (now - bucket.at) / this.rules.accountRefillMs : this.rules.accountBurst;
    return { attempts: Math.min(this.rules.accountBurst, (bucket?.attempts ?? 0) + earned), at: now };
  }

  private keepBucket(account: string, bucket: Bucket): void {
    // A full bucket is what an account without a record has: no need to keep it.
    if (bucket.attempts >= this.rules.accountBurst) this.accounts.delete(account);
    else remember(this.accounts, account, bucket, this.rules.maxRecords);
  }
}

export function refused(waitMs: number, heldBy: 'address' | 'account'): Admission {
  return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), heldBy };
}
