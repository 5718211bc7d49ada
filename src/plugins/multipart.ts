import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads a multipart/form-data body itself (an image upload). */
    multipart?: boolean;
  }
}

/**
 * Multipart bodies, for the routes that say they take one. The parser leaves the body unread
 * for the route to stream, so a route that does not read it would act as if no body came:
 * every other route refuses multipart outright.
 */
export default fp<{ maxFileBytes: number }>(
  async (app, { maxFileBytes }) => {
    await app.register(multipart, {
      limits: { fileSize: maxFileBytes, files: 2, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 100 },
    });
    app.addHook('preValidation', async (request) => {
      if (request.isMultipart() && !request.routeOptions.config.multipart) {
        throw new AppError('unsupported_media_type', 'infra.multipart.notAccepted');
      }
    });
  },
  { name: 'multipart' },
);
