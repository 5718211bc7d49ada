// Turning what an OCR engine saw into clean text. Every engine's output passes through here:
// it is untrusted, so control characters go and lengths are bounded.

export const MAX_QUESTION_CHARS = 500;
export const MAX_OPTION_CHARS = 200;
// More lines than a poll could have means the engine read something else (a page of text).
const MAX_OPTION_LINES = 100;

/**
 * A bullet: `-`, `•`, `*`, `–`…, and what an engine reads a photographed bullet as: `»`, `«`, or
 * a lone `e` or `o` before a capital letter.
 */
const BULLET = /^\s*(?:[-–—•·*▪●○◦»«›‹]|[eo](?=\s+\p{Lu}))\s*/u;
/** An option label: `A.`, `b)`, `1)`, `12.`, `(b)`, `[3]`, or a bullet. */
const LABEL = new RegExp(
  `${BULLET.source}|^\\s*(?:\\(\\s*(?:[A-Za-z]|\\d{1,2})\\s*\\)|\\[\\s*(?:[A-Za-z]|\\d{1,2})\\s*\\]|(?:[A-Za-z]|\\d{1,2})\\s*[.):\\]])\\s*`,
  'u',
);

/** Removes control and invisible formatting characters, collapses whitespace, bounds the length. */
export function cleanText(text: string, maxChars: number): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...cleaned].slice(0, maxChars).join('').trim();
}

export function stripLabel(line: string): string {
  return line.replace(LABEL, '');
}

/** A slide's page number on a line of its own: "12", "3 / 10", "Page 4 of 9", "Slide 7". */
const PAGE_NUMBER = /^(?:(?:page|p\.|slide)\s*)?\d{1,3}(?:\s*(?:\/|of)\s*\d{1,3})?$/i;

/** The lines of a slide without its page number: a last line that is nothing else, after other text. */
function withoutPageNumber(lines: string[]): string[] {
  const last = lines.at(-1)?.trim() ?? '';
  const others = lines.slice(0, -1);
  return PAGE_NUMBER.test(last) && others.some((line) => !PAGE_NUMBER.test(line.trim())) ? others : lines;
}

/** The question is everything the image says, its wrapped lines joined. */
export function questionFromText(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  return cleanText(withoutPageNumber(lines).join(' '), MAX_QUESTION_CHARS);
}

/**
 * Options from the text of the options image. A labelled line starts an option and
 * unlabelled lines after it continue it (a wrapped line); without any labels, every line is
 * an option of its own.
 */
export function optionsFromText(text: string): string[] {
  const lines = withoutPageNumber(
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .slice(0, MAX_OPTION_LINES),
  );
  const labelled = lines.map((line) => LABEL.test(line));
  if (!labelled.some(Boolean)) return cleanOptions(lines);
  // A bullet is small and the one a photo loses: in a bulleted list, an unlabelled line that
  // starts with a capital is an option of its own rather than the previous one wrapped.
  const bulleted = lines.every((line, i) => !labelled[i] || BULLET.test(line));
  const options: string[] = [];
  lines.forEach((line, i) => {
    if (labelled[i] || options.length === 0 || (bulleted && /^\p{Lu}/u.test(line))) options.push(stripLabel(line));
    else options[options.length - 1] += ` ${line}`;
  });
  return cleanOptions(options);
}

/** Cleans options that an engine returned as a list (labels may still be on them). */
export function cleanOptions(options: readonly string[]): string[] {
  return options
    .slice(0, MAX_OPTION_LINES)
    .map((option) => cleanText(stripLabel(cleanText(option, MAX_OPTION_CHARS * 2)), MAX_OPTION_CHARS))
    .filter((option) => option.length > 0);
}
