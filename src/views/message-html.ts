import type { MessageKey } from '../i18n/catalogs.js';
import { t } from '../i18n/request-language.js';
import { escapeHtml, SafeHtml } from './html.js';

// Stands in for a piece of markup while the message is formatted; no text of ours holds it.
const MARK = '\u0000';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the mark is a control character, so that no text holds it
const PLACED = /\u0000(\d+)\u0000/g;

/**
 * A message with markup among its values (a link, a <strong>): the message's words and every
 * plain value are escaped, the markup is kept as it is, wherever the language puts it.
 */
export function tHtml(key: MessageKey, values: Readonly<Record<string, SafeHtml | string | number>>): SafeHtml {
  const markup: string[] = [];
  const plain = Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      if (!(value instanceof SafeHtml)) return [name, typeof value === 'string' ? value.replaceAll(MARK, '') : value];
      markup.push(value.value);
      return [name, `${MARK}${markup.length - 1}${MARK}`];
    }),
  );
  const text = escapeHtml(t(key, plain)).replace(PLACED, (_, index) => markup[Number(index)] ?? '');
  return new SafeHtml(text);
}
