import type { QuestionView } from '../../../realtime/messages.js';
import { html, type SafeHtml } from '../../../views/html.js';
import { bars } from '../bars.js';
import { optionsOf } from '../options.js';
import type { KindTemplates } from '../templates.js';

/** A bar per option, with its count and percent; the options the voter picked marked. */
export const optionBars = (question: QuestionView, picked: ReadonlySet<number>): SafeHtml =>
  bars(
    optionsOf(question).map((option) => ({
      key: html`data-option-id="${option.id}"`,
      label: option.text,
      votes: option.votes,
      percent: option.percent,
      mine: picked.has(option.id),
    })),
  );

const chosen = (mine: { option_id: number | null } | null) => new Set(mine?.option_id ? [mine.option_id] : []);

/** Single choice: one radio button per option to vote. */
export const choiceTemplates: KindTemplates = {
  label: 'Single choice',
  typedOptions: true,
  results: (question, mine) => optionBars(question, chosen(mine)),

  answerFields: (question, mine) => html`<fieldset>
<legend class="visually-hidden">Choose one answer</legend>
${optionsOf(question).map(
  (option) =>
    html`<label class="choice"><input type="radio" name="optionId" value="${option.id}" required ${chosen(mine).has(option.id) ? html`checked` : ''}><span>${option.text}</span></label>`,
)}
</fieldset>`,
};
