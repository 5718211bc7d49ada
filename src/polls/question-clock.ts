const WAKE_MARGIN_MS = 5;

/** How often an instance looks for questions whose countdown ended while no timer of its own ran for them. */
export const SWEEP_INTERVAL_MS = 2_000;

/**
 * Closes questions when their countdown ends. The instance that starts a countdown wakes up at
 * its end; every instance also looks now and then, so that a countdown started on another
 * instance, or one that ended while the server was down, still closes its question.
 */
export class QuestionClock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly interval: NodeJS.Timeout;
  /** The sweep in progress, and whether another was asked for meanwhile. */
  private sweeping: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly sweep: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    intervalMs = SWEEP_INTERVAL_MS,
  ) {
    this.interval = setInterval(() => this.run(), intervalMs);
    this.interval.unref();
  }

  /** Looks at once: questions whose time ran out while the server was down close now. */
  start(): Promise<void> {
    return this.run();
  }

  /** Wakes up when a countdown ends. */
  wakeUpAt(closesAt: Date): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void this.run();
      },
      // A timer may fire a millisecond early: the sweep must find the countdown ended.
      Math.max(0, closesAt.getTime() - Date.now()) + WAKE_MARGIN_MS,
    );
    timer.unref();
    this.timers.add(timer);
  }

  /** Stops waking up; resolves once the sweep in progress, if any, is done. */
  async close(): Promise<void> {
    clearInterval(this.interval);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.again = false;
    await this.sweeping;
  }

  /**
   * One sweep at a time, and at most one more after it, however often it is asked for: a slow
   * database never piles them up.
   */
  private run(): Promise<void> {
    if (this.sweeping) {
      this.again = true;
      return this.sweeping;
    }
    this.sweeping = (async () => {
      do {
        this.again = false;
        await this.sweep().catch(this.onError);
      } while (this.again);
      this.sweeping = undefined;
    })();
    return this.sweeping;
  }
}
