/** Whether a failed write broke a unique constraint, on any dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  // PostgreSQL's SQLSTATE, better-sqlite3's extended result codes, and mysql2's name for MySQL's 1062.
  return (
    error.code === '23505' ||
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    error.code === 'ER_DUP_ENTRY'
  );
}

// PostgreSQL's connection-exception class (08), shutdown codes (57P01-57P03), Node's socket errors,
// and mysql2's: a connection lost or refused, the server full, shutting down, or a lock not had in time.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
]);
// What node-postgres and mysql2 throw, without a code, when a connection drops or cannot be had in time.
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error|not queryable|Pool is closed|connection is in closed state|Connection lost/i;

/** Whether an error means the database cannot be reached (or is busy), rather than a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code === 'SQLITE_BUSY') return true;
  return 'message' in error && typeof error.message === 'string' && UNREACHABLE_MESSAGES.test(error.message);
}
