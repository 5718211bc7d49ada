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

export const HEARTBEAT_FRAME = new LiveFrame(JSON.stringify({ type: 'heartbeat' } satisfies LiveMessage));

/** A connected screen, whatever its transport. */
export interface Viewer {
  send(frame: LiveFrame): void;
  /** Called on every heartbeat, after the heartbeat frame: a transport's own liveness check. */
  tick?(): void;
  /** The server is stopping: end the connection so that the client reconnects elsewhere. */
  close(): void;
}

/**
 * The viewers connected to this instance, grouped by poll: one broadcaster subscription per
 * poll that has viewers, however many there are, and one heartbeat timer for all of them.
 */
export class ViewerHub {
  private readonly polls = new Map<string, { viewers: Set<Viewer>; unsubscribe: () => void }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly broadcaster: Broadcaster,
    heartbeatMs = HEARTBEAT_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
    this.timer.unref();
  }

  /** Starts sending the poll's messages to the viewer; returns how to stop. */
  join(pollCode: string, viewer: Viewer): () => void {
    let poll = this.polls.get(pollCode);
    if (!poll) {
      const viewers = new Set<Viewer>();
      const unsubscribe = this.broadcaster.subscribe(pollCode, (json) => {
        const frame = new LiveFrame(json);
        for (const each of viewers) each.send(frame);
      });
      poll = { viewers, unsubscribe };
      this.polls.set(pollCode, poll);
    }
    const { viewers } = poll;
    viewers.add(viewer);
    return () => {
      viewers.delete(viewer);
      const current = this.polls.get(pollCode);
      if (current?.viewers === viewers && viewers.size === 0) {
        current.unsubscribe();
        this.polls.delete(pollCode);
      }
    };
  }

  /** Closes every viewer's connection and every subscription. */
  close(): void {
    clearInterval(this.timer);
    for (const { viewers, unsubscribe } of this.polls.values()) {
      unsubscribe();
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
