/** The size step (1–6) of a word given `count` times, when the most given was given `most` times. */
export function wordSize(count: number, most: number): number {
  if (most <= 0) return 1;
  return 1 + Math.round((5 * Math.sqrt(count)) / Math.sqrt(most));
}
