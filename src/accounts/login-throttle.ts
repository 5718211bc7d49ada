/**
 * Slows down password guessing per account: after a few failures, each further attempt on
 * that username must wait, doubling up to a cap. A success clears the record.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; blockedUntil: number }>();

  constructor(
    private readonly freeAttempts = 5,
    private readonly baseDelayMs = 1000,
    private readonly maxDelayMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the caller must still wait before trying this account, or 0. */
  retryAfterSeconds(username: string): number {
    const entry = this.failures.get(username.toLowerCase());
    if (!entry) return 0;
    return Math.max(0, Math.ceil((entry.blockedUntil - this.now()) / 1000));
  }

  failed(username: string): void {
    const key = username.toLowerCase();
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const over = count - this.freeAttempts + 1;
    const delay = over > 0 ? Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (over - 1)) : 0;
    this.failures.set(key, { count, blockedUntil: this.now() + delay });
    // Bounded memory when someone sprays random usernames.
    if (this.failures.size > 10_000) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  succeeded(username: string): void {
    this.failures.delete(username.toLowerCase());
  }
}
