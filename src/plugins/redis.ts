import fp from 'fastify-plugin';
import type { RedisTarget } from '../config.js';
import { createRedisLink, type RedisLink } from '../redis-link.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The link to Redis when REDIS_URL is set: live messages and limits shared between instances. */
    redis: RedisLink | null;
  }
}

/**
 * Connects to Redis when one is configured. Starting does not wait for it: an instance whose Redis
 * is down serves its own viewers and counts its own limits, and joins the others when Redis answers.
 */
export default fp<{ target: RedisTarget | undefined }>(
  async (app, { target }) => {
    if (!target) {
      app.decorate('redis', null);
      return;
    }
    const log = app.log.child({ redis: true });
    const link = createRedisLink(target, (error) => log.debug({ err: error }, 'redis connection error'));
    app.metrics.redisAvailable(false);
    link.onChange((available) => {
      app.metrics.redisAvailable(available);
      if (available) log.info('redis is reachable: live messages and limits are shared between instances');
      else
        log.warn(
          'redis is unreachable: this instance serves its own viewers and counts its own limits until it returns',
        );
    });
    app.decorate('redis', link);
    app.addHook('onClose', () => link.close());
  },
  { name: 'redis', dependencies: ['metrics'] },
);
