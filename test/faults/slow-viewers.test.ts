import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HEARTBEAT_INTERVAL_MS } from '../../src/realtime/messages.js';
import { dialects } from '../helpers.js';
import { openEventStream } from '../live-clients.js';
import { liveQuestion, metric, processDatabase, startServer } from './server-process.js';

const [sqlite] = dialects;

describe.skipIf(!sqlite)('a viewer that stops reading', () => {
  it('is dropped instead of growing the server, while the others get every change', async () => {
    if (!sqlite) return;
    const db = await processDatabase(sqlite);
    const server = await startServer({ DATABASE_URL: db.url });
    const connections = `pollcast_live_connections{transport="sse"}`;
    try {
      const { token } = await liveQuestion(server.url);
      const healthy = await openEventStream(server.url, 'default');
      // Asks for the stream, then never reads a byte of it.
      const stalled = connect(server.port, '127.0.0.1');
      stalled.write(`GET /api/polls/default/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
      stalled.pause();
      await expect.poll(() => metric(server.url, connections)).toBe(2);

      // Big questions (3 bytes a character), made live in turn: each change goes to every viewer.
      const long = (n: number) => `${n} ${'€'.repeat(195)}`;
      const make = async (n: number) => {
        const response = await fetch(`${server.url}/api/admin/polls/default/questions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            text: `${n} ${'€'.repeat(490)}`,
            options: Array.from({ length: 20 }, (_, i) => long(i)),
          }),
        });
        return ((await response.json()) as { question: { id: number } }).question.id;
      };
      const ids = [await make(1), await make(2)];
      const rss = await metric(server.url, 'pollcast_process_resident_memory_bytes');
      let changes = 0;
      while ((await metric(server.url, connections)) > 1 && changes < 3000) {
        for (let i = 0; i < 50; i++, changes++) {
          await fetch(`${server.url}/api/admin/questions/${ids[changes % 2]}/activate`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          });
        }
      }
      // The stalled viewer was cut off; the server's memory stayed within bounds.
      expect(await metric(server.url, connections)).toBe(1);
      expect(stalled.destroyed || stalled.readableEnded || (await ended(stalled))).toBe(true);
      expect(await metric(server.url, 'pollcast_process_resident_memory_bytes')).toBeLessThan(rss + 64 * 1024 * 1024);

      // The viewer that reads ends on the question that is live now.
      const last = ids[(changes - 1) % 2];
      const lastSeen = () => healthy.inbox.messages.filter((m) => m.type === 'question').at(-1);
      await expect.poll(() => (lastSeen()?.type === 'question' ? lastSeen()?.question?.id : undefined)).toBe(last);
      expect(healthy.inbox.messages.filter((m) => m.type === 'question').length).toBe(changes);
      healthy.close();
      stalled.destroy();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await db.drop();
    }
  });
});

/** Reads what the server sent until it closes the connection (the test's timeout bounds the wait). */
function ended(socket: ReturnType<typeof connect>): Promise<boolean> {
  return new Promise((resolve) => {
    socket.on('close', () => resolve(true));
    socket.on('error', () => resolve(true));
    socket.resume();
  });
}

describe.skipIf(!sqlite)('a viewer that vanished without closing', () => {
  it(
    'is found by the heartbeat and dropped, while a live viewer stays',
    async () => {
      if (!sqlite) return;
      const db = await processDatabase(sqlite);
      const server = await startServer({ DATABASE_URL: db.url });
      const connections = `pollcast_live_connections{transport="websocket"}`;
      const url = `${server.url.replace('http', 'ws')}/api/polls/default/ws`;
      try {
        // A phone that went out of range: its socket stays open but nothing answers the pings.
        const vanished = new WebSocket(url, { autoPong: false });
        const alive = new WebSocket(url);
        const dropped = new Promise<number>((resolve) => vanished.on('close', (code) => resolve(code)));
        await expect.poll(() => metric(server.url, connections)).toBe(2);
        // 1006: the server cut the connection rather than closing it politely. Two heartbeats find it.
        expect(await dropped).toBe(1006);
        // The client may learn of the cut before the server has counted the socket out.
        await expect.poll(() => metric(server.url, connections)).toBe(1);
        expect(alive.readyState).toBe(WebSocket.OPEN);
        alive.close();
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
        await db.drop();
      }
    },
    2 * HEARTBEAT_INTERVAL_MS + 20_000,
  );
});
