import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Broadcaster } from './broadcaster.js';
import { LiveFrame } from './live-frame.js';
import { HEARTBEAT_INTERVAL_MS } from './messages.js';

// Its viewers were told when they joined; leaving needs nothing more.
const ignoreFailedSubscription = () => {};

// A fan-out gives the event loop back after this long, so that votes and pages are served between
// its slices however large the room.
const SLICE_MS = 10;
// The clock is read between groups of writes, not after each: a write is a few microseconds.
const VIEWERS_BETWEEN_CLOCK_READS = 64;

/** A connected screen, whatever its transport. */
export interface Viewer {
  send(frame: LiveFrame): void;
  /** The heartbeat, with the transport's own liveness check. */
  heartbeat(): void;
  /** The server is stopping: end the connection so that the client reconnects elsewhere. */
  close(): void;
}

/** What goes out to every viewer of a poll: a message, or the heartbeat. */
type Outgoing = LiveFrame | 'heartbeat';

interface PollViewers {
  viewers: Set<Viewer>;
  /** While a resync's snapshot is read: the messages held until it is sent, and whether to read again. */
  resync: { held: LiveFrame[]; again: boolean } | undefined;
  /** The poll's one broadcaster subscription: how to end it, once it is active. */
  subscription: Promise<() => void>;
  /** What waits for the fan-out in progress, in order. */
  outbox: Outgoing[];
  sending: boolean;
  /** The fan-out in progress: its message, and the viewers it has yet to reach. */
  current: { outgoing: Outgoing; pending: Iterator<Viewer> } | undefined;
}

/**
 * Puts a message in line. Results that find the previous results of their question still waiting
 * take its place: a room whose fan-out is slow gets fewer updates, each with the latest counts,
 * instead of a queue of stale ones.
 */
function enqueue(outbox: Outgoing[], next: Outgoing): void {
  const last = outbox.at(-1);
  const counts = next === 'heartbeat' ? null : next.results;
  const waiting = last === undefined || last === 'heartbeat' ? null : last.results;
  if (counts && waiting && counts.questionId === waiting.questionId) {
    // Across instances an older count may arrive after a newer one: the newer one stays.
    if (counts.version > waiting.version) outbox[outbox.length - 1] = next;
    return;
  }
  outbox.push(next);
}

/**
 * The viewers connected to this instance, grouped by poll: one broadcaster subscription per
 * poll that has viewers, however many there are, and one heartbeat timer for all of them.
 *
 * A poll's messages go out one after another, each written to its viewers in slices of 10 ms. A
 * fan-out that needed more than one slice is followed by a pause as long as its slices took,
 * during which newer results replace waiting ones: the broadcast rate adapts to the room, and
 * votes keep at least half of the event loop however many screens watch.
 */
export class ViewerHub {
  private readonly polls = new Map<string, PollViewers>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly broadcaster: Broadcaster,
    heartbeatMs = HEARTBEAT_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
    this.timer.unref();
  }

  /**
   * Starts sending the poll's messages to the viewer. Resolves, with how to stop, once the poll's
   * subscription is active: from then on no message of the poll passes the viewer by.
   */
  async join(pollCode: string, viewer: Viewer): Promise<() => void> {
    const poll = this.polls.get(pollCode) ?? this.subscribe(pollCode);
    poll.viewers.add(viewer);
    const leave = () => {
      poll.viewers.delete(viewer);
      if (poll.viewers.size > 0 || this.polls.get(pollCode) !== poll) return;
      this.polls.delete(pollCode);
      poll.subscription.then((unsubscribe) => unsubscribe(), ignoreFailedSubscription);
    };
    try {
      await poll.subscription;
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  }

  private subscribe(pollCode: string): PollViewers {
    const poll: PollViewers = {
      viewers: new Set(),
      resync: undefined,
      subscription: this.broadcaster.subscribe(pollCode, (json) => {
        const frame = new LiveFrame(json);
        if (poll.resync) poll.resync.held.push(frame);
        else this.deliver(poll, frame);
      }),
      outbox: [],
      sending: false,
      current: undefined,
    };
    this.polls.set(pollCode, poll);
    // A subscription that failed is forgotten at once, so that the next viewer tries again.
    poll.subscription.catch(() => {
      if (this.polls.get(pollCode) === poll) this.polls.delete(pollCode);
    });
    return poll;
  }

  /**
   * Sends this instance's viewers of the poll (if it has any) the snapshot `read` makes, as it is
   * stored now. Messages arriving while it is read are held and sent after it, as for a viewer that
   * joins, so that an older snapshot never follows a newer message. A resync asked for during
   * another reads again once that one is out: the first read may have started before the change.
   */
  async resync(pollCode: string, read: () => Promise<LiveFrame>): Promise<void> {
    const poll = this.polls.get(pollCode);
    if (!poll) return;
    if (poll.resync) {
      poll.resync.again = true;
      return;
    }
    const resync = { held: [] as LiveFrame[], again: false };
    poll.resync = resync;
    let snapshot: LiveFrame | undefined;
    try {
      snapshot = await read();
    } finally {
      poll.resync = undefined;
      for (const frame of snapshot ? [snapshot, ...resync.held] : resync.held) this.deliver(poll, frame);
    }
    if (resync.again) await this.resync(pollCode, read);
  }

  /** Sends this instance's viewers of the poll a message meant for them alone, not for the other instances. */
  tell(pollCode: string, frame: LiveFrame): void {
    const poll = this.polls.get(pollCode);
    if (poll) this.deliver(poll, frame);
  }

  /**
   * Closes every viewer's connection and every subscription. The messages on their way go out
   * first, whole, however big the room: a stopping server's viewers end on the latest counts.
   */
  close(): void {
    clearInterval(this.timer);
    for (const { viewers, subscription, outbox, current } of this.polls.values()) {
      subscription.then((unsubscribe) => unsubscribe(), ignoreFailedSubscription);
      if (current) writeSlice(current.pending, current.outgoing, Number.POSITIVE_INFINITY);
      for (const outgoing of outbox) {
        if (outgoing !== 'heartbeat') writeSlice(viewers.values(), outgoing, Number.POSITIVE_INFINITY);
      }
      for (const viewer of viewers) viewer.close();
      // The fan-out in progress finds no one left at its next slice.
      viewers.clear();
      outbox.length = 0;
    }
    this.polls.clear();
  }

  private heartbeat(): void {
    for (const poll of this.polls.values()) this.deliver(poll, 'heartbeat');
  }

  private deliver(poll: PollViewers, outgoing: Outgoing): void {
    enqueue(poll.outbox, outgoing);
    if (!poll.sending) void this.sendOut(poll);
  }

  /** Sends the poll's outbox until it is empty; the first slice of a fan-out is written at once. */
  private async sendOut(poll: PollViewers): Promise<void> {
    poll.sending = true;
    try {
      for (let next = poll.outbox.shift(); next !== undefined; next = poll.outbox.shift()) {
        const { busyMs, slices } = await fanOut(poll, next);
        if (slices > 1) await sleep(busyMs);
      }
    } finally {
      poll.sending = false;
    }
  }
}

/** Writes one message to every viewer, a slice at a time; says how long the slices took in all. */
async function fanOut(poll: PollViewers, outgoing: Outgoing): Promise<{ busyMs: number; slices: number }> {
  // A set's iterator survives changes: viewers who leave meanwhile are skipped, new ones included.
  const pending = poll.viewers.values();
  poll.current = { outgoing, pending };
  let busyMs = 0;
  try {
    for (let slices = 1; ; slices++) {
      const start = performance.now();
      const finished = writeSlice(pending, outgoing, start + SLICE_MS);
      busyMs += performance.now() - start;
      if (finished) return { busyMs, slices };
      await nextTurn();
    }
  } finally {
    poll.current = undefined;
  }
}

/** Writes to viewers until none is left (true) or the slice's time is up (false). */
function writeSlice(pending: Iterator<Viewer>, outgoing: Outgoing, endsAt: number): boolean {
  for (let written = 1; ; written++) {
    const next = pending.next();
    if (next.done) return true;
    if (outgoing === 'heartbeat') next.value.heartbeat();
    else next.value.send(outgoing);
    if (written % VIEWERS_BETWEEN_CLOCK_READS === 0 && performance.now() >= endsAt) return false;
  }
}
