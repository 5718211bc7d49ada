import fp from 'fastify-plugin';
import type { Broadcaster } from '../realtime/broadcaster.js';

declare module 'fastify' {
  interface FastifyInstance {
    broadcaster: Broadcaster;
  }
}

/** Holds the live fan-out; closed after every route has stopped using it. */
export default fp<{ broadcaster: Broadcaster }>(
  async (app, { broadcaster }) => {
    app.decorate('broadcaster', broadcaster);
    app.addHook('onClose', () => broadcaster.close());
  },
  { name: 'realtime' },
);
