import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyRequest } from 'fastify';
import type { MessageKey } from './catalogs.js';
import { DEFAULT_LOCALE, isLocale, type Locale, negotiate } from './locales.js';
import { type MessageValues, translate } from './translate.js';

/** The cookie that keeps the language a visitor picked on any page. */
export const LANGUAGE_COOKIE = 'lang';

interface RequestLanguage {
  readonly request: FastifyRequest;
  /** Settled on first use, once the request's cookies have been read. */
  locale?: Locale;
  /** A poll's audience language, for a visitor who has picked none. */
  audience?: Locale;
}

// Each request's language follows it through its handlers and templates, so that every text of a
// page and every error message is written in it without passing it through each view's arguments.
const storage = new AsyncLocalStorage<RequestLanguage>();

/** Runs the rest of a request's handling in that request's language. */
export function runInRequestLanguage(request: FastifyRequest, next: () => void): void {
  storage.run({ request }, next);
}

/** The visitor's own pick (the cookie), else the poll's audience language, else their browser's. */
export function currentLocale(): Locale {
  const context = storage.getStore();
  if (!context) return DEFAULT_LOCALE;
  context.locale ??=
    pickedLocale(context.request) ?? context.audience ?? negotiate(context.request.headers['accept-language']);
  return context.locale;
}

export function pickedLocale(request: FastifyRequest): Locale | undefined {
  const picked = request.cookies?.[LANGUAGE_COOKIE];
  return isLocale(picked) ? picked : undefined;
}

/** A poll's pages speak its audience's language to visitors who have not picked their own. */
export function useAudienceLanguage(language: string | null | undefined): void {
  const context = storage.getStore();
  if (context && isLocale(language) && !pickedLocale(context.request)) {
    context.audience = language;
    context.locale = undefined;
  }
}

/**
 * The page the language switcher comes back to: the path of a page that was asked for, without
 * its query (a notice said once, a sort), which is not echoed back; a form's answer (a POST)
 * has no address to come back to, so the switcher goes home from it.
 */
export function currentPath(): string {
  const request = storage.getStore()?.request;
  return request?.method === 'GET' ? (request.url.split('?')[0] ?? '/') : '/';
}

/** A message of the catalog, in the current request's language. */
export function t(key: MessageKey, values?: MessageValues): string {
  return translate(currentLocale(), key, values);
}
