import type { FastifyInstance } from 'fastify';
import adminPages from './admin-pages.js';
import liveRoutes from './live.js';
import { LivePublisher } from './live-publisher.js';
import pollPages from './pages.js';
import pollRoutes from './routes.js';
import type { PollDeps } from './service.js';
import { VoteBatcher } from './vote-batcher.js';

/** The polls feature: its state (vote batches, live publishing) and every route that serves it. */
export default async function polls(app: FastifyInstance, { maxImageBytes }: { maxImageBytes: number }) {
  const live = new LivePublisher(app.broadcaster, (error) =>
    app.log.error({ err: error }, 'a live message could not be published'),
  );
  const votes = new VoteBatcher(app.db, {
    onCommitted: (questions) => {
      for (const question of questions) live.results(question);
    },
    onFailed: (error, votes) => app.log.error({ err: error, votes }, 'a vote batch failed'),
  });
  const deps: PollDeps = { db: app.db, live, votes };
  // Runs before the database closes: votes already accepted are written, then the last counts sent.
  app.addHook('preClose', async () => {
    await votes.drain();
    live.close();
  });

  await app.register(pollRoutes, { deps, maxImageBytes });
  await app.register(liveRoutes, { deps });
  await app.register(pollPages, { deps });
  await app.register(adminPages, { deps, maxImageBytes });
}
