import { t } from '../i18n/request-language.js';
import { MAX_OPTIONS, MIN_OPTIONS } from '../polls/kinds/options.js';
import { html, type SafeHtml } from './html.js';

const SHOWN_ROWS = 4;

/**
 * Answer option inputs with add and remove buttons. Without JavaScript, "Add option" posts
 * the form back and gets one more row; with it, rows come and go in place (option-rows.ts).
 */
export function optionRows(values: readonly string[] = [], extraRow = false): SafeHtml {
  const count = Math.min(MAX_OPTIONS, Math.max(SHOWN_ROWS, values.length + (extraRow ? 1 : 0)));
  const rows = Array.from({ length: count }, (_, i) => values[i] ?? '');
  return html`<fieldset class="option-rows" data-min="${MIN_OPTIONS}" data-max="${MAX_OPTIONS}">
<legend>${t('organizer.form.answerOptions')} <span class="hint">${t('organizer.form.answerOptionsHint', { min: MIN_OPTIONS, max: MAX_OPTIONS })}</span></legend>
${rows.map(
  (value, i) => html`<div class="option-row">
<label class="visually-hidden" for="option-${i}">${t('organizer.form.option', { number: i + 1 })}</label>
<input id="option-${i}" name="options" value="${value}" maxlength="200" placeholder="${t('organizer.form.option', { number: i + 1 })}" dir="auto">
<button type="button" class="remove-option link" aria-label="${t('organizer.form.removeOption', { number: i + 1 })}" hidden>✕</button>
</div>`,
)}
<button type="submit" name="more" value="1" class="add-option" formnovalidate>${t('organizer.form.addOption')}</button>
<p class="form-error notice error" role="alert" hidden></p>
</fieldset>`;
}
