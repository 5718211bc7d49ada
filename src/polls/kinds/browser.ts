import type { ResultsMessage } from '../../realtime/messages.js';
import { choiceBrowser } from './choice/browser.js';
import type { KindName } from './index.js';
import { ratingBrowser } from './rating/browser.js';
import { textBrowser } from './text/browser.js';
import { wordcloudBrowser } from './wordcloud/browser.js';

/** How a kind of question's results move in the browser, in the block its results template drew. */
export interface KindBrowser {
  /** Shows the message's counts; `setText` writes a text only where it changed. */
  applyCounts(
    block: HTMLElement,
    message: ResultsMessage,
    setText: (element: Element | null, text: string) => void,
  ): void;
}

// Multiple choice moves like single choice: each option's count, and its share of the voters.
const browsers: Record<KindName, KindBrowser> = {
  choice: choiceBrowser,
  multi: choiceBrowser,
  rating: ratingBrowser,
  wordcloud: wordcloudBrowser,
  text: textBrowser,
};

/** The rendering of a results block's kind (its `data-kind`); none for a kind this page does not know. */
export function browserOf(kind: string | undefined): KindBrowser | undefined {
  return kind !== undefined && Object.hasOwn(browsers, kind) ? browsers[kind as KindName] : undefined;
}
