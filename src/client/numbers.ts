import { pageLocale } from './messages.js';

// Figures the page scripts write, as the page's language writes them ("1,204", "42.5%").

let count: Intl.NumberFormat | undefined;
let percent: Intl.NumberFormat | undefined;

/** A count or an average: "7", "1,204", "3.75". */
export function formatNumber(value: number): string {
  count ??= new Intl.NumberFormat(pageLocale());
  return count.format(value);
}

/** A percentage of 100 with at most one decimal, as `percentOf` gives it: "42%", "42.5%". */
export function formatPercent(value: number): string {
  percent ??= new Intl.NumberFormat(pageLocale(), { style: 'percent', maximumFractionDigits: 1 });
  return percent.format(value / 100);
}
