import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { localPath } from '../local-path.js';
import { LOCALES } from './locales.js';
import { LANGUAGE_COOKIE } from './request-language.js';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export const LanguageForm = Type.Object(
  {
    lang: Type.Enum(LOCALES),
    next: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

/** The switcher on every page: keeps the visitor's pick in a cookie and goes back to the page it was on. */
export default async function languageSwitch(app: FastifyInstance) {
  app.post<{ Body: Static<typeof LanguageForm> }>('/language', { schema: { body: LanguageForm } }, (request, reply) => {
    reply.setCookie(LANGUAGE_COOKIE, request.body.lang, { maxAge: ONE_YEAR_SECONDS });
    return reply.redirect(localPath(request.body.next, '/'), 303);
  });
}
