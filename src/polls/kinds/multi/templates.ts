import { t } from '../../../i18n/request-language.js';
import { typedWholeNumber } from '../../../views/form-number.js';
import { html } from '../../../views/html.js';
import { tHtml } from '../../../views/message-html.js';
import { optionBars } from '../choice/templates.js';
import { ofKind, type StoredAnswer } from '../kind.js';
import { MAX_OPTIONS } from '../options.js';
import { rightOptionNumbers, rightOptionsField, typedRightOptions } from '../quiz-templates.js';
import type { KindTemplates } from '../templates.js';
import { pickedOptions } from './kind.js';

const picked = (mine: StoredAnswer | null) => new Set(pickedOptions(mine?.answer ?? null));

/** Multiple choice: a checkbox per option, and how many may be picked. */
export const multiTemplates: KindTemplates = {
  get label() {
    return t('kinds.multi.label');
  },
  typedOptions: true,
  settings: {
    fields: { maxChoices: 8, rightOptions: 80 },
    render: (
      prefix,
      posted,
    ) => html`<label for="${prefix}-max-choices">${tHtml('kinds.multi.maxChoicesLabel', { hint: html`<span class="hint">${t('kinds.multi.maxChoicesHint')}</span>` })}</label>
<input id="${prefix}-max-choices" name="maxChoices" type="number" min="1" max="${MAX_OPTIONS}" inputmode="numeric" value="${posted.maxChoices ?? ''}">
${rightOptionsField(prefix, 'rightOptions', t('kinds.multi.rightOptionsLabel'), posted.rightOptions)}`,
    read(posted) {
      const maxChoices = typedWholeNumber(posted.maxChoices, 'kinds.multi.maxChoicesInvalid');
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
    const hint =
      maxChoices >= options.length ? t('kinds.multi.pickAll') : t('kinds.multi.pickUpTo', { max: maxChoices });
    return html`<fieldset class="pick-several" data-max-choices="${maxChoices}">
<legend class="pick-hint">${hint}</legend>
${options.map(
  (option) =>
    html`<label class="choice"><input type="checkbox" name="optionIds" value="${option.id}" ${picked(mine).has(option.id) ? html`checked` : ''}><span dir="auto">${option.text}</span></label>`,
)}
</fieldset>`;
  },
};
