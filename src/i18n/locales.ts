import { match } from '@formatjs/intl-localematcher';
import Negotiator from 'negotiator';

/** The languages Pollcast's pages and API messages are written in; each has a catalog in messages/. */
export const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'he', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set(['he', 'ar']);

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

export const directionOf = (locale: Locale): 'ltr' | 'rtl' => (RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr');

/** A language as its own speakers name it ("Deutsch", "עברית"), which is how a visitor finds theirs in a list. */
export function ownName(locale: Locale): string {
  const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/** A language tag the platform understands; a header may hold anything ("*", "x_y"). */
function wellFormed(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * The catalog closest to what an Accept-Language header asks for, in the header's order of
 * preference: "de-AT" gets German, "pt" Brazilian Portuguese, anything unknown English.
 */
export function negotiate(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const asked = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages().filter(wellFormed);
  if (asked.length === 0) return DEFAULT_LOCALE;
  const found = match(asked, LOCALES, DEFAULT_LOCALE, { algorithm: 'best fit' });
  return isLocale(found) ? found : DEFAULT_LOCALE;
}
