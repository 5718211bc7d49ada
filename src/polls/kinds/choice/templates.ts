import type { QuestionView } from '../../../realtime/messages.js';
import { html } from '../../../views/html.js';
import type { StoredAnswer } from '../kind.js';
import type { KindTemplates } from '../templates.js';

const isMine = (optionId: number, mine: StoredAnswer | null) => mine?.option_id === optionId;

/** Single choice: a bar per option, with its count and percent; one radio button per option to vote. */
export const choiceTemplates: KindTemplates = {
  results: (question: QuestionView, mine) => html`<ol class="bars">
${question.options.map(
  (option) => html`<li class="bar-row${isMine(option.id, mine) ? ' chosen' : ''}" data-option-id="${option.id}">
<div class="bar-label"><span class="option-text">${option.text}</span>${isMine(option.id, mine) ? html`<span class="your-vote">your vote</span>` : ''}
<span class="figures"><span class="count">${option.votes}</span> · <span class="percent">${option.percent}%</span></span></div>
<progress class="bar" max="100" value="${option.percent}" aria-hidden="true"></progress>
</li>`,
)}
</ol>`,

  answerFields: (question, mine) => html`<fieldset>
<legend class="visually-hidden">Choose one answer</legend>
${question.options.map(
  (option) =>
    html`<label class="choice"><input type="radio" name="optionId" value="${option.id}" required ${isMine(option.id, mine) ? html`checked` : ''}><span>${option.text}</span></label>`,
)}
</fieldset>`,
};
