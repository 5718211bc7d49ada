import { html, type SafeHtml } from '../../../views/html.js';
import { ofKind } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { answeredText, MAX_ANSWER_CHARS } from './kind.js';

/** One answer on the wall. */
const wallItem = (answer: { id: number; text: string }, mine: boolean): SafeHtml =>
  html`<li class="wall-answer${mine ? ' mine' : ''}" data-answer-id="${answer.id}">${answer.text}${mine ? html` <span class="your-vote">your answer</span>` : ''}</li>`;

/** Open text: a box to write in; results are the wall of the latest answers, newest first. */
export const textTemplates: KindTemplates = {
  label: 'Open text',
  typedOptions: false,

  results(question, mine) {
    const { answers } = ofKind(question, 'text');
    const own = answeredText(mine);
    return html`<p class="wall-empty hint"${answers.length > 0 ? html` hidden` : ''}>The answers will show here.</p>
<ol class="wall" aria-label="Answers, newest first">${answers.map((answer) => wallItem(answer, answer.text === own))}</ol>`;
  },

  answerFields: (
    _question,
    mine,
  ) => html`<label for="open-answer" class="pick-hint">Your answer <span class="hint">(up to ${MAX_ANSWER_CHARS} characters)</span></label>
<textarea id="open-answer" name="text" rows="3" maxlength="${MAX_ANSWER_CHARS}" required>${answeredText(mine) ?? ''}</textarea>`,
};
