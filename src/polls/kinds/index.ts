import { choice } from './choice/kind.js';
import type { QuestionKind } from './kind.js';
import { multi } from './multi/kind.js';
import { ranking } from './ranking/kind.js';
import { rating } from './rating/kind.js';
import { text } from './text/kind.js';
import { wordcloud } from './wordcloud/kind.js';

/** Every kind of question, by the name the API and the database use. */
const kinds = { choice, multi, rating, ranking, wordcloud, text } satisfies Record<string, QuestionKind>;

export type KindName = keyof typeof kinds;
export const KIND_NAMES = Object.keys(kinds) as KindName[];
export const DEFAULT_KIND: KindName = 'choice';

/** The kind a question was stored with; a name this version does not know is a corrupt row, not bad input. */
export function kindNamed(name: string): QuestionKind {
  if (!Object.hasOwn(kinds, name)) throw new Error(`Unknown question kind: ${name}`);
  return kinds[name as KindName];
}

/** The kinds a question with answer options can be: a question read from images is one of them. */
export const KINDS_WITH_OPTIONS = ['choice', 'multi', 'ranking'] as const satisfies readonly KindName[];
export type KindWithOptions = (typeof KINDS_WITH_OPTIONS)[number];

export const hasOptions = (kind: string): kind is KindWithOptions =>
  (KINDS_WITH_OPTIONS as readonly string[]).includes(kind);
