import type { FastifyInstance } from 'fastify';
import type { LiveConnectionCaps } from '../config.js';
import { LiveConnections } from '../realtime/live-connections.js';
import { AudiencePresence } from '../realtime/presence.js';
import { ViewerHub } from '../realtime/viewer-hub.js';
import adminPages from './admin-pages.js';
import liveRoutes, { audienceFrame } from './live.js';
import { LivePublisher } from './live-publisher.js';
import pollPages from './pages.js';
import presenterPages from './presenter-pages.js';
import { QaPublisher } from './qa-live.js';
import { QuestionClock } from './question-clock.js';
import quickPollPages from './quick-poll-pages.js';
import pollRoutes from './routes.js';
import type { PollDeps } from './service.js';
import { StandingsCache } from './standings.js';
import { closeDueQuestions } from './timers.js';
import { VoteBatcher } from './vote-batcher.js';

/** The polls feature: its state (vote batches, live publishing) and every route that serves it. */
export interface PollsOptions {
  maxImageBytes: number;
  /** The languages local OCR reads, which the upload form offers. */
  ocrLanguages: readonly string[];
  publicUrl: string | undefined;
  liveConnections: LiveConnectionCaps;
}

// During an outage every batch fails: one log line per interval says so, with how many votes.
const FAILURE_LOG_INTERVAL_MS = 10_000;

function failureLog(log: (error: unknown, votes: number) => void) {
  let lastLoggedAt = 0;
  let unlogged = 0;
  return (error: unknown, votes: number) => {
    unlogged += votes;
    if (Date.now() - lastLoggedAt < FAILURE_LOG_INTERVAL_MS) return;
    lastLoggedAt = Date.now();
    log(error, unlogged);
    unlogged = 0;
  };
}

export default async function polls(app: FastifyInstance, { liveConnections, ...options }: PollsOptions) {
  const live = new LivePublisher(app.broadcaster, {
    onError: (error) => app.log.error({ err: error }, 'a live message could not be published'),
    onResultsSent: (latencyMs) => app.metrics.broadcastLatency(latencyMs / 1000),
  });
  const votes = new VoteBatcher(app.db, {
    onCommitted: (questions) => {
      for (const question of questions) live.results(question);
    },
    onFailed: failureLog((error, votes) => app.log.error({ err: error, votes }, 'vote batches failed')),
    onSettled: (accepted, refused) => {
      if (accepted > 0) app.metrics.votesAccepted(accepted);
      for (const [code, count] of refused) app.metrics.voteRejected(code, count);
    },
  });
  const clock = new QuestionClock(
    () => closeDueQuestions(deps),
    (error) => app.log.error({ err: error }, 'questions whose countdown ended could not be closed'),
  );
  const hub = new ViewerHub(app.broadcaster);
  const audience = new AudiencePresence(app.broadcaster, (pollCode, joined) =>
    hub.tell(pollCode, audienceFrame(pollCode, joined)),
  );
  const qa = new QaPublisher(
    app.db,
    (message) => live.qa(message),
    (error) => app.log.error({ err: error }, 'a Q&A change could not be published'),
  );
  const deps: PollDeps = { db: app.db, live, votes, clock, audience, standings: new StandingsCache(app.db), qa };
  // Questions whose countdown ended while no instance was running close as this one starts.
  app.addHook('onReady', () => clock.start());
  // Runs before the database closes: votes already accepted are written, the last counts
  // sent, and only then are the viewers told to go away.
  app.addHook('preClose', async () => {
    await clock.close();
    audience.close();
    await votes.drain();
    await qa.flush();
    live.close();
    hub.close();
  });
  // Requests already in flight when the server stopped listening may still have queued votes.
  app.addHook('onClose', () => votes.drain());

  await app.register(pollRoutes, { deps, ...options });
  await app.register(liveRoutes, { deps, hub, connections: new LiveConnections(liveConnections) });
  await app.register(pollPages, { deps, ...options });
  await app.register(presenterPages, { deps, ...options });
  await app.register(quickPollPages, { deps });
  await app.register(adminPages, { deps, ...options });
}
