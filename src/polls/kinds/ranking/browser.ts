import { formatNumber } from '../../../client/numbers.js';
import type { ResultsMessage } from '../../../realtime/messages.js';
import type { KindBrowser } from '../browser.js';
import { shareOfPoints } from './places.js';

/** Ranking: each option's points and average place move, and the rows take the new order. */
export const rankingBrowser: KindBrowser = {
  applyCounts(block, message: ResultsMessage, setText) {
    if (!('ranking' in message)) return;
    const list = block.querySelector('.bars');
    for (const option of message.ranking) {
      const row = block.querySelector(`[data-option-id="${option.id}"]`);
      if (!row) continue;
      setText(row.querySelector('.count'), formatNumber(option.score));
      setText(
        row.querySelector('.average-place'),
        option.averagePosition === null ? '–' : formatNumber(option.averagePosition),
      );
      const bar = row.querySelector('progress');
      if (bar) bar.value = shareOfPoints(option.score, message.totalVotes, message.ranking.length);
      // Highest score first: appending each row in the message's order sorts them.
      list?.append(row);
    }
  },
};
