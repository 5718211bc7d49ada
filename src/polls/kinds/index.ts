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
