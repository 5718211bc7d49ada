import { AppError } from '../../../errors.js';
import { typedWholeNumber } from '../../../views/form-number.js';
import { html } from '../../../views/html.js';
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
  label: 'Rating',
  typedOptions: false,
  settings: {
    fields: { scaleMin: 8, scaleMax: 8, minLabel: 200, maxLabel: 200 },
    render: (prefix, posted) => html`<div class="scale-ends">
<div><label for="${prefix}-scale-min">From</label>
<input id="${prefix}-scale-min" name="scaleMin" type="number" min="${LOWEST_RATING}" max="${HIGHEST_RATING}" inputmode="numeric" placeholder="1" value="${posted.scaleMin ?? ''}"></div>
<div><label for="${prefix}-min-label">meaning <span class="hint">(optional)</span></label>
<input id="${prefix}-min-label" name="minLabel" maxlength="60" placeholder="Not at all" value="${posted.minLabel ?? ''}"></div>
<div><label for="${prefix}-scale-max">To</label>
<input id="${prefix}-scale-max" name="scaleMax" type="number" min="${LOWEST_RATING}" max="${HIGHEST_RATING}" inputmode="numeric" placeholder="5" value="${posted.scaleMax ?? ''}"></div>
<div><label for="${prefix}-max-label">meaning <span class="hint">(optional)</span></label>
<input id="${prefix}-max-label" name="maxLabel" maxlength="60" placeholder="Very much" value="${posted.maxLabel ?? ''}"></div>
</div>`,
    read(posted) {
      const range = `The scale's ends are whole numbers from ${LOWEST_RATING} to ${HIGHEST_RATING}, or empty.`;
      const min = typedWholeNumber(posted.scaleMin, range);
      const max = typedWholeNumber(posted.scaleMax, range);
      if ((min !== undefined && min > HIGHEST_RATING) || (max !== undefined && max > HIGHEST_RATING)) {
        throw new AppError('validation_failed', range);
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
    return html`<p class="rating-average"><span class="average">${average ?? '–'}</span> <span class="hint">average, on a scale of ${scale.min} to ${scale.max}</span></p>
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
<legend class="pick-hint">Rate from ${valueLabel(scale.min, scale)} to ${valueLabel(scale.max, scale)}</legend>
<div class="rating-values">${values.map(
      (value) =>
        html`<label class="rating-value"><input type="radio" name="value" value="${value}" required${value === own ? html` checked` : ''}><span>${value}</span></label>`,
    )}</div>
</fieldset>`;
  },
};
