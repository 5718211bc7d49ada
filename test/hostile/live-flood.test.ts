import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  from,
  metricsText,
  type TestApp,
  voteAs,
} from '../helpers.js';
import { openEventStream, openWebSocket, refusedWebSocket } from '../live-clients.js';
import { routesOf } from './routes.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const FLOODER = '198.51.100.66';

type Opened = { close(): void };
type Attempt = { opened: Opened } | { refused: number };

describe('a flood of live connections', () => {
  let t: TestApp | undefined;
  let base: string;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const start = async (env: Record<string, string>) => {
    t = await buildTestApp(sqlite, { TRUST_PROXY: 'true', ...env });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    return t;
  };

  /** One connection attempt, WebSocket or SSE: open (and its snapshot received), or the refusal's status. */
  const attempt = async (kind: 'websocket' | 'sse', address: string, abrupt: boolean): Promise<Attempt> => {
    if (kind === 'sse') {
      const sse = await openEventStream(base, 'default', from(address));
      if (sse.response.status !== 200) return { refused: sse.response.status };
      await sse.inbox.next((m) => m.type === 'snapshot');
      return { opened: { close: sse.close } };
    }
    try {
      const ws = await openWebSocket(base, 'default', from(address));
      await ws.inbox.next((m) => m.type === 'snapshot');
      // Some vanish without a closing handshake.
      return { opened: { close: () => (abrupt ? ws.socket.terminate() : ws.close()) } };
    } catch (error) {
      return { refused: Number(/HTTP (\d+)/.exec(String(error))?.[1]) };
    }
  };

  const flood = async (count: number, addressOf: (i: number) => string) => {
    const attempts = await Promise.all(
      Array.from({ length: count }, (_, i) => attempt(i % 2 ? 'sse' : 'websocket', addressOf(i), i % 4 === 0)),
    );
    const opened = attempts.flatMap((a) => ('opened' in a ? [a.opened] : []));
    const refused = attempts.flatMap((a) => ('refused' in a ? [a.refused] : []));
    return { opened, refused };
  };

  const liveCount = async () => {
    const text = await metricsText(t?.app as TestApp['app']);
    return ['websocket', 'sse']
      .map((transport) =>
        Number(new RegExp(`pollcast_live_connections\\{transport="${transport}"\\} (\\d+)`).exec(text)?.[1]),
      )
      .reduce((sum, n) => sum + n, 0);
  };

  it('gives one address its cap and 429 for the rest, and leaves nothing behind once they close', async () => {
    await start({ LIVE_CONNECTIONS_PER_ADDRESS: '25' });
    const first = await flood(100, () => FLOODER);
    expect(first.opened).toHaveLength(25);
    expect(first.refused).toEqual(Array(75).fill(429));
    // Someone else is served meanwhile.
    const bystander = await openWebSocket(base, 'default', from('203.0.113.9'));
    await bystander.inbox.next((m) => m.type === 'snapshot');
    expect(await liveCount()).toBe(26);

    for (const connection of first.opened) connection.close();
    await expect.poll(liveCount).toBe(1);
    // Every place came back: the same flood gets the same share again.
    const second = await flood(100, () => FLOODER);
    expect(second.opened).toHaveLength(25);
    for (const connection of second.opened) connection.close();
    bystander.close();
    await expect.poll(liveCount).toBe(0);
  });

  it('stops a flood from many addresses at the instance cap with 503, and votes go on', async () => {
    await start({ LIVE_CONNECTIONS_PER_INSTANCE: '30' });
    const app = t?.app as TestApp['app'];
    const question = await createLiveQuestion(app, await adminToken(app));
    const { opened, refused } = await flood(80, (i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    expect(opened).toHaveLength(30);
    expect(refused).toEqual(Array(50).fill(503));
    expect((await voteAs(app, 'during-flood', question.id, question.options[0]?.id)).statusCode).toBe(201);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    for (const connection of opened) connection.close();
    await expect.poll(liveCount).toBe(0);
  });

  it('lets no route open a live connection for an address at its cap', async () => {
    const { app } = await start({ LIVE_CONNECTIONS_PER_ADDRESS: '1' });
    const question = await createLiveQuestion(app, await adminToken(app));
    const held = await openWebSocket(base, 'default', from(FLOODER));
    await held.inbox.next((m) => m.type === 'snapshot');
    const routes = routesOf(app).filter((route) => route.methods.includes('GET') && !route.path.includes('*'));
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const path = route.path.replace(':code', 'default').replace(':id', String(question.id));
      // A stream: only the live routes answer with one, and not past the cap.
      const abort = new AbortController();
      const response = await fetch(`${base}${path}`, {
        headers: { ...from(FLOODER), accept: 'text/event-stream' },
        signal: abort.signal,
        redirect: 'manual',
      });
      expect(response.headers.get('content-type') ?? '', path).not.toContain('text/event-stream');
      abort.abort();
      // A WebSocket: refused, or closed by the server at once without a message.
      expect(await upgradeOutcome(`${base.replace(/^http/, 'ws')}${path}`, from(FLOODER)), path).not.toBe('live');
    }
    expect((await refusedWebSocket(base, 'default', from(FLOODER))).status).toBe(429);
    held.close();
  });
});

/** What a WebSocket handshake to a URL comes to: refused, opened and closed by the server, or live. */
function upgradeOutcome(url: string, headers: Record<string, string>): Promise<'refused' | 'closed' | 'live'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', () => resolve('refused'));
    socket.once('error', () => resolve('refused'));
    socket.once('message', () => {
      socket.terminate();
      resolve('live');
    });
    socket.once('close', () => resolve('closed'));
  });
}
