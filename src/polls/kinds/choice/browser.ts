import { percentOf, type ResultsMessage } from '../../../realtime/messages.js';
import type { KindBrowser } from '../browser.js';

/** Single choice: each option's count, percent and bar move to the new counts. */
export const choiceBrowser: KindBrowser = {
  applyCounts(block, message: ResultsMessage, setText) {
    for (const option of message.options) {
      const row = block.querySelector(`[data-option-id="${option.id}"]`);
      if (!row) continue;
      const percent = percentOf(option.votes, message.totalVotes);
      setText(row.querySelector('.count'), String(option.votes));
      setText(row.querySelector('.percent'), `${percent}%`);
      const bar = row.querySelector('progress');
      if (bar) bar.value = percent;
    }
  },
};
