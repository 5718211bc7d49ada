/** Whether a failed write broke a unique constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  // PostgreSQL's SQLSTATE, and better-sqlite3's extended result codes.
  return (
    error.code === '23505' || error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

// PostgreSQL's connection-exception class (08), shutdown codes (57P01-57P03), and Node's socket errors.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);
// What node-postgres throws, without a code, when a connection drops or cannot be had in time.
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error|not queryable/i;

/** Whether an error means the database cannot be reached (or is busy), rather than a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code === 'SQLITE_BUSY') return true;
  return 'message' in error && typeof error.message === 'string' && UNREACHABLE_MESSAGES.test(error.message);
}
