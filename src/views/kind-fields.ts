import { kindChoices } from '../polls/kinds/templates.js';
import { html, type SafeHtml } from './html.js';

/** What a question form held for its kind when it comes back: the kind, and each setting as typed. */
export interface KindDraft {
  kind?: string | undefined;
  settings?: Readonly<Record<string, string>> | undefined;
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
    ({ name, label, typedOptions }) =>
      html`<label class="inline"><input type="radio" name="kind" value="${name}" data-options="${typedOptions ? 'yes' : 'no'}"${name === picked ? html` checked` : ''}> ${label}</label>`,
  )}</div>
${kindChoices.map(({ name, label, settings }) =>
  settings
    ? html`<fieldset class="kind-setting" data-for-kind="${name}"><legend>${label}</legend>
${settings.render(prefix, draft.settings ?? {})}
</fieldset>`
    : '',
)}
</fieldset>`;
}
