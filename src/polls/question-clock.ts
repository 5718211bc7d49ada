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
  private sweeping: Promise<void> = Promise.resolve();

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
      Math.max(0, closesAt.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.add(timer);
  }

  close(): void {
    clearInterval(this.interval);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** One sweep at a time: a slow database never piles them up. */
  private run(): Promise<void> {
    this.sweeping = this.sweeping.then(() => this.sweep().catch(this.onError));
    return this.sweeping;
  }
}
