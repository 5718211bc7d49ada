import { t } from '../../i18n/request-language.js';
import { formatNumber } from '../../views/format.js';
import { html, type SafeHtml } from '../../views/html.js';

/** One row of a results chart: what it counts, its figures (its votes and their percent) and its bar. */
export type Bar = {
  /** The attribute that names the row for the page script, such as `data-option-id="7"`. */
  key: SafeHtml;
  label: SafeHtml | string;
  /** How long the bar is, of 100. */
  percent: number;
  /** The voter's own answer, marked. */
  mine: boolean;
  /** Whether this is a right answer of a quiz, once its answer shows; undefined for no quiz or before. */
  right?: boolean | undefined;
} & ({ votes: number } | { figures: SafeHtml });

/** A count, a score or an average as the page's language writes it ("1,204", "3.75"), as the page script does. */

/** A quiz's right answer is marked, and so is the voter's pick that was not. */
function rightness(row: Bar): string {
  if (row.right) return ' right';
  return row.right === false && row.mine ? ' missed' : '';
}

/** A bar per row with its count and percent: the page script moves the figures in place. */
export function bars(rows: readonly Bar[]): SafeHtml {
  return html`<ol class="bars">
${rows.map(
  (row) => html`<li class="bar-row${row.mine ? ' chosen' : ''}${rightness(row)}" ${row.key}>
<div class="bar-label"><span class="option-text">${row.label}${row.right ? html` <span class="right-answer">${t('kinds.bars.rightAnswer')}</span>` : ''}</span>${row.mine ? html`<span class="your-vote">${t('kinds.bars.yourVote')}</span>` : ''}
<span class="figures">${'figures' in row ? row.figures : html`<span class="count">${formatNumber(row.votes)}</span> · <span class="percent">${t('kinds.bars.percent', { share: row.percent / 100 })}</span>`}</span></div>
<progress class="bar" max="100" value="${row.percent}" aria-hidden="true"></progress>
</li>`,
)}
</ol>`;
}
