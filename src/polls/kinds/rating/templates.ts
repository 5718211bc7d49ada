import { AppError } from '../../../errors.js';
import { t } from '../../../i18n/request-language.js';
import { typedWholeNumber } from '../../../views/form-number.js';
import { formatNumber } from '../../../views/format.js';
import { html } from '../../../views/html.js';
import { tHtml } from '../../../views/message-html.js';
import { bars } from '../bars.js';
import { ofKind, type RatingScale } from '../kind.js';
import type { KindTemplates } from '../templates.js';
import { HIGHEST_RATING, LOWEST_RATING, ratedValue } from './kind.js';

/** A value with the label of its end of the scale, if it has one. */
function valueLabel(value: number, scale: RatingScale): string {
  const label = value === scale.min ? scale.minLabel : value === scale.max ? scale.maxLabel : undefined;
  return label ? `${value} · ${label}` : String(value);
}

/** Rating: a row of values to pick one from; results are the average and a bar per value. */
export const ratingTemplates: KindTemplates = {
  get label() {
    return t('kinds.rating.label');
  },
  typedOptions: false,
  settings: {
    fields: { scaleMin: 8, scaleMax: 8, minLabel: 200, maxLabel: 200 },
    render(prefix, posted) {
      const meaning = tHtml('kinds.rating.meaning', {
        hint: html`<span class="hint">${t('kinds.rating.optional')}</span>`,
      });
      return html`<div class="scale-ends">
<div><label for="${prefix}-scale-min">${t('kinds.rating.from')}</label>
<input id="${prefix}-scale-min" name="scaleMin" type="number" min="${LOWEST_RATING}" max="${HIGHEST_RATING}" inputmode="numeric" placeholder="1" value="${posted.scaleMin ?? ''}"></div>
<div><label for="${prefix}-min-label">${meaning}</label>
<input id="${prefix}-min-label" name="minLabel" maxlength="60" placeholder="${t('kinds.rating.minPlaceholder')}" value="${posted.minLabel ?? ''}" dir="auto"></div>
<div><label for="${prefix}-scale-max">${t('kinds.rating.to')}</label>
<input id="${prefix}-scale-max" name="scaleMax" type="number" min="${LOWEST_RATING}" max="${HIGHEST_RATING}" inputmode="numeric" placeholder="5" value="${posted.scaleMax ?? ''}"></div>
<div><label for="${prefix}-max-label">${meaning}</label>
<input id="${prefix}-max-label" name="maxLabel" maxlength="60" placeholder="${t('kinds.rating.maxPlaceholder')}" value="${posted.maxLabel ?? ''}" dir="auto"></div>
</div>`;
    },
    read(posted) {
      const range = { min: LOWEST_RATING, max: HIGHEST_RATING };
      const min = typedWholeNumber(posted.scaleMin, 'kinds.rating.scaleInvalid', range);
      const max = typedWholeNumber(posted.scaleMax, 'kinds.rating.scaleInvalid', range);
      if ((min !== undefined && min > HIGHEST_RATING) || (max !== undefined && max > HIGHEST_RATING)) {
        throw new AppError('validation_failed', 'kinds.rating.scaleInvalid', range);
      }
      return {
        scale: {
          ...(min === undefined ? {} : { min }),
          ...(max === undefined ? {} : { max }),
          ...(posted.minLabel?.trim() ? { minLabel: posted.minLabel } : {}),
          ...(posted.maxLabel?.trim() ? { maxLabel: posted.maxLabel } : {}),
        },
      };
    },
  },

  results(question, mine) {
    const { scale, distribution, average } = ofKind(question, 'rating');
    const own = ratedValue(mine);
    return html`<p class="rating-average"><span class="average">${average === null ? '–' : formatNumber(average)}</span> <span class="hint">${t('kinds.rating.averageHint', { min: scale.min, max: scale.max })}</span></p>
${bars(
  distribution.map((row) => ({
    key: html`data-value="${row.value}"`,
    label: valueLabel(row.value, scale),
    votes: row.votes,
    percent: row.percent,
    mine: row.value === own,
  })),
)}`;
  },

  answerFields(question, mine) {
    const { scale } = ofKind(question, 'rating');
    const own = ratedValue(mine);
    const values = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
    return html`<fieldset class="rating-scale">
<legend class="pick-hint">${t('kinds.rating.legend', { from: valueLabel(scale.min, scale), to: valueLabel(scale.max, scale) })}</legend>
<div class="rating-values">${values.map(
      (value) =>
        html`<label class="rating-value"><input type="radio" name="value" value="${value}" required${value === own ? html` checked` : ''}><span>${value}</span></label>`,
    )}</div>
</fieldset>`;
  },
};
