import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/realtime/messages.js';
import { dialects, testRedisPrefix, testRedisUrl } from '../helpers.js';
import { openEventStream, openWebSocket } from '../live-clients.js';
import {
  expectConsistent,
  liveQuestion,
  processDatabase,
  type ServerProcess,
  startServer,
  voteLoad,
} from './server-process.js';

// WEB_CONCURRENCY=2: one port, two worker processes and their primary, as users run it.

/** The JSON log lines the processes wrote so far. */
function logLines(server: ServerProcess): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The pids of the workers that logged a line whose message matches. */
function workersThatLogged(server: ServerProcess, message: RegExp): Set<number> {
  return new Set(
    logLines(server)
      .filter((line) => typeof line.worker === 'number' && message.test(String(line.msg)))
      .map((line) => line.pid as number),
  );
}

/**
 * How many established connections to the port each process holds, read from Linux's /proc: the
 * socket inodes of the port's connections, and which of them each process has open.
 */
function connectionsHeld(port: number, pids: Iterable<number>): Map<number, number> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      if (localPort === port && fields[3] === '01' && fields[9]) inodes.add(fields[9]);
    }
  }
  const held = new Map<number, number>();
  for (const pid of pids) {
    const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }));
    held.set(pid, fds.filter((link) => inodes.has(/^socket:\[(\d+)\]$/.exec(link)?.[1] ?? '')).length);
  }
  return held;
}

/** A request on a connection of its own: the cluster hands each new connection to the next worker. */
function getOnNewConnection(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const startWorkers = (databaseUrl: string, env: Record<string, string> = {}) =>
  startServer({ DATABASE_URL: databaseUrl, WEB_CONCURRENCY: '2', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env });

type Client = Awaited<ReturnType<typeof openWebSocket>> | Awaited<ReturnType<typeof openEventStream>>;

/** Viewers of the default poll over both transports; new connections alternate between the workers. */
async function openViewers(url: string, each: number): Promise<Client[]> {
  const viewers: Client[] = [];
  for (let i = 0; i < each; i++) {
    viewers.push(await openWebSocket(url, 'default'));
    viewers.push(await openEventStream(url, 'default'));
  }
  return viewers;
}

const closedQuestion = (questionId: number) => (m: LiveMessage) =>
  m.type === 'question' && m.question?.id === questionId && m.question.status === 'closed';

// A primary and its workers, each compiling the server from source as it starts: under a whole
// suite on two cores that has taken over 30 s before the test's own work begins.
const CLUSTER_TEST_MS = 150_000;

describe.each(dialects)('two workers on one $name database', (dialect) => {
  it(
    'show the generated password once, share votes, viewers and sign-ins, and end every viewer on the stored counts',
    async () => {
      const db = await processDatabase(dialect);
      // No SESSION_SECRET: the workers must agree on the one generated into the data folder. No
      // ADMIN_PASSWORD: the one generated is shown once, in the one banner.
      const server = await startWorkers(db.url, { SESSION_SECRET: '', ADMIN_PASSWORD: '' });
      try {
        expect(server.output().match(/Pollcast is running/g)).toHaveLength(1);
        const passwords = [...server.output().matchAll(/First admin created: username "admin", password "(.+)"/g)];
        expect(passwords).toHaveLength(1);
        const password = passwords[0]?.[1] ?? '';
        const { token, questionId, optionIds } = await liveQuestion(server.url, password);
        const viewers = await openViewers(server.url, 6);
        // Each worker holds several of the 12 viewers' connections (the cluster deals new connections
        // out in turn; a keep-alive connection of the requests above may be among them).
        const workers = workersThatLogged(server, /^Server listening/);
        expect(workers.size).toBe(2);
        expect(Math.min(...connectionsHeld(server.port, workers).values())).toBeGreaterThanOrEqual(4);

        const load = voteLoad(server.url, questionId, optionIds);
        await load.until(300);
        await load.stop();
        // Two writers on one database at this load: every vote is taken, none is refused as busy.
        expect([...load.statuses.keys()]).toEqual([201]);

        // Closing the question is one request to one worker: the viewers of the other hear of it
        // only through the relay.
        const closed = await fetch(`${server.url}/api/admin/questions/${questionId}/close`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(closed.status).toBe(200);
        const state = await (await db.stored())(questionId);
        expectConsistent(state, load.acknowledged, expect);
        for (const viewer of viewers) {
          const message = await viewer.inbox.next(closedQuestion(questionId));
          expect(message.type === 'question' && message.question?.totalVotes).toBe(state.voters.size);
        }

        // A session cookie made by one worker is good on the other.
        const login = await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const pages = await Promise.all(
          Array.from({ length: 6 }, () => getOnNewConnection(`${server.url}/admin`, { cookie })),
        );
        expect(pages).toEqual([200, 200, 200, 200, 200, 200]);

        for (const viewer of viewers) viewer.close();
        // Each worker logs the requests it answered: both took votes and signed-in pages.
        expect(workersThatLogged(server, /^POST \/api\/polls\/default\/votes 201/).size).toBe(2);
        expect(workersThatLogged(server, /^GET \/admin 200/).size).toBe(2);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
        await db.drop();
      }
    },
    CLUSTER_TEST_MS,
  );

  it(
    'replace a worker killed with SIGKILL, and stop together on SIGTERM, keeping every acknowledged vote',
    async () => {
      const db = await processDatabase(dialect);
      const server = await startWorkers(db.url, { SHUTDOWN_GRACE_MS: '8000' });
      try {
        const { questionId, optionIds } = await liveQuestion(server.url);
        const workers = workersThatLogged(server, /^Server listening/);
        expect(workers.size).toBe(2);
        const [victim] = workers;

        const load = voteLoad(server.url, questionId, optionIds);
        await load.until(100);
        process.kill(victim as number, 'SIGKILL');
        await expect
          .poll(() => workersThatLogged(server, /^Server listening/).size, { timeout: 30_000, interval: 200 })
          .toBe(3);
        // The replacement serves: votes are taken after it started, and new viewers on both workers
        // see them.
        const acknowledgedAtReplacement = load.acknowledged.size;
        await load.until(acknowledgedAtReplacement + 100);
        const viewers = await openViewers(server.url, 2);
        const goingAway = viewers.map((viewer) =>
          'socket' in viewer ? viewer.closed.then(({ code }) => code) : viewer.reading.then(() => 'ended'),
        );

        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        await load.stop();
        expect(await Promise.all(goingAway)).toEqual([1001, 'ended', 1001, 'ended']);
        expect(load.statuses.get(500)).toBeUndefined();
        expect(server.output()).not.toMatch(/did not stop in time|could not stop in time/);

        const state = await (await db.stored())(questionId);
        expectConsistent(state, load.acknowledged, expect);
        expect(state.voters.size).toBeGreaterThan(acknowledgedAtReplacement);
      } finally {
        if (server.child.exitCode === null) server.child.kill('SIGKILL');
        await db.drop();
      }
    },
    CLUSTER_TEST_MS,
  );
});

describe.skipIf(!testRedisUrl)('two workers with REDIS_URL', () => {
  it(
    'exchange live messages through Redis, each worker subscribed there like any instance',
    async () => {
      const db = await processDatabase(dialects[0] as (typeof dialects)[number]);
      const prefix = testRedisPrefix();
      const redis = new Redis(testRedisUrl as string);
      const server = await startWorkers(db.url, { REDIS_URL: testRedisUrl as string, REDIS_PREFIX: prefix });
      try {
        const { token, questionId, optionIds } = await liveQuestion(server.url);
        const viewers = await openViewers(server.url, 3);
        // Both workers have viewers of the poll, so both subscribed to its channel in Redis.
        const subscribers = async () =>
          ((await redis.pubsub('NUMSUB', `${prefix}poll:default`)) as [string, number])[1];
        expect(await subscribers()).toBe(2);

        const load = voteLoad(server.url, questionId, optionIds, 4);
        await load.until(40);
        await load.stop();
        await fetch(`${server.url}/api/admin/questions/${questionId}/close`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        const state = await (await db.stored())(questionId);
        expectConsistent(state, load.acknowledged, expect);
        for (const viewer of viewers) {
          const message = await viewer.inbox.next(closedQuestion(questionId));
          expect(message.type === 'question' && message.question?.totalVotes).toBe(state.voters.size);
        }
        for (const viewer of viewers) viewer.close();
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
        await db.drop();
      }
    },
    CLUSTER_TEST_MS,
  );
});
