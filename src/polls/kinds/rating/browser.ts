import { formatNumber } from '../../../client/numbers.js';
import type { ResultsMessage } from '../../../realtime/messages.js';
import { moveBar } from '../bars-browser.js';
import type { KindBrowser } from '../browser.js';

/** Rating: the average, and each value's count, percent and bar, move to the new counts. */
export const ratingBrowser: KindBrowser = {
  applyCounts(block, message: ResultsMessage, setText) {
    if (!('distribution' in message)) return;
    setText(block.querySelector('.average'), message.average === null ? '–' : formatNumber(message.average));
    for (const row of message.distribution) {
      moveBar(block.querySelector(`[data-value="${row.value}"]`), row.votes, message.totalVotes, setText);
    }
  },
};
