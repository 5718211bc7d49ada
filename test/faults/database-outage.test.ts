import { describe, expect, it } from 'vitest';
import { dialects } from '../helpers.js';
import {
  expectConsistent,
  liveQuestion,
  processDatabase,
  startServer,
  startTcpProxy,
  voteLoad,
} from './server-process.js';

// SQLite is a file, never cut off; the database servers are, through a proxy.
const servers = dialects.filter((d) => d.name !== 'sqlite');

async function readiness(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`)).status;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(servers)('$name cut off mid-load', (dialect) => {
  it('answers 503, fails readiness, and resumes by itself when the database returns', async () => {
    const db = await processDatabase(dialect);
    const target = new URL(db.url);
    const defaultPort = dialect.name === 'mysql' ? 3306 : 5432;
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || defaultPort) });
    const throughProxy = new URL(db.url);
    throughProxy.port = String(proxy.port);
    const server = await startServer({ DATABASE_URL: throughProxy.toString() });
    try {
      const { questionId, optionIds } = await liveQuestion(server.url);
      expect(await readiness(server.url)).toBe(200);
      const load = voteLoad(server.url, questionId, optionIds, 8);
      await load.until(100);

      proxy.cut();
      await eventually(async () => (await readiness(server.url)) === 503);
      const during = voteLoad(server.url, questionId, optionIds, 2);
      await eventually(async () => (during.statuses.get(503) ?? 0) >= 5);
      await during.stop();
      expect(during.acknowledged.size).toBe(0);
      const refused = await fetch(`${server.url}/api/polls/default/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'pc_voter=while-the-database-is-down' },
        body: JSON.stringify({ questionId, optionId: optionIds[0] }),
      });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
      expect(refused.headers.get('retry-after')).not.toBeNull();

      proxy.restore();
      await eventually(async () => (await readiness(server.url)) === 200);
      const before = load.acknowledged.size;
      await eventually(async () => load.acknowledged.size > before + 50);
      await load.stop();
      expect(server.child.exitCode).toBeNull();
      expect(load.statuses.get(500)).toBeUndefined();

      const state = await (await db.stored())(questionId);
      expectConsistent(state, [...load.acknowledged, ...during.acknowledged], expect);
      expect(state.voters.has('while-the-database-is-down')).toBe(false);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await proxy.close();
      await db.drop();
    }
  });
});
