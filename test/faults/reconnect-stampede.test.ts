import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { followPoll } from '../../src/client/live-client.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/realtime/messages.js';
import { dialects } from '../helpers.js';
import { liveQuestion, processDatabase, type ServerProcess, startServer, voteLoad } from './server-process.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const VIEWERS = 2000;

/** Each WebSocket opened, by viewer: the connection attempts of the page script. */
const attempts: { viewer: number | undefined; at: number }[] = [];
/**
 * Each reconnection the page script planned: when it asked to try again. Where one test process
 * plays thousands of pages, its busy event loop fires due timers in bursts a real browser
 * would not, so the spread is read from what the script asked for.
 */
const planned: { viewer: number | undefined; at: number }[] = [];
/** Whose page a socket or timer belongs to: each viewer's script runs in its own async context. */
const viewerOf = new AsyncLocalStorage<number>();
const sockets = new Set<WebSocket>();
const timers = new Set<NodeJS.Timeout>();
let pageOpen = true;

/**
 * The browser's side for the page script (`followPoll`), run here as it is, thousands of times:
 * `ws` stands in for the browser's WebSocket. There is no EventSource: a viewer that gave up on
 * WebSockets would fail loudly. Timers and sockets are tracked, to close the "pages" at the end.
 */
function provideBrowserGlobals(host: string) {
  class CountedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      attempts.push({ viewer: viewerOf.getStore(), at: Date.now() });
      sockets.add(this);
      // In a browser a failed connection is an event the page may ignore, never a thrown error.
      this.on('error', () => {});
      this.on('close', () => sockets.delete(this));
    }
  }
  const window = {
    WebSocket: CountedWebSocket,
    setTimeout(run: () => void, ms: number) {
      // The other timer is the silence watchdog, two heartbeats long.
      if (ms < HEARTBEAT_INTERVAL_MS) planned.push({ viewer: viewerOf.getStore(), at: Date.now() + ms });
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (pageOpen) run();
      }, ms);
      timers.add(timer);
      return timer;
    },
    clearTimeout(timer: NodeJS.Timeout) {
      clearTimeout(timer);
      timers.delete(timer);
    },
  };
  Object.assign(globalThis, { window, location: { protocol: 'http:', host }, WebSocket: CountedWebSocket });
}

function closePages() {
  pageOpen = false;
  for (const timer of timers) clearTimeout(timer);
  for (const socket of sockets) socket.terminate();
}

function countBy(list: { viewer: number | undefined }[]): Map<number | undefined, number> {
  const counts = new Map<number | undefined, number>();
  for (const { viewer } of list) counts.set(viewer, (counts.get(viewer) ?? 0) + 1);
  return counts;
}

/**
 * The most connections a viewer may open in `ms` after losing its own, the one that succeeds
 * included: the page script waits 500 ms, doubling up to 30 s, each wait times 0.5 to 1.5.
 */
function attemptsAllowedIn(ms: number): number {
  let failed = 0;
  let at = 250;
  while (at <= ms) {
    failed++;
    at += 0.5 * Math.min(30_000, 500 * 2 ** failed);
  }
  return failed + 1;
}

/** The largest share of `times` that falls in any window of `windowMs`. */
function peakShare(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak / sorted.length;
}

describe('a restart with thousands of viewers', () => {
  let server: ServerProcess;
  let db: Awaited<ReturnType<typeof processDatabase>>;
  const totals: number[] = Array(VIEWERS).fill(-1);

  beforeAll(async () => {
    db = await processDatabase(sqlite);
    server = await startServer({ DATABASE_URL: db.url, SHUTDOWN_DELAY_MS: '0' });
    provideBrowserGlobals(`127.0.0.1:${server.port}`);
  });
  afterAll(async () => {
    closePages();
    server?.child.kill('SIGKILL');
    await db?.drop();
  });

  const allSee = async (total: number) => {
    for (let i = 0; i < 600 && totals.some((seen) => seen !== total); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(totals.filter((seen) => seen !== total)).toEqual([]);
  };

  it('spreads the reconnections out, and every viewer ends on the right counts', async () => {
    const { questionId, optionIds } = await liveQuestion(server.url);
    for (let viewer = 0; viewer < VIEWERS; viewer++) {
      viewerOf.run(viewer, () =>
        followPoll('default', {
          question: (question) => {
            totals[viewer] = question?.totalVotes ?? -1;
          },
          results: (message) => {
            totals[viewer] = message.totalVotes;
          },
        }),
      );
    }
    const before = voteLoad(server.url, questionId, optionIds, 4);
    await before.until(25);
    await before.stop();
    await allSee(before.acknowledged.size);

    attempts.length = 0;
    planned.length = 0;
    const stopped = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = await startServer({ DATABASE_URL: db.url }, { port: server.port });
    const downtime = Date.now() - stopped;
    const after = voteLoad(server.url, questionId, optionIds, 4);
    await after.until(25);
    await after.stop();
    await allSee(before.acknowledged.size + after.acknowledged.size);

    // Every viewer came back over WebSocket, trying no more often than its backoff allows while the
    // server was away (a restart takes longer on a busy machine, so the bound follows the downtime).
    const attemptsOf = countBy(attempts);
    expect(attemptsOf.size).toBe(VIEWERS);
    expect(attemptsOf.has(undefined)).toBe(false);
    expect(Math.max(...attemptsOf.values())).toBeLessThanOrEqual(attemptsAllowedIn(downtime));
    // Jitter: the first reconnections after the stop are spread, not asked for at one instant.
    // Spread evenly over their backoff window, a tenth of a second holds about a fifth of them.
    const first = new Map<number | undefined, number>();
    for (const { viewer, at } of planned) if (!first.has(viewer)) first.set(viewer, at);
    expect(first.size).toBe(VIEWERS);
    expect(peakShare([...first.values()], 100)).toBeLessThan(0.35);
    expect(
      peakShare(
        planned.map((plan) => plan.at - stopped),
        100,
      ),
    ).toBeLessThan(0.35);
  }, 120_000);
});
