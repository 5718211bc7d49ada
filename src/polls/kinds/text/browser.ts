import type { ResultsMessage } from '../../../realtime/messages.js';
import type { KindBrowser } from '../browser.js';

/** Open text: answers new to this screen join the top of the wall; those no longer among the latest go. */
export const textBrowser: KindBrowser = {
  applyCounts(block, message: ResultsMessage) {
    if (!('answers' in message)) return;
    const wall = block.querySelector('.wall');
    if (!wall) return;
    const shown = new Map<string, Element>();
    for (const item of wall.querySelectorAll<HTMLElement>('.wall-answer')) shown.set(item.dataset.answerId ?? '', item);
    const latest = new Set(message.answers.map((answer) => String(answer.id)));
    for (const [id, item] of shown) if (!latest.has(id)) item.remove();
    // Newest first: the new ones, oldest of them first, each go on top.
    for (const answer of [...message.answers].reverse()) {
      if (shown.has(String(answer.id))) continue;
      const item = document.createElement('li');
      item.className = 'wall-answer';
      item.dir = 'auto';
      item.dataset.answerId = String(answer.id);
      item.textContent = answer.text;
      wall.prepend(item);
    }
    block.querySelector('.wall-empty')?.toggleAttribute('hidden', message.answers.length > 0);
  },
};
