import { t } from '../../../i18n/request-language.js';
import { html, type SafeHtml } from '../../../views/html.js';
import { tHtml } from '../../../views/message-html.js';
import { ofKind } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { answeredText, MAX_ANSWER_CHARS } from './kind.js';

/** One answer on the wall. */
const wallItem = (answer: { id: number; text: string }, mine: boolean): SafeHtml =>
  html`<li dir="auto" class="wall-answer${mine ? ' mine' : ''}" data-answer-id="${answer.id}">${answer.text}${mine ? html` <span class="your-vote">${t('kinds.text.yourAnswer')}</span>` : ''}</li>`;

/** Open text: a box to write in; results are the wall of the latest answers, newest first. */
export const textTemplates: KindTemplates = {
  get label() {
    return t('kinds.text.label');
  },
  typedOptions: false,

  results(question, mine) {
    const { answers } = ofKind(question, 'text');
    const own = answeredText(mine);
    return html`<p class="wall-empty hint"${answers.length > 0 ? html` hidden` : ''}>${t('kinds.text.wallEmpty')}</p>
<ol class="wall" aria-label="${t('kinds.text.wallLabel')}">${answers.map((answer) => wallItem(answer, answer.text === own))}</ol>`;
  },

  answerFields: (
    _question,
    mine,
  ) => html`<label for="open-answer" class="pick-hint">${tHtml('kinds.text.answerLabel', { hint: html`<span class="hint">${t('kinds.text.answerHint', { max: MAX_ANSWER_CHARS })}</span>` })}</label>
<textarea id="open-answer" name="text" rows="3" maxlength="${MAX_ANSWER_CHARS}" required dir="auto">${answeredText(mine) ?? ''}</textarea>`,
};
