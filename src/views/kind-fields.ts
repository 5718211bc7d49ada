import { t } from '../i18n/request-language.js';
import type { KindName } from '../polls/kinds/index.js';
import { kindChoices } from '../polls/kinds/templates.js';
import { html, type SafeHtml } from './html.js';

/** What a question form held for its kind when it comes back: the kind, and each setting as typed. */
export interface KindDraft {
  kind?: string | undefined;
  settings?: Readonly<Record<string, string>> | undefined;
}

/** The kinds a form offers: every kind, or those named. */
const offered = (names: readonly KindName[] | undefined) =>
  names ? kindChoices.filter((kind) => names.includes(kind.name)) : kindChoices;

/** A radio button per kind, the picked one checked. */
export function kindRadios(picked: string, names?: readonly KindName[]): SafeHtml {
  return html`<div class="kind-choices">${offered(names).map(
    ({ name, label, typedOptions }) =>
      html`<label class="inline"><input type="radio" name="kind" value="${name}" data-options="${typedOptions ? 'yes' : 'no'}"${name === picked ? html` checked` : ''}> ${label}</label>`,
  )}</div>`;
}

/**
 * The kind of a typed question (of every kind, or those named), and the settings of the kinds
 * that have some. Every setting is shown, each saying which kind it is for: the form works
 * without JavaScript.
 */
export function kindFields(prefix: string, draft: KindDraft = {}, names?: readonly KindName[]): SafeHtml {
  const picked = draft.kind ?? 'choice';
  return html`<fieldset class="kind-fields">
<legend>${t('organizer.form.kind')}</legend>
${kindRadios(picked, names)}
${offered(names).map(({ name, label, settings }) =>
  settings
    ? html`<fieldset class="kind-setting" data-for-kind="${name}"><legend>${label}</legend>
${settings.render(prefix, draft.settings ?? {})}
</fieldset>`
    : '',
)}
</fieldset>`;
}
