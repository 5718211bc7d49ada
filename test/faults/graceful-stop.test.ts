import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dialects } from '../helpers.js';
import { expectConsistent, liveQuestion, processDatabase, startServer, voteLoad } from './server-process.js';

describe.each(dialects)('SIGTERM under load on $name', (dialect) => {
  it('fails readiness first, finishes the votes in flight, says going-away to viewers, exits in time', async () => {
    const db = await processDatabase(dialect);
    try {
      const grace = 8000;
      const server = await startServer({
        DATABASE_URL: db.url,
        // Long enough for the checks below to see readiness fail while the server still answers.
        SHUTDOWN_DELAY_MS: '2000',
        SHUTDOWN_GRACE_MS: String(grace),
      });
      const { questionId, optionIds } = await liveQuestion(server.url);
      const viewer = new WebSocket(`${server.url.replace('http', 'ws')}/api/polls/default/ws`);
      const closed = new Promise<number>((resolve) => viewer.on('close', (code) => resolve(code)));
      await new Promise((resolve) => viewer.on('open', resolve));

      const load = voteLoad(server.url, questionId, optionIds);
      await load.until(200);
      server.child.kill('SIGTERM');

      // Readiness fails while the server still answers: a load balancer stops sending voters first.
      // Asked until it fails, however long the signal takes to arrive, or until the server is gone.
      let readiness: { status: number; body: string } | undefined;
      for (let answering = true; answering && !readiness; ) {
        const response = await fetch(`${server.url}/readyz`).catch(() => undefined);
        answering = response !== undefined;
        if (response?.status === 503) readiness = { status: 503, body: await response.text() };
      }
      expect(readiness).toEqual({ status: 503, body: '{"status":"stopping"}' });
      const acknowledgedAtReadinessFailure = load.acknowledged.size;

      // Exit code 0: the stop finished before the grace period's timer, which exits with 1.
      expect(await server.exited).toBe(0);
      await load.stop();
      expect(await closed).toBe(1001);
      // Votes went on being served during the delay, and none was answered with a server error.
      expect(load.acknowledged.size).toBeGreaterThan(acknowledgedAtReadinessFailure);
      expect(load.statuses.get(500)).toBeUndefined();
      expect(server.output()).not.toMatch(/could not stop in time/);

      const state = await (await db.stored())(questionId);
      expectConsistent(state, load.acknowledged, expect);
    } finally {
      await db.drop();
    }
  });
});
