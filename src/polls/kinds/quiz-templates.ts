import { AppError } from '../../errors.js';
import { t } from '../../i18n/request-language.js';
import { html } from '../../views/html.js';

// The typed-question forms make a quiz question from the numbers of its right options, as the
// option rows count them (from 1); the API takes their places (from 0).

/** The field of a form's right options, for a kind whose form field is `name`. */
export const rightOptionsField = (prefix: string, name: string, label: string, typed: string | undefined) =>
  html`<label for="${prefix}-${name}">${label} <span class="hint">${t('kinds.quiz.fieldHint')}</span></label>
<input id="${prefix}-${name}" name="${name}" inputmode="numeric" autocomplete="off" value="${typed ?? ''}">`;

/** Arabic-Indic (٠–٩) and Persian (۰–۹) digits as 0–9. */
const westernDigits = (text: string) =>
  text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) & 0xf));

/** The places of the right options typed as option numbers ("2", or "1, 3"); none when empty. */
export function typedRightOptions(typed: string | undefined): { correct?: number[] } {
  const text = typed?.trim() ?? '';
  if (!text) return {};
  // Keyboards in Arabic type "١، ٣": their comma and digits count like the Latin ones.
  const numbers = westernDigits(text)
    .split(/[\s,;،؛]+/)
    .filter(Boolean);
  if (numbers.some((number) => !/^\d{1,2}$/.test(number) || Number(number) < 1)) {
    throw new AppError('validation_failed', 'kinds.quiz.rightOptionsInvalid');
  }
  return { correct: numbers.map((number) => Number(number) - 1) };
}

/** The right options' numbers as the form shows them ("1, 3"); empty for no quiz. */
export const rightOptionNumbers = (correct: readonly number[] | undefined) =>
  (correct ?? []).map((place) => place + 1).join(', ');
