import messageFormatModule from '@messageformat/core';
import { catalogs, type MessageKey } from './catalogs.js';
import { LOCALES, type Locale } from './locales.js';

// The package's types describe an ES module's default export; run as CommonJS, the module is the class.
const MessageFormat = messageFormatModule as unknown as typeof messageFormatModule.default;
type Compiled = (values: MessageValues) => string;

export type MessageValues = Readonly<Record<string, string | number>>;

const formats = new Map(LOCALES.map((locale) => [locale, new MessageFormat(locale)]));
const compiled = new Map<string, Compiled>();

function compile(locale: Locale, key: MessageKey): Compiled {
  const format = formats.get(locale) ?? new MessageFormat(locale);
  return format.compile(catalogs[locale][key]);
}

/** A message of the locale's catalog with its values filled in, plurals and numbers as the language has them. */
export function translate(locale: Locale, key: MessageKey, values: MessageValues = {}): string {
  const id = `${locale} ${key}`;
  let message = compiled.get(id);
  if (!message) {
    message = compile(locale, key);
    compiled.set(id, message);
  }
  return message(values);
}
