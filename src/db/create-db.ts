import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.js';
import type { Db } from './database.js';

export function createDb(target: DatabaseTarget): Db {
  if (target.dialect === 'postgres') {
    // A database that cannot be reached must fail requests quickly (503), not leave them waiting.
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 3000 });
    // A client losing its connection must not crash the process: the pool replaces it, and a
    // query in progress fails (and its request answers 503). The pool listens on idle clients;
    // this covers clients that are checked out, between a transaction's statements.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return new Kysely({ dialect: new PostgresDialect({ pool }) });
  }
  if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
  const sqlite = new SQLite(target.path);
  sqlite.pragma('journal_mode = WAL');
  // FULL syncs the WAL on every commit: an acknowledged vote survives a power cut, not only a
  // crash of the process. Votes are committed in batches, so the cost is paid once per batch.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
}
