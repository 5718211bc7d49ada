import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTestApp, dialects, from, metricsText, type TestApp } from '../../test/helpers.js';
import { openEventStream, openWebSocket, refusedWebSocket } from '../../test/live-clients.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const isSnapshot = (m: { type: string }) => m.type === 'snapshot';
const ROOM = '198.51.100.7';
const ELSEWHERE = '203.0.113.9';

describe('caps on live connections', () => {
  let t: TestApp | undefined;
  let base: string;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const start = async (caps: { perAddress: number; perInstance: number }) => {
    t = await buildTestApp(sqlite, {
      TRUST_PROXY: 'true',
      LIVE_CONNECTIONS_PER_ADDRESS: String(caps.perAddress),
      LIVE_CONNECTIONS_PER_INSTANCE: String(caps.perInstance),
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    return t;
  };

  const openBoth = async (address: string) => {
    const ws = await openWebSocket(base, 'default', from(address));
    const sse = await openEventStream(base, 'default', from(address));
    await Promise.all([ws.inbox.next(isSnapshot), sse.inbox.next(isSnapshot)]);
    return { ws, sse };
  };

  /** A refused SSE request: its status, its Retry-After and its error code. */
  const refusedStream = async (address: string) => {
    const response = await fetch(`${base}/api/polls/default/events`, { headers: from(address) });
    return {
      status: response.status,
      retryAfter: Number(response.headers.get('retry-after')),
      code: ((await response.json()) as { error: { code: string } }).error.code,
    };
  };

  /** Waits until the address may open a WebSocket again, and opens it. */
  const reopens = (address: string) => vi.waitFor(() => openWebSocket(base, 'default', from(address)), 10_000);

  it("refuses one address's connection over its cap with 429 before the upgrade or the stream", async () => {
    const { app } = await start({ perAddress: 2, perInstance: 0 });
    const room = await openBoth(ROOM);
    try {
      const socket = await refusedWebSocket(base, 'default', from(ROOM));
      expect(socket.status).toBe(429);
      expect(JSON.parse(socket.body).error.code).toBe('rate_limited');
      expect(Number(socket.headers['retry-after'])).toBeGreaterThan(0);
      expect(await refusedStream(ROOM)).toEqual({ status: 429, retryAfter: expect.any(Number), code: 'rate_limited' });
      expect((await refusedStream(ROOM)).retryAfter).toBeGreaterThan(0);

      // Another address is not affected.
      const other = await openWebSocket(base, 'default', from(ELSEWHERE));
      await other.inbox.next(isSnapshot);
      other.close();
      expect(await metricsText(app)).toContain('pollcast_live_connections_refused_total{cap="address"} 3');
    } finally {
      room.ws.close();
      room.sse.close();
    }
  });

  it('gives the place back however the connection ends', async () => {
    await start({ perAddress: 1, perInstance: 0 });
    // A WebSocket closed cleanly by its client.
    const first = await openWebSocket(base, 'default', from(ROOM));
    expect((await refusedWebSocket(base, 'default', from(ROOM))).status).toBe(429);
    first.close();
    // A WebSocket whose client vanished without a closing handshake.
    const second = await reopens(ROOM);
    second.socket.terminate();
    // An SSE stream whose client went away.
    const third = await reopens(ROOM);
    third.close();
    await vi.waitFor(async () => {
      const sse = await openEventStream(base, 'default', from(ROOM));
      expect(sse.response.status).toBe(200);
      await sse.inbox.next(isSnapshot);
      sse.close();
    }, 10_000);
    const last = await reopens(ROOM);
    expect((await refusedStream(ROOM)).status).toBe(429);
    last.close();
  });

  it('takes no place for a handshake that fails, nor for an unknown poll', async () => {
    await start({ perAddress: 1, perInstance: 0 });
    await expect(openWebSocket(base, 'ZZZZZZ', from(ROOM))).rejects.toThrow('HTTP 404');
    for (let i = 0; i < 3; i++) expect(await brokenUpgrade(base, from(ROOM))).toBe(400);
    const viewer = await reopens(ROOM);
    await viewer.inbox.next(isSnapshot);
    expect((await refusedWebSocket(base, 'default', from(ROOM))).status).toBe(429);
    viewer.close();
  });

  it('refuses everyone with 503 once the instance holds its cap, and serves again when a viewer leaves', async () => {
    const { app } = await start({ perAddress: 0, perInstance: 2 });
    const room = await openBoth(ROOM);
    try {
      const socket = await refusedWebSocket(base, 'default', from(ELSEWHERE));
      expect(socket.status).toBe(503);
      expect(JSON.parse(socket.body).error.code).toBe('server_busy');
      expect(Number(socket.headers['retry-after'])).toBeGreaterThan(0);
      expect((await refusedStream(ELSEWHERE)).code).toBe('server_busy');
      expect(await metricsText(app)).toContain('pollcast_live_connections_refused_total{cap="instance"} 2');
      room.ws.close();
      const other = await reopens(ELSEWHERE);
      other.close();
    } finally {
      room.ws.close();
      room.sse.close();
    }
  });
});

/**
 * A WebSocket handshake that gets past the poll lookup but not the upgrade itself (a key of the
 * wrong length): the status it gets.
 */
function brokenUpgrade(base: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}/api/polls/default/ws`, {
      headers: {
        ...headers,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'too-short',
      },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('upgrade', () => reject(new Error('upgraded')));
    request.on('error', reject);
    request.end();
  });
}
