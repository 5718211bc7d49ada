import type { QaItem, QuestionView } from '../realtime/messages.js';
import { kindNamed } from './kinds/index.js';

/**
 * RFC 4180 CSV. Spreadsheets run a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula: such text cells get a leading apostrophe, shown as plain text.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A file to download: its Content-Disposition and its text. */
export interface CsvFile {
  disposition: string;
  body: string;
}

export interface ResultsExport {
  poll: { code: string; title: string };
  /** The questions exported, each with its place in the poll's order (from 1). */
  questions: { number: number; question: QuestionView }[];
  exportedAt: Date;
  /** What the file is named after, beside the poll's code: the question, or the poll's title. */
  label: string;
}

const RESULTS_COLUMNS = ['question_number', 'question', 'status', 'option', 'votes', 'percent'] as const;

// Excel reads a CSV file as the system's legacy encoding unless it starts with a byte order mark.
const BOM = '\uFEFF';

/**
 * Results in long format: the poll's details on top (one name and value a row), a blank row,
 * then one table with one header row and a row per option, every row saying its question. A
 * spreadsheet can sort, filter and pivot that table as it is, where a table per question could not.
 */
export function resultsCsv(results: ResultsExport): CsvFile {
  const body = toCsv([
    ['poll', results.poll.title],
    ['code', results.poll.code],
    ['exported_at', isoWithOffset(results.exportedAt)],
    [],
    RESULTS_COLUMNS,
    ...results.questions.flatMap(({ number, question }) =>
      kindNamed(question.kind)
        .csvLines(question)
        .map((line) => [number, question.text, question.status, ...line]),
    ),
  ]);
  return { disposition: attachment(results.poll.code, results.label), body: `${BOM}${body}` };
}

/** ISO 8601 in the server's time zone, with its offset: the time people there read on a clock. */
function isoWithOffset(date: Date): string {
  const offsetMinutes = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  const size = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${two(size / 60)}:${two(size % 60)}`;
}

const SLUG_CHARS = 40;

/** A short, lower-case, dash-separated name: ASCII only, or any letters and digits. */
function slug(text: string, ascii: boolean): string {
  const words = ascii
    ? text
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
    : text
        .normalize('NFC')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-');
  const chars = [...words.replace(/^-+|-+$/g, '')];
  if (chars.length <= SLUG_CHARS) return chars.join('');
  // Cut at the last whole word that fits, unless that leaves too little.
  const cut = chars.slice(0, SLUG_CHARS).join('');
  const lastDash = cut.lastIndexOf('-');
  return lastDash >= SLUG_CHARS / 2 ? cut.slice(0, lastDash) : cut;
}

/**
 * RFC 6266: `filename` is plain ASCII for every client; `filename*` (RFC 8187, UTF-8) keeps
 * the letters of other scripts and accents for clients that read it, which browsers do.
 */
function attachment(code: string, label: string): string {
  const name = (ascii: boolean) => `${code}-${slug(label, ascii) || 'results'}.csv`;
  const header = `attachment; filename="${name(true)}"`;
  const unicode = name(false);
  if (unicode === name(true)) return header;
  const encoded = encodeURIComponent(unicode).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${header}; filename*=UTF-8''${encoded}`;
}

const QA_COLUMNS = ['id', 'question', 'name', 'upvotes', 'status', 'answered', 'asked_at'] as const;

/** A poll's questions from the audience, oldest first, with where each stands. */
export function qaCsv({
  poll,
  items,
  exportedAt,
}: {
  poll: { code: string; title: string };
  items: QaItem[];
  exportedAt: Date;
}): CsvFile {
  const body = toCsv([
    ['poll', poll.title],
    ['code', poll.code],
    ['exported_at', isoWithOffset(exportedAt)],
    [],
    QA_COLUMNS,
    ...items.map((item) => [
      item.id,
      item.text,
      item.name ?? '',
      item.upvotes,
      item.status ?? 'approved',
      item.answered ? 'yes' : 'no',
      item.createdAt,
    ]),
  ]);
  return { disposition: attachment(poll.code, `${poll.title} questions`), body: `${BOM}${body}` };
}
