import type { QuestionView } from '../../../realtime/messages.js';
import { html, type SafeHtml } from '../../../views/html.js';
import type { KindTemplates } from '../templates.js';

/** A bar per option, with its count and percent; the options the voter picked marked. */
export function optionBars(question: QuestionView, picked: ReadonlySet<number>): SafeHtml {
  return html`<ol class="bars">
${question.options.map(
  (option) => html`<li class="bar-row${picked.has(option.id) ? ' chosen' : ''}" data-option-id="${option.id}">
<div class="bar-label"><span class="option-text">${option.text}</span>${picked.has(option.id) ? html`<span class="your-vote">your vote</span>` : ''}
<span class="figures"><span class="count">${option.votes}</span> · <span class="percent">${option.percent}%</span></span></div>
<progress class="bar" max="100" value="${option.percent}" aria-hidden="true"></progress>
</li>`,
)}
</ol>`;
}

const chosen = (mine: { option_id: number | null } | null) => new Set(mine?.option_id ? [mine.option_id] : []);

/** Single choice: one radio button per option to vote. */
export const choiceTemplates: KindTemplates = {
  label: 'Single choice',
  results: (question, mine) => optionBars(question, chosen(mine)),

  answerFields: (question, mine) => html`<fieldset>
<legend class="visually-hidden">Choose one answer</legend>
${question.options.map(
  (option) =>
    html`<label class="choice"><input type="radio" name="optionId" value="${option.id}" required ${chosen(mine).has(option.id) ? html`checked` : ''}><span>${option.text}</span></label>`,
)}
</fieldset>`,
};
