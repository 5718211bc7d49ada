import { formatNumber } from '../../../client/numbers.js';
import type { ResultsMessage } from '../../../realtime/messages.js';
import type { KindBrowser } from '../browser.js';
import { wordSize } from './size.js';

/**
 * Word cloud: each word keeps its place as counts change, so the cloud does not jump about; a
 * new word joins at the end, and a word that left the top goes.
 */
export const wordcloudBrowser: KindBrowser = {
  applyCounts(block, message: ResultsMessage, setText) {
    if (!('words' in message)) return;
    const cloud = block.querySelector('.cloud');
    if (!cloud) return;
    const most = message.words.reduce((top, word) => Math.max(top, word.count), 0);
    const shown = new Map<string, HTMLElement>();
    for (const item of cloud.querySelectorAll<HTMLElement>('.cloud-word')) shown.set(item.dataset.word ?? '', item);
    for (const word of message.words) {
      let item = shown.get(word.text);
      shown.delete(word.text);
      if (!item) {
        item = document.createElement('li');
        item.dataset.word = word.text;
        const text = document.createElement('span');
        text.className = 'word';
        text.dir = 'auto';
        text.textContent = word.text;
        const count = document.createElement('span');
        count.className = 'count';
        item.append(text, ' ', count);
        cloud.append(item);
      }
      const mine = item.classList.contains('mine');
      item.className = `cloud-word size-${wordSize(word.count, most)}${mine ? ' mine' : ''}`;
      setText(item.querySelector('.count'), formatNumber(word.count));
    }
    for (const gone of shown.values()) gone.remove();
    block.querySelector('.cloud-empty')?.toggleAttribute('hidden', message.words.length > 0);
  },
};
