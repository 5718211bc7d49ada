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
<legend>Answer options <span class="hint">(${MIN_OPTIONS} to ${MAX_OPTIONS}; empty rows are left out)</span></legend>
${rows.map(
  (value, i) => html`<div class="option-row">
<label class="visually-hidden" for="option-${i}">Option ${i + 1}</label>
<input id="option-${i}" name="options" value="${value}" maxlength="200" placeholder="Option ${i + 1}">
<button type="button" class="remove-option link" aria-label="Remove option ${i + 1}" hidden>✕</button>
</div>`,
)}
<button type="submit" name="more" value="1" class="add-option" formnovalidate>+ Add option</button>
<p class="form-error notice error" role="alert" hidden></p>
</fieldset>`;
}
