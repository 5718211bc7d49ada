import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, dialects, testRedisUrl } from '../helpers.js';
import { followResults } from '../live-clients.js';
import {
  expectConsistent,
  liveQuestion,
  metric,
  processDatabase,
  redisNamespace,
  type ServerProcess,
  startBalancer,
  startServer,
  startTcpProxy,
  voteLoad,
  workDir,
} from './server-process.js';

const postgres = dialects.find((d) => d.name === 'postgres');
const redisUrl = testRedisUrl;
const INSTANCES = 3;
const VIEWERS_PER_TRANSPORT = 12;
const ACCEPTED = 'pollcast_votes_total{outcome="accepted"}';
const VOTES_PER_VOTER = 10;
// Four server starts and several loads: longer than one server's test on two busy cores.
const TIMEOUT_MS = 180_000;

/**
 * Three server processes on one PostgreSQL database and one Redis, as a deployment runs them:
 * each in a folder of its own and without SESSION_SECRET, so that whatever they share they
 * share through the database or Redis. Redis is reached through a proxy the test can cut, the
 * servers through a round-robin balancer.
 */
async function startDeployment(databaseUrl: string, redis: string) {
  const namespace = redisNamespace(redis);
  const target = new URL(redis);
  const redisProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  const throughProxy = new URL(redis);
  throughProxy.hostname = '127.0.0.1';
  throughProxy.port = String(redisProxy.port);
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: throughProxy.toString(),
    REDIS_PREFIX: namespace.prefix,
    SESSION_SECRET: '',
    RATE_LIMIT_VOTES_PER_VOTER: String(VOTES_PER_VOTER),
    SHUTDOWN_DELAY_MS: '0',
  };
  const dirs = Array.from({ length: INSTANCES }, workDir);
  const instances: ServerProcess[] = [];
  // One after the other: three starts at once can outlast the start timeout on two busy cores.
  for (const dir of dirs) instances.push(await startServer(env, { workDir: dir.path }));
  const balancer = await startBalancer(instances.map((instance) => instance.port));
  return {
    instances,
    balancer,
    redisProxy,
    /** Starts instance `i` again, on its port and in its folder. */
    async restart(i: number) {
      const { port } = instances[i] as ServerProcess;
      instances[i] = await startServer(env, { port, workDir: dirs[i]?.path });
    },
    async stop() {
      await balancer.close();
      await Promise.all(
        instances.map((instance) => {
          if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGTERM');
          return instance.exited;
        }),
      );
      await redisProxy.close();
      await namespace.drop();
      for (const dir of dirs) dir.remove();
    },
  };
}

/** Screens on both transports, opened through the balancer, so that each instance serves some. */
function openScreens(url: string) {
  return Array.from({ length: VIEWERS_PER_TRANSPORT }, () => [
    followResults(url, 'default', 'websocket'),
    followResults(url, 'default', 'sse'),
  ]).flat();
}

/** The admin's session cookie, from a sign-in through the balancer. */
async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pc_session='));
  return cookie?.split(';')[0] ?? '';
}

/** Whether each instance takes the session cookie: they sign with one secret, found in the database. */
async function signedInOn(instances: ServerProcess[], cookie: string): Promise<number[]> {
  return Promise.all(
    instances.map(async ({ url }) => (await fetch(`${url}/api/admin/polls`, { headers: { cookie } })).status),
  );
}

function vote(url: string, voter: string, questionId: number, optionId: number | undefined) {
  return fetch(`${url}/api/polls/default/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `pc_voter=${voter}` },
    body: JSON.stringify({ questionId, optionId }),
  });
}

async function readiness(url: string) {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: await response.json() };
}

const storedCounts = (state: { options: { id: number; stored: number }[] }) =>
  Object.fromEntries(state.options.map((option) => [option.id, option.stored]));

describe.skipIf(!postgres || !redisUrl)('three instances behind a balancer', { timeout: TIMEOUT_MS }, () => {
  it('loses no acknowledged vote and every screen ends on the stored counts when an instance is killed -9 and comes back', async () => {
    if (!postgres || !redisUrl) return;
    const db = await processDatabase(postgres);
    const deployment = await startDeployment(db.url, redisUrl);
    const { instances, balancer } = deployment;
    const screens = openScreens(balancer.url);
    try {
      const { questionId, optionIds } = await liveQuestion(balancer.url);
      const session = await signIn(balancer.url);
      await expect.poll(() => screens.filter((screen) => !screen.shown(questionId)).length).toBe(0);
      for (const { url } of instances) {
        await expect.poll(() => metric(url, 'pollcast_live_connections{transport="websocket"}')).toBeGreaterThan(0);
        await expect.poll(() => metric(url, 'pollcast_live_connections{transport="sse"}')).toBeGreaterThan(0);
      }

      const before = voteLoad(balancer.url, questionId, optionIds, 8);
      await before.until(100);
      for (const { url } of instances) expect(await metric(url, ACCEPTED)).toBeGreaterThan(0);
      const victim = instances[1] as ServerProcess;
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');
      // The two others go on taking votes, and the screens that were on the killed one come back on them.
      await before.until(before.acknowledged.size + 100);
      await deployment.restart(1);
      await before.stop();

      // Screens on the restarted instance, and new voters through the balancer, some of them on it.
      const onRestarted = [
        followResults((instances[1] as ServerProcess).url, 'default', 'websocket'),
        followResults((instances[1] as ServerProcess).url, 'default', 'sse'),
      ];
      screens.push(...onRestarted);
      await expect.poll(() => onRestarted.filter((screen) => !screen.shown(questionId)).length).toBe(0);
      const after = voteLoad(balancer.url, questionId, optionIds, 8);
      await after.until(100);
      await after.stop();
      expect(await metric((instances[1] as ServerProcess).url, ACCEPTED)).toBeGreaterThan(0);

      expect(before.statuses.get(201)).toBe(before.acknowledged.size);
      expect(before.statuses.get(500)).toBeUndefined();
      expect(Object.fromEntries(after.statuses)).toEqual({ 201: after.acknowledged.size });
      const state = await (await db.stored())(questionId);
      expectConsistent(state, [...before.acknowledged, ...after.acknowledged], expect);
      expect(screens.filter((screen) => screen.connections() > 1).length).toBeGreaterThan(0);
      for (const screen of screens) await expect.poll(() => screen.shown(questionId)).toEqual(storedCounts(state));
      // A sign-in made before the kill holds on every instance, the restarted one included.
      expect(await signedInOn(instances, session)).toEqual(instances.map(() => 200));
      // One voter's requests, wherever they land, count against one limit.
      const tries: number[] = [];
      for (let i = 0; i <= VOTES_PER_VOTER; i++) {
        const { url } = instances[i % INSTANCES] as ServerProcess;
        tries.push((await vote(url, 'one-voter-on-every-instance', questionId, optionIds[0])).status);
      }
      expect(tries).toEqual([201, ...Array(VOTES_PER_VOTER - 1).fill(409), 429]);
    } finally {
      await Promise.all(screens.map((screen) => screen.close()));
      await deployment.stop();
      await db.drop();
    }
  });

  it('takes votes while Redis is cut off, says it is degraded, and resyncs every screen when Redis returns', async () => {
    if (!postgres || !redisUrl) return;
    const db = await processDatabase(postgres);
    const deployment = await startDeployment(db.url, redisUrl);
    const { instances, balancer, redisProxy } = deployment;
    const first = instances[0] as ServerProcess;
    const screens = openScreens(balancer.url);
    const onFirst = followResults(first.url, 'default', 'websocket');
    screens.push(onFirst);
    try {
      const { questionId, optionIds } = await liveQuestion(balancer.url);
      const session = await signIn(balancer.url);
      await expect.poll(() => screens.filter((screen) => !screen.shown(questionId)).length).toBe(0);
      for (const { url } of instances) expect(await readiness(url)).toEqual({ status: 200, body: { status: 'ready' } });

      const load = voteLoad(balancer.url, questionId, optionIds, 8);
      await load.until(100);
      redisProxy.cut();
      // Still ready (a 503 would take every instance out of the balancer at once), but saying why it is degraded.
      for (const { url } of instances) {
        await expect
          .poll(() => readiness(url))
          .toEqual({ status: 200, body: { status: 'degraded', redis: 'unavailable' } });
      }
      await load.until(load.acknowledged.size + 100);
      await load.stop();
      // The last vote while Redis is away, on one instance: only a resync brings it to the others' screens.
      expect((await vote(first.url, 'while-redis-is-away', questionId, optionIds[0])).status).toBe(201);
      const during = await (await db.stored())(questionId);
      // An instance without Redis still serves its own screens.
      await expect.poll(() => onFirst.shown(questionId)).toEqual(storedCounts(during));

      redisProxy.restore();
      for (const { url } of instances) {
        await expect.poll(() => readiness(url)).toEqual({ status: 200, body: { status: 'ready' } });
      }
      // Voters noticed nothing: every vote, before and during the cut, was taken.
      expect(Object.fromEntries(load.statuses)).toEqual({ 201: load.acknowledged.size });
      expectConsistent(during, [...load.acknowledged, 'while-redis-is-away'], expect);
      for (const screen of screens) await expect.poll(() => screen.shown(questionId)).toEqual(storedCounts(during));

      // With Redis back, votes on each instance reach every screen again.
      for (const { url } of instances) {
        const more = voteLoad(url, questionId, optionIds, 2);
        await more.until(10);
        await more.stop();
      }
      const final = await (await db.stored())(questionId);
      expect(final.voters.size).toBeGreaterThan(during.voters.size);
      for (const screen of screens) await expect.poll(() => screen.shown(questionId)).toEqual(storedCounts(final));
      expect(await signedInOn(instances, session)).toEqual(instances.map(() => 200));
    } finally {
      await Promise.all(screens.map((screen) => screen.close()));
      await deployment.stop();
      await db.drop();
    }
  });
});
