import { describe, expect, it } from 'vitest';
import { dialects } from '../helpers.js';
import { expectConsistent, liveQuestion, processDatabase, startServer, voteLoad } from './server-process.js';

describe.each(dialects)('kill -9 under load on $name', (dialect) => {
  it('keeps every acknowledged vote, and every count equals the stored votes', async () => {
    const db = await processDatabase(dialect);
    try {
      const env = { DATABASE_URL: db.url };
      const server = await startServer(env);
      const { questionId, optionIds } = await liveQuestion(server.url);
      const load = voteLoad(server.url, questionId, optionIds);
      await load.until(300);
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      await load.stop();
      expect(load.statuses.get(201)).toBe(load.acknowledged.size);

      // The server comes back on the same database and serves the same counts.
      const again = await startServer(env);
      try {
        const state = await (await db.stored())(questionId);
        expectConsistent(state, load.acknowledged, expect);
        const results = (await (await fetch(`${again.url}/api/polls/default/results`)).json()) as {
          question: { totalVotes: number };
        };
        expect(results.question.totalVotes).toBe(state.voters.size);
      } finally {
        again.child.kill('SIGTERM');
        await again.exited;
      }
    } finally {
      await db.drop();
    }
  });
});
