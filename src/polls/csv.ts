/**
 * RFC 4180 CSV. Spreadsheets run a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula: such text cells get a leading apostrophe, shown as plain text.
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
