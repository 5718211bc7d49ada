import fp from 'fastify-plugin';
import { runInRequestLanguage } from '../i18n/request-language.js';

/**
 * Every request is handled in its visitor's language (i18n/request-language.ts). Registered before
 * the plugins whose hooks can refuse a request, so that their messages are translated too; the
 * cookie that holds a visitor's pick is read only when a text is first needed.
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', (request, reply, done) => {
      // The API's answers may be kept by a cache; its messages are in the request's language.
      // Pages never are (no-store), and the assets are the same in every language.
      if (request.url.startsWith('/api/')) reply.header('vary', 'Accept-Language, Cookie');
      runInRequestLanguage(request, done);
    });
  },
  { name: 'i18n' },
);
