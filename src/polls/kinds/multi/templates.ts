import { typedWholeNumber } from '../../../views/form-number.js';
import { html } from '../../../views/html.js';
import { optionBars } from '../choice/templates.js';
import { ofKind, type StoredAnswer } from '../kind.js';
import { MAX_OPTIONS } from '../options.js';
import { rightOptionNumbers, rightOptionsField, typedRightOptions } from '../quiz-templates.js';
import type { KindTemplates } from '../templates.js';
import { pickedOptions } from './kind.js';

const picked = (mine: StoredAnswer | null) => new Set(pickedOptions(mine?.answer ?? null));

/** Multiple choice: a checkbox per option, and how many may be picked. */
export const multiTemplates: KindTemplates = {
  label: 'Multiple choice',
  typedOptions: true,
  settings: {
    fields: { maxChoices: 8, rightOptions: 80 },
    render: (
      prefix,
      posted,
    ) => html`<label for="${prefix}-max-choices">Each voter picks up to <span class="hint">(empty: as many as they like)</span></label>
<input id="${prefix}-max-choices" name="maxChoices" type="number" min="1" max="${MAX_OPTIONS}" inputmode="numeric" value="${posted.maxChoices ?? ''}">
${rightOptionsField(prefix, 'rightOptions', html`Numbers of the right options, such as 1, 3`, posted.rightOptions)}`,
    read(posted) {
      const maxChoices = typedWholeNumber(
        posted.maxChoices,
        'How many options a voter picks is a whole number, or empty.',
      );
      return { ...(maxChoices === undefined ? {} : { maxChoices }), ...typedRightOptions(posted.rightOptions) };
    },
    typed: (input) => ({
      maxChoices: input.maxChoices === undefined ? '' : String(input.maxChoices),
      rightOptions: rightOptionNumbers(input.correct),
    }),
  },
  results: (question, mine) => optionBars(question, picked(mine)),

  answerFields(question, mine) {
    const { options, maxChoices } = ofKind(question, 'multi');
    const hint = maxChoices >= options.length ? 'Pick all that apply' : `Pick up to ${maxChoices}`;
    return html`<fieldset class="pick-several" data-max-choices="${maxChoices}">
<legend class="pick-hint">${hint}</legend>
${options.map(
  (option) =>
    html`<label class="choice"><input type="checkbox" name="optionIds" value="${option.id}" ${picked(mine).has(option.id) ? html`checked` : ''}><span>${option.text}</span></label>`,
)}
</fieldset>`;
  },
};
