import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../src/realtime/messages.js';
import { startTcpProxy } from './faults/server-process.js';
import {
  ADMIN_PASSWORD,
  adminToken,
  buildTestInstances,
  createLiveQuestion,
  DEFAULT_RATE_LIMITS,
  dialects,
  type TestInstances,
  testRedisPrefix,
  testRedisUrl,
  voteAs,
  voterCookie,
} from './helpers.js';
import { AS_VOTER, openEventStream, openWebSocket } from './live-clients.js';

// Several instances share a database as they would in production: PostgreSQL when the run has one.
const dialect = dialects.at(-1) as (typeof dialects)[number];

/** Whether a live message shows the question with this many votes in all. */
const showsTotal = (total: number) => (message: LiveMessage) =>
  (message.type === 'results' && message.totalVotes === total) ||
  (message.type === 'snapshot' && message.question?.totalVotes === total);

const readiness = async (app: FastifyInstance) => {
  const response = await app.inject({ url: '/readyz' });
  return { status: response.statusCode, body: response.json() };
};

/** Asks until the app's /readyz answers the body expected, as a load balancer's probe keeps asking. */
async function readyzBecomes(app: FastifyInstance, body: object) {
  for (;;) {
    const { status, body: seen } = await readiness(app);
    expect(status).toBe(200);
    if (JSON.stringify(seen) === JSON.stringify(body)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!testRedisUrl)(`instances sharing a ${dialect.name} database and Redis`, () => {
  const redisUrl = testRedisUrl as string;
  let instances: TestInstances | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await instances?.close();
    instances = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** Two instances on one database and one Redis prefix; each reaches Redis at its own address. */
  async function twoInstances(env: Record<string, string> = {}, redisUrls = [redisUrl, redisUrl]) {
    instances = await buildTestInstances(
      dialect,
      { REDIS_PREFIX: testRedisPrefix(), ...env },
      redisUrls.map((url) => ({ REDIS_URL: url })),
    );
    const apps = instances.apps as [FastifyInstance, FastifyInstance];
    for (const app of apps) {
      await app.listen({ port: 0, host: '127.0.0.1' });
      await readyzBecomes(app, { status: 'ready' });
    }
    return apps;
  }
  const baseUrl = (app: FastifyInstance) => {
    const address = app.server.address();
    return typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  };

  type Client = { inbox: { next(test: (m: LiveMessage) => boolean): Promise<unknown> }; close(): void };

  /** Live clients, each past its first snapshot; closed after the test. */
  async function connected<T extends Client[]>(...opening: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
    const clients = (await Promise.all(opening)) as T;
    cleanups.push(async () => {
      for (const client of clients) client.close();
    });
    for (const client of clients) await client.inbox.next((m) => m.type === 'snapshot');
    return clients;
  }

  it('show a vote cast on one instance to viewers of the other, by WebSocket and by SSE', async () => {
    const [a, b] = await twoInstances();
    const question = await createLiveQuestion(a, await adminToken(a));
    const [socket] = await connected(openWebSocket(baseUrl(b), 'default'));
    const [stream] = await connected(openEventStream(baseUrl(b), 'default'));

    expect((await voteAs(a, 'voter-1', question.id, question.options[1]?.id)).statusCode).toBe(201);

    for (const { inbox } of [socket, stream] as const) {
      const seen = await inbox.next(showsTotal(1));
      expect(
        seen.type === 'results' &&
          'options' in seen &&
          seen.options.find((o) => o.id === question.options[1]?.id)?.votes,
      ).toBe(1);
    }
  });

  it('count the voters here on every instance, and drop those who leave', async () => {
    const [a, b] = await twoInstances();
    await createLiveQuestion(a, await adminToken(a));
    const joined = (count: number) => (m: LiveMessage) => m.type === 'audience' && m.joined === count;
    // Voting pages on B, before any screen is open on A.
    const [first, second] = await connected(
      openEventStream(baseUrl(b), 'default', { cookie: voterCookie('here-1') }, AS_VOTER),
      openEventStream(baseUrl(b), 'default', { cookie: voterCookie('here-2') }, AS_VOTER),
    );
    // A screen opened on A asks B at once, rather than waiting for B's next news (every 10 s).
    const [screen] = await connected(openWebSocket(baseUrl(a), 'default'));
    await screen.inbox.next(joined(2), 5_000);
    // A voter with a tab on each instance is counted on each.
    const [firstOnA] = await connected(
      openWebSocket(baseUrl(a), 'default', { cookie: voterCookie('here-1') }, AS_VOTER),
    );
    await screen.inbox.next(joined(3));
    first.close();
    await screen.inbox.next(joined(2));
    second.close();
    firstOnA.close();
    await screen.inbox.next(joined(0));
  });

  it('share rate limits: requests spread over instances count together', async () => {
    const [a, b] = await twoInstances({ ...DEFAULT_RATE_LIMITS, RATE_LIMIT_POLLS_PER_ADDRESS: '3' });
    const create = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/api/polls',
        payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
      });
    expect((await create(a)).statusCode).toBe(201);
    expect((await create(b)).statusCode).toBe(201);
    expect((await create(a)).statusCode).toBe(201);
    const refused = await create(b);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
  });

  it('share the budget of join codes that name no poll: guessing spread over instances spends one', async () => {
    const [a, b] = await twoInstances({ RATE_LIMIT_CODE_MISSES_PER_ADDRESS: '2' });
    expect((await a.inject({ url: '/api/polls/ZZZZZ2' })).statusCode).toBe(404);
    expect((await b.inject({ url: '/api/polls/ZZZZZ3' })).statusCode).toBe(404);
    const refused = await a.inject({ url: '/api/polls/ZZZZZ4' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toMatch(/unknown join codes/i);
  });

  it('share the sign-in throttle: wrong passwords spread over instances slow the next attempt on any', async () => {
    const [a, b] = await twoInstances();
    const signIn = (app: FastifyInstance, password: string) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } });
    // Five failures are free per account and address, then each must wait: counted apart, neither
    // instance would see more than five of these ten.
    const answers = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const app = attempt % 2 === 0 ? a : b;
      answers.push({ app, response: await signIn(app, attempt < 5 ? 'a-wrong-password' : ADMIN_PASSWORD) });
    }
    expect(answers.slice(0, 5).map(({ response }) => response.statusCode)).toEqual([401, 401, 401, 401, 401]);
    for (const app of [a, b]) {
      const held = answers.slice(5).find((answer) => answer.app === app && answer.response.statusCode === 429);
      expect(held?.response.json().error.message).toMatch(/wrong passwords/i);
    }
  });

  it.each([
    { lost: 'both instances', cutB: true, fault: 'cut' },
    { lost: 'the instance voted on', cutB: false, fault: 'cut' },
    // Its connections stay open and go quiet: only the instance's own pings can tell.
    { lost: 'the instance voted on, silently,', cutB: false, fault: 'stall' },
  ] as const)(
    'keep counting and serving their own viewers while $lost lose Redis, and resync every viewer when it returns',
    async ({ cutB, fault }) => {
      const { hostname, port } = new URL(redisUrl);
      const redis = { host: hostname, port: Number(port || 6379) };
      const proxies = [await startTcpProxy(redis), await startTcpProxy(redis)];
      cleanups.push(async () => {
        for (const proxy of proxies) await proxy.close();
      });
      const [a, b] = await twoInstances(
        {},
        proxies.map((proxy) => `redis://127.0.0.1:${proxy.port}`),
      );
      const question = await createLiveQuestion(a, await adminToken(a));
      const [onA, onB] = await connected(openWebSocket(baseUrl(a), 'default'), openWebSocket(baseUrl(b), 'default'));

      proxies[0]?.[fault]();
      if (cutB) proxies[1]?.[fault]();
      await readyzBecomes(a, { status: 'degraded', redis: 'unavailable' });
      if (cutB) await readyzBecomes(b, { status: 'degraded', redis: 'unavailable' });

      const vote = await voteAs(a, 'voter-1', question.id, question.options[0]?.id);
      expect(vote.statusCode).toBe(201);
      expect(vote.json().question.totalVotes).toBe(1);
      await onA.inbox.next(showsTotal(1));
      const stored = await b.inject({ url: '/api/polls/default/results' });
      expect(stored.json().question.totalVotes).toBe(1);

      proxies[0]?.restore();
      if (cutB) proxies[1]?.restore();
      await readyzBecomes(a, { status: 'ready' });
      // The viewer on B missed the vote while it happened; it is sent the stored counts, on the same connection.
      await onB.inbox.next(showsTotal(1));
      expect(onB.socket.readyState).toBe(onB.socket.OPEN);
    },
  );
});
