import type { ResultsMessage } from '../../../realtime/messages.js';
import { moveBar } from '../bars-browser.js';
import type { KindBrowser } from '../browser.js';

/** Single choice: each option's count, percent and bar move to the new counts. */
export const choiceBrowser: KindBrowser = {
  applyCounts(block, message: ResultsMessage, setText) {
    if (!('options' in message)) return;
    for (const option of message.options) {
      moveBar(block.querySelector(`[data-option-id="${option.id}"]`), option.votes, message.totalVotes, setText);
    }
  },
};
