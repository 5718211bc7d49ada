import { kindChoices } from '../polls/kinds/templates.js';
import { html, type SafeHtml } from './html.js';

/** What a question form held for its kind when it comes back. */
export interface KindDraft {
  kind?: string | undefined;
  maxChoices?: string | undefined;
}

/**
 * The kind of a typed question, and the settings of the kinds that have some. Every setting is
 * shown, each saying which kind it is for: the form works without JavaScript.
 */
export function kindFields(prefix: string, draft: KindDraft = {}): SafeHtml {
  const picked = draft.kind ?? 'choice';
  return html`<fieldset class="kind-fields">
<legend>Kind of question</legend>
<div class="kind-choices">${kindChoices.map(
    ({ name, label }) =>
      html`<label class="inline"><input type="radio" name="kind" value="${name}"${name === picked ? html` checked` : ''}> ${label}</label>`,
  )}</div>
<div class="kind-setting" data-for-kind="multi">
<label for="${prefix}-max-choices">Multiple choice: each voter picks up to <span class="hint">(empty: as many as they like)</span></label>
<input id="${prefix}-max-choices" name="maxChoices" type="number" min="1" max="20" inputmode="numeric" value="${draft.maxChoices ?? ''}">
</div>
</fieldset>`;
}
