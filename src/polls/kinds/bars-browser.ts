import { formatNumber, formatPercent } from '../../client/numbers.js';
import { percentOf } from '../../realtime/messages.js';

/** Moves one bar drawn by `bars` to its new count, of the total. */
export function moveBar(
  row: Element | null,
  votes: number,
  total: number,
  setText: (element: Element | null, text: string) => void,
): void {
  if (!row) return;
  const percent = percentOf(votes, total);
  setText(row.querySelector('.count'), formatNumber(votes));
  setText(row.querySelector('.percent'), formatPercent(percent));
  const bar = row.querySelector('progress');
  if (bar) bar.value = percent;
}
