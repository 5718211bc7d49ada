import { t } from '../../../i18n/request-language.js';
import { typedWholeNumber } from '../../../views/form-number.js';
import { formatNumber } from '../../../views/format.js';
import { html } from '../../../views/html.js';
import { tHtml } from '../../../views/message-html.js';
import { ofKind } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { givenWords, MAX_WORD_CHARS, MAX_WORDS } from './kind.js';
import { wordSize } from './size.js';

/** Word cloud: a text field per word; results are the cloud, each word sized by its count. */
export const wordcloudTemplates: KindTemplates = {
  get label() {
    return t('kinds.wordcloud.label');
  },
  typedOptions: false,
  settings: {
    fields: { maxWords: 8 },
    render: (
      prefix,
      posted,
    ) => html`<label for="${prefix}-max-words">${tHtml('kinds.wordcloud.maxWordsLabel', { hint: html`<span class="hint">${t('kinds.wordcloud.maxWordsHint', { max: MAX_WORDS })}</span>` })}</label>
<input id="${prefix}-max-words" name="maxWords" type="number" min="1" max="${MAX_WORDS}" inputmode="numeric" value="${posted.maxWords ?? ''}">`,
    read(posted) {
      const maxWords = typedWholeNumber(posted.maxWords, 'kinds.wordcloud.maxWordsInvalid', { max: MAX_WORDS });
      return maxWords === undefined ? {} : { maxWords };
    },
  },

  results(question, mine) {
    const { words } = ofKind(question, 'wordcloud');
    const own = new Set(givenWords(mine?.answer ?? null));
    const most = words[0]?.count ?? 0;
    if (words.length === 0)
      return html`<p class="cloud-empty hint">${t('kinds.wordcloud.cloudEmpty')}</p><ul class="cloud" aria-label="${t('kinds.wordcloud.cloudLabelEmpty')}"></ul>`;
    return html`<ul class="cloud" aria-label="${t('kinds.wordcloud.cloudLabel')}">${words.map(
      (word) =>
        html`<li class="${`cloud-word size-${wordSize(word.count, most)}${own.has(word.text) ? ' mine' : ''}`}" data-word="${word.text}"><span class="word" dir="auto">${word.text}</span> <span class="count">${formatNumber(word.count)}</span></li>`,
    )}</ul>`;
  },

  answerFields(question, mine) {
    const { maxWords } = ofKind(question, 'wordcloud');
    const own = givenWords(mine?.answer ?? null);
    return html`<fieldset class="word-fields">
<legend class="pick-hint">${t('kinds.wordcloud.legend', { count: maxWords, chars: MAX_WORD_CHARS })}</legend>
${Array.from(
  { length: maxWords },
  (_, i) => html`<label class="visually-hidden" for="word-${i}">${t('kinds.wordcloud.word', { number: i + 1 })}</label>
<input id="word-${i}" name="words" maxlength="${MAX_WORD_CHARS}" autocomplete="off" autocapitalize="none" placeholder="${t('kinds.wordcloud.word', { number: i + 1 })}" value="${own[i] ?? ''}" dir="auto"${i === 0 ? html` required` : ''}>`,
)}
</fieldset>`;
  },
};
