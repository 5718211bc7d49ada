import type { Broadcaster } from './broadcaster.js';
import { HEARTBEAT_INTERVAL_MS, type LiveMessage } from './messages.js';

// Every live message is serialized with `type` first; the SSE event name is read from there.
const MESSAGE_TYPE = /^\{"type":"(\w+)"/;

/** One live message, encoded for each transport at most once, however many viewers get it. */
export class LiveFrame {
  private eventStreamText: string | undefined;
  private utf8: Buffer | undefined;

  constructor(readonly json: string) {}

  /** The Server-Sent Events frame: the event name is the message type. */
  get eventStream(): string {
    this.eventStreamText ??= `event: ${MESSAGE_TYPE.exec(this.json)?.[1] ?? 'message'}\ndata: ${this.json}\n\n`;
    return this.eventStreamText;
  }

  /** The WebSocket text frame's payload. */
  get bytes(): Buffer {
    this.utf8 ??= Buffer.from(this.json, 'utf8');
    return this.utf8;
  }
}

// Its viewers were told when they joined; leaving needs nothing more.
const ignoreFailedSubscription = () => {};

export const HEARTBEAT_FRAME = new LiveFrame(JSON.stringify({ type: 'heartbeat' } satisfies LiveMessage));

/** A connected screen, whatever its transport. */
export interface Viewer {
  send(frame: LiveFrame): void;
  /** Called on every heartbeat, after the heartbeat frame: a transport's own liveness check. */
  tick?(): void;
  /** The server is stopping: end the connection so that the client reconnects elsewhere. */
  close(): void;
}

interface PollViewers {
  viewers: Set<Viewer>;
  /** While a resync's snapshot is read: the messages held until it is sent, and whether to read again. */
  resync: { held: LiveFrame[]; again: boolean } | undefined;
  /** The poll's one broadcaster subscription: how to end it, once it is active. */
  subscription: Promise<() => void>;
}

/**
 * The viewers connected to this instance, grouped by poll: one broadcaster subscription per
 * poll that has viewers, however many there are, and one heartbeat timer for all of them.
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
    const viewers = new Set<Viewer>();
    const poll: PollViewers = {
      viewers,
      resync: undefined,
      subscription: this.broadcaster.subscribe(pollCode, (json) => {
        const frame = new LiveFrame(json);
        if (poll.resync) poll.resync.held.push(frame);
        else for (const each of viewers) each.send(frame);
      }),
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
    try {
      const snapshot = await read();
      for (const viewer of poll.viewers) viewer.send(snapshot);
    } finally {
      poll.resync = undefined;
      for (const frame of resync.held) for (const viewer of poll.viewers) viewer.send(frame);
    }
    if (resync.again) await this.resync(pollCode, read);
  }

  /** Closes every viewer's connection and every subscription. */
  close(): void {
    clearInterval(this.timer);
    for (const { viewers, subscription } of this.polls.values()) {
      subscription.then((unsubscribe) => unsubscribe(), ignoreFailedSubscription);
      for (const viewer of viewers) viewer.close();
    }
    this.polls.clear();
  }

  private heartbeat(): void {
    for (const { viewers } of this.polls.values()) {
      for (const viewer of viewers) {
        viewer.send(HEARTBEAT_FRAME);
        viewer.tick?.();
      }
    }
  }
}
