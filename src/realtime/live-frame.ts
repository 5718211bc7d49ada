import type { LiveMessage } from './messages.js';

// Every live message is serialized with `type` first; the SSE event name is read from there.
const MESSAGE_TYPE = /^\{"type":"(\w+)"/;

/** A server's WebSocket text frame: final fragment, opcode 1, unmasked, then the payload's length. */
function webSocketTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/**
 * One live message, encoded for each transport at most once, however many viewers get it: a
 * room of thousands costs one encoding and then one write per socket.
 */
export class LiveFrame {
  private eventStreamBytes: Buffer | undefined;
  private webSocketBytes: Buffer | undefined;
  private resultsOf: { questionId: number; version: number } | null | undefined;

  constructor(readonly json: string) {}

  get type(): string {
    return MESSAGE_TYPE.exec(this.json)?.[1] ?? 'message';
  }

  /** The Server-Sent Events frame: the event name is the message type. */
  get eventStream(): Buffer {
    this.eventStreamBytes ??= Buffer.from(`event: ${this.type}\ndata: ${this.json}\n\n`, 'utf8');
    return this.eventStreamBytes;
  }

  /** The whole WebSocket text frame, header included, to be written to the socket as it is. */
  get webSocket(): Buffer {
    this.webSocketBytes ??= webSocketTextFrame(Buffer.from(this.json, 'utf8'));
    return this.webSocketBytes;
  }

  /** For a results message: whose counts it carries, so that a newer one can stand in for it. */
  get results(): { questionId: number; version: number } | null {
    if (this.resultsOf === undefined) {
      const message = this.type === 'results' ? (JSON.parse(this.json) as LiveMessage) : undefined;
      this.resultsOf =
        message?.type === 'results' ? { questionId: message.questionId, version: message.version } : null;
    }
    return this.resultsOf;
  }
}

export const HEARTBEAT_FRAME = new LiveFrame(JSON.stringify({ type: 'heartbeat' } satisfies LiveMessage));

// A ping frame from the server, empty: its pong tells that the socket is alive.
const WEBSOCKET_PING = Buffer.from([0x89, 0x00]);

/** The heartbeat and a ping in one write: two frames, one system call per socket. */
export const HEARTBEAT_WITH_PING = Buffer.concat([HEARTBEAT_FRAME.webSocket, WEBSOCKET_PING]);
