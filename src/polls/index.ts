import type { FastifyInstance } from 'fastify';
import { ViewerHub } from '../realtime/viewer-hub.js';
import adminPages from './admin-pages.js';
import liveRoutes from './live.js';
import { LivePublisher } from './live-publisher.js';
import pollPages from './pages.js';
import quickPollPages from './quick-poll-pages.js';
import pollRoutes from './routes.js';
import type { PollDeps } from './service.js';
import { VoteBatcher } from './vote-batcher.js';

/** The polls feature: its state (vote batches, live publishing) and every route that serves it. */
export interface PollsOptions {
  maxImageBytes: number;
  publicUrl: string | undefined;
}

export default async function polls(app: FastifyInstance, options: PollsOptions) {
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
  const hub = new ViewerHub(app.broadcaster);
  // Runs before the database closes: votes already accepted are written, the last counts
  // sent, and only then are the viewers told to go away.
  app.addHook('preClose', async () => {
    await votes.drain();
    live.close();
    hub.close();
  });

  await app.register(pollRoutes, { deps, ...options });
  await app.register(liveRoutes, { deps, hub });
  await app.register(pollPages, { deps, ...options });
  await app.register(quickPollPages, { deps });
  await app.register(adminPages, { deps, ...options });
}
