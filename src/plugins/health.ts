import fp from 'fastify-plugin';
import { databaseAnswers } from '../db/ping.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** From now on /readyz fails, so that load balancers stop sending traffic before the close. */
    stopAcceptingTraffic(): void;
  }
}

// A database that does not answer within this is as good as down for a voter waiting on a phone.
const READY_CHECK_TIMEOUT_MS = 2000;

/**
 * `GET /healthz`: the process is alive. `GET /readyz`: it can serve votes now, saying so when it
 * does without Redis.
 */
export default fp(
  async (app) => {
    let stopping = false;
    app.decorate('stopAcceptingTraffic', () => {
      stopping = true;
    });

    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

    app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
      if (stopping) return reply.status(503).send({ status: 'stopping' });
      if (!(await databaseAnswers(app.db, READY_CHECK_TIMEOUT_MS))) {
        return reply.status(503).send({ status: 'database_unavailable' });
      }
      // Still 200: Redis is shared, so a 503 here would take every instance out of the balancer at once,
      // while each can go on taking votes and serving its own viewers.
      if (app.redis && !app.redis.available()) return { status: 'degraded', redis: 'unavailable' };
      return { status: 'ready' };
    });
  },
  { name: 'health', dependencies: ['db', 'redis'] },
);
