import { readFileSync } from 'node:fs';
import { LOCALES, type Locale } from './locales.js';

/** Every message's key, from the English catalog: the other catalogs have the same keys (catalogs.test.ts). */
export type MessageKey = keyof typeof import('./messages/en.json', { with: { type: 'json' }});

export type Catalog = Readonly<Record<MessageKey, string>>;

// Read as files rather than imported: the server runs them from dist/ as they are, and the page
// build compiles the same files for the browser (scripts/build-client.js).
const read = (locale: Locale): Catalog =>
  JSON.parse(readFileSync(new URL(`./messages/${locale}.json`, import.meta.url), 'utf8'));

export const catalogs: Readonly<Record<Locale, Catalog>> = Object.fromEntries(
  LOCALES.map((locale) => [locale, read(locale)]),
) as Record<Locale, Catalog>;
