import type { ResultsMessage } from '../../realtime/messages.js';
import { choiceBrowser } from './choice/browser.js';
import type { KindName } from './index.js';

/** How a kind of question's results move in the browser, in the block its results template drew. */
export interface KindBrowser {
  /** Shows the message's counts; `setText` writes a text only where it changed. */
  applyCounts(
    block: HTMLElement,
    message: ResultsMessage,
    setText: (element: Element | null, text: string) => void,
  ): void;
}

// Single and multiple choice, most questions, come with the page script (multiple choice moves
// like single choice: each option's count and its share of the voters). Each other kind's
// rendering is a script of its own, beside the page's (built from its `browser.ts`), fetched the
// first time a page shows such a question: a phone's first visit stays small.
const lazy =
  (name: string): (() => Promise<KindBrowser>) =>
  () =>
    import(new URL(`kinds/${name}.js`, import.meta.url).href).then(
      (module: Record<string, KindBrowser>) => module[`${name}Browser`] as KindBrowser,
    );
const loaders: Record<KindName, () => Promise<KindBrowser>> = {
  choice: async () => choiceBrowser,
  multi: async () => choiceBrowser,
  rating: lazy('rating'),
  ranking: lazy('ranking'),
  wordcloud: lazy('wordcloud'),
  text: lazy('text'),
};
const loaded = new Map<KindName, Promise<KindBrowser>>();

/**
 * The rendering of a results block's kind (its `data-kind`), once loaded; none for a kind this
 * page does not know. Messages applied one after another stay in order: they wait on one promise.
 */
export function browserOf(kind: string | undefined): Promise<KindBrowser> | undefined {
  if (kind === undefined || !Object.hasOwn(loaders, kind)) return undefined;
  const name = kind as KindName;
  const browser = loaded.get(name) ?? loaders[name]();
  loaded.set(name, browser);
  return browser;
}
