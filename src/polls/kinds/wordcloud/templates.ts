import { typedWholeNumber } from '../../../views/form-number.js';
import { html } from '../../../views/html.js';
import { ofKind } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { givenWords, MAX_WORD_CHARS, MAX_WORDS } from './kind.js';
import { wordSize } from './size.js';

/** Word cloud: a text field per word; results are the cloud, each word sized by its count. */
export const wordcloudTemplates: KindTemplates = {
  label: 'Word cloud',
  typedOptions: false,
  settings: {
    fields: { maxWords: 8 },
    render: (
      prefix,
      posted,
    ) => html`<label for="${prefix}-max-words">Each voter gives up to <span class="hint">(1 to ${MAX_WORDS} words; empty: ${MAX_WORDS})</span></label>
<input id="${prefix}-max-words" name="maxWords" type="number" min="1" max="${MAX_WORDS}" inputmode="numeric" value="${posted.maxWords ?? ''}">`,
    read(posted) {
      const maxWords = typedWholeNumber(
        posted.maxWords,
        `How many words a voter gives is 1 to ${MAX_WORDS}, or empty.`,
      );
      return maxWords === undefined ? {} : { maxWords };
    },
  },

  results(question, mine) {
    const { words } = ofKind(question, 'wordcloud');
    const own = new Set(givenWords(mine?.answer ?? null));
    const most = words[0]?.count ?? 0;
    if (words.length === 0)
      return html`<p class="cloud-empty hint">The words given will show here.</p><ul class="cloud" aria-label="Words given"></ul>`;
    return html`<ul class="cloud" aria-label="Words given, the most given first">${words.map(
      (word) =>
        html`<li class="${`cloud-word size-${wordSize(word.count, most)}${own.has(word.text) ? ' mine' : ''}`}" data-word="${word.text}"><span class="word">${word.text}</span> <span class="count">${word.count}</span></li>`,
    )}</ul>`;
  },

  answerFields(question, mine) {
    const { maxWords } = ofKind(question, 'wordcloud');
    const own = givenWords(mine?.answer ?? null);
    return html`<fieldset class="word-fields">
<legend class="pick-hint">${maxWords === 1 ? 'One word' : `Up to ${maxWords} words`}, each up to ${MAX_WORD_CHARS} characters</legend>
${Array.from(
  { length: maxWords },
  (_, i) => html`<label class="visually-hidden" for="word-${i}">Word ${i + 1}</label>
<input id="word-${i}" name="words" maxlength="${MAX_WORD_CHARS}" autocomplete="off" autocapitalize="none" placeholder="Word ${i + 1}" value="${own[i] ?? ''}"${i === 0 ? html` required` : ''}>`,
)}
</fieldset>`;
  },
};
