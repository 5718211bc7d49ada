import { html } from '../../../views/html.js';
import { optionBars } from '../choice/templates.js';
import type { StoredAnswer } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { pickedOptions } from './kind.js';

const picked = (mine: StoredAnswer | null) => new Set(pickedOptions(mine?.answer ?? null));

/** Multiple choice: a checkbox per option, and how many may be picked. */
export const multiTemplates: KindTemplates = {
  label: 'Multiple choice',
  results: (question, mine) => optionBars(question, picked(mine)),

  answerFields(question, mine) {
    const most = question.kind === 'multi' ? question.maxChoices : question.options.length;
    const hint = most >= question.options.length ? 'Pick all that apply' : `Pick up to ${most}`;
    return html`<fieldset class="pick-several" data-max-choices="${most}">
<legend class="pick-hint">${hint}</legend>
${question.options.map(
  (option) =>
    html`<label class="choice"><input type="checkbox" name="optionIds" value="${option.id}" ${picked(mine).has(option.id) ? html`checked` : ''}><span>${option.text}</span></label>`,
)}
</fieldset>`;
  },
};
