import { html, type SafeHtml } from '../../views/html.js';

/** One row of a results chart: what it counts, its votes and their percent. */
export interface Bar {
  /** The attribute that names the row for the page script, such as `data-option-id="7"`. */
  key: SafeHtml;
  label: SafeHtml | string;
  votes: number;
  percent: number;
  /** The voter's own answer, marked. */
  mine: boolean;
}

/** A bar per row with its count and percent: the page script moves the figures in place. */
export function bars(rows: readonly Bar[]): SafeHtml {
  return html`<ol class="bars">
${rows.map(
  (row) => html`<li class="bar-row${row.mine ? ' chosen' : ''}" ${row.key}>
<div class="bar-label"><span class="option-text">${row.label}</span>${row.mine ? html`<span class="your-vote">your vote</span>` : ''}
<span class="figures"><span class="count">${row.votes}</span> · <span class="percent">${row.percent}%</span></span></div>
<progress class="bar" max="100" value="${row.percent}" aria-hidden="true"></progress>
</li>`,
)}
</ol>`;
}
