// The room's audience, in a process of its own: ROOM_WS WebSocket and ROOM_SSE SSE viewers of
// the default poll on 127.0.0.1:ROOM_PORT, each a bare socket that counts messages, keeps the
// highest total it has seen and answers pings. Nothing is parsed beyond that, so that one core
// holds thousands of them. Talks to its parent over IPC: `ready` once every viewer has its
// snapshot, then a `report` for each `report` asked.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RoomReport {
  ws: { open: number; refused: number; dropped: number; messages: number };
  sse: { open: number; refused: number; dropped: number; messages: number };
  /** Viewers that were open at the end, by the highest total each had seen. */
  lastTotals: Record<string, number>;
}

const PORT = Number(process.env.ROOM_PORT);
const WS_COUNT = Number(process.env.ROOM_WS ?? 0);
const SSE_COUNT = Number(process.env.ROOM_SSE ?? 0);
// Connections being opened at once: the server's accept backlog is short, and a refused SYN costs a second's retry.
const OPENING_AT_ONCE = 200;
const TOTAL = /"totalVotes":(\d+)/g;

interface CheapViewer {
  /** Its snapshot is in: it is subscribed, and counted as open until its socket closes. */
  subscribed: boolean;
  open: boolean;
  total: number;
}

const stats = {
  ws: { open: 0, refused: 0, dropped: 0, messages: 0 },
  sse: { open: 0, refused: 0, dropped: 0, messages: 0 },
};
const viewers: CheapViewer[] = [];
const sockets: Socket[] = [];

/** The highest total named in this text; numbers cut at its end are low, so the highest wins anyway. */
function highestTotal(text: string, atLeast: number) {
  let total = atLeast;
  for (const match of text.matchAll(TOTAL)) total = Math.max(total, Number(match[1]));
  return total;
}

/**
 * Opens one viewer; settles once its snapshot (the first message) is in, or once it is refused
 * or closed before that. `onData` gets what follows the response head.
 */
function openSocket(
  kind: 'ws' | 'sse',
  request: string,
  accepted: RegExp,
  onData: (viewer: CheapViewer, socket: Socket, data: Buffer) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const viewer: CheapViewer = { subscribed: false, open: false, total: 0 };
    const socket = connect(PORT, '127.0.0.1');
    sockets.push(socket);
    let head: Buffer | null = Buffer.alloc(0);
    socket.on('data', (data) => {
      if (head) {
        head = Buffer.concat([head, data]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        if (!accepted.test(head.subarray(0, end).toString('latin1'))) return void socket.destroy();
        const rest = head.subarray(end + 4);
        head = null;
        onData(viewer, socket, rest);
      } else onData(viewer, socket, data);
      if (viewer.subscribed && !viewer.open) {
        viewer.open = true;
        stats[kind].open++;
        viewers.push(viewer);
        resolve();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (viewer.open) {
        viewer.open = false;
        stats[kind].open--;
        stats[kind].dropped++;
      } else stats[kind].refused++;
      resolve();
    });
    socket.write(request);
  });
}

function openWs(): Promise<void> {
  const key = randomBytes(16).toString('base64');
  const request = `GET /api/polls/default/ws HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  let pending: Buffer = Buffer.alloc(0);
  return openSocket('ws', request, /^HTTP\/1\.1 101/, (viewer, socket, data) => {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    // Server frames are never masked: a 2-byte head, then a 16- or 64-bit length when the 7-bit one says so.
    for (;;) {
      if (pending.length < 2) return;
      const opcode = (pending[0] ?? 0) & 0x0f;
      let length = (pending[1] ?? 0) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      if (pending.length < offset + length) return;
      const payload = pending.subarray(offset, offset + length);
      pending = pending.subarray(offset + length);
      if (opcode === 0x1) {
        stats.ws.messages++;
        viewer.subscribed = true;
        viewer.total = highestTotal(payload.toString('utf8'), viewer.total);
      } else if (opcode === 0x9) socket.write(clientFrame(0xa, payload));
      else if (opcode === 0x8) socket.end(clientFrame(0x8, payload.subarray(0, 2)));
    }
  });
}

/** A frame from the client, masked as the protocol asks (an all-zero mask: the payload goes as it is). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

function openSse(): Promise<void> {
  const request = `GET /api/polls/default/events HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nAccept: text/event-stream\r\n\r\n`;
  // The end of the previous chunk: a total cut in two by the network is read whole from here and the next.
  let tail = '';
  return openSocket('sse', request, /^HTTP\/1\.1 200/, (viewer, _socket, data) => {
    const text = tail + data.toString('utf8');
    tail = text.slice(-64);
    for (const _ of data.toString('latin1').matchAll(/\nevent: /g)) stats.sse.messages++;
    if (text.includes('event: snapshot')) viewer.subscribed = true;
    viewer.total = highestTotal(text, viewer.total);
  });
}

async function openAll(count: number, open: () => Promise<void>) {
  let next = 0;
  const opener = async () => {
    while (next < count) {
      next++;
      await open();
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPENING_AT_ONCE, count) }, opener));
}

function report(): RoomReport {
  const lastTotals: Record<string, number> = {};
  for (const viewer of viewers) {
    if (viewer.open) lastTotals[viewer.total] = (lastTotals[viewer.total] ?? 0) + 1;
  }
  return { ...stats, lastTotals };
}

process.on('message', (message) => {
  if (message === 'report') process.send?.({ type: 'report', report: report() });
  else if (message === 'close') {
    for (const socket of sockets) socket.destroy();
    process.disconnect();
  }
});

await openAll(WS_COUNT, openWs);
await openAll(SSE_COUNT, openSse);
process.send?.({ type: 'ready', report: report() });
