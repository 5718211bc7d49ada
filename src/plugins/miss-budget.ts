export const WINDOW_MS = 60_000;
// A code a network found stays known to it this long after it last asked.
export const FOUND_MEMORY_MS = 60 * WINDOW_MS;
// Bounds the memory a flood of addresses or codes can take; the oldest entries go first.
const MAX_ENTRIES = 100_000;

/** A Map that forgets its oldest entries past a size. */
class Recent<V> {
  private readonly entries = new Map<string, V>();

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/**
 * Per network, a budget of lookups of join codes that name no poll: `perMinute` at once, then one
 * more every minute / `perMinute`. Misses over the budget (sent at the same moment over many
 * connections) lengthen the wait instead of being forgotten at the next minute. Only misses count:
 * any number of lookups of codes that exist costs nothing. A code asked again within the minute is
 * not counted again (a phone retrying a mistyped or deleted code is not guessing), and while the
 * budget is spent a code the network found lately is still served: that tells it nothing new, and
 * one guesser behind a room's shared address does not cut the room off from its poll.
 */
export class MissBudget {
  /** Per network: the time at which all of its misses will have been paid back. */
  private readonly paidBackAt = new Recent<number>();
  /** Per network and code: whether the code was found, and until when that is remembered. */
  private readonly seen = new Recent<{ found: boolean; until: number }>();
  private readonly missCostMs: number;

  constructor(
    perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.missCostMs = WINDOW_MS / perMinute;
  }

  /** 0 when the network may look the code up now; else the seconds until it may. */
  waitSeconds(network: string, code: string): number {
    if (this.recall(network, code)?.found) return 0;
    const overBudgetMs = this.debtMs(network) + this.missCostMs - WINDOW_MS;
    return overBudgetMs > 0 ? Math.ceil(overBudgetMs / 1000) : 0;
  }

  found(network: string, code: string): void {
    this.seen.set(`${network} ${code}`, { found: true, until: this.now() + FOUND_MEMORY_MS });
  }

  missed(network: string, code: string): void {
    if (this.recall(network, code)) return;
    this.seen.set(`${network} ${code}`, { found: false, until: this.now() + WINDOW_MS });
    this.paidBackAt.set(network, this.now() + this.debtMs(network) + this.missCostMs);
  }

  private recall(network: string, code: string) {
    const seen = this.seen.get(`${network} ${code}`);
    return seen && seen.until > this.now() ? seen : undefined;
  }

  private debtMs(network: string): number {
    return Math.max(0, (this.paidBackAt.get(network) ?? 0) - this.now());
  }
}
