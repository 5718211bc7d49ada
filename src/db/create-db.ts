import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  MysqlDialect,
  type MysqlPool,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import mysql from 'mysql2';
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
  if (target.dialect === 'mysql') return createMysqlDb(target.url);
  if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
  const sqlite = new SQLite(target.path);
  sqlite.pragma('journal_mode = WAL');
  // FULL syncs the WAL on every commit: an acknowledged vote survives a power cut, not only a
  // crash of the process. Votes are committed in batches, so the cost is paid once per batch.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
}

// Kysely prepares each query anew, and preparing was a seventh of the server's time under a steady
// vote load. Queries are parameterized, so a few statements serve every request: each is kept by its
// SQL text, the least recently used dropped beyond this many (lists of ids vary in length).
const KEPT_STATEMENTS = 500;

/** The SQLite database as Kysely sees it, each statement prepared once and then reused. */
function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else {
        statement = sqlite.prepare(sql);
        if (statements.size >= KEPT_STATEMENTS) statements.delete(statements.keys().next().value ?? '');
      }
      // Last in the map: the most recently used.
      statements.set(sql, statement);
      return statement;
    },
  };
}

// As for PostgreSQL: a request fails (503) when no connection can be had within this.
const CONNECTION_WAIT_MS = 3000;

/**
 * mysql2 times only the opening of a connection: while every pooled connection is busy (a server
 * that stalls mid-query), a request would wait in the pool's queue for ever. This bounds the wait,
 * with the message isDatabaseUnavailable knows; a connection that comes too late goes back.
 */
function boundedWait(pool: mysql.Pool): MysqlPool {
  return {
    getConnection(callback) {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        callback(new Error('timeout exceeded when trying to connect'), undefined as never);
      }, CONNECTION_WAIT_MS);
      pool.getConnection((error, connection) => {
        if (late) return void connection?.release();
        clearTimeout(timer);
        callback(error, connection);
      });
    },
    end: (callback) => pool.end(callback),
  };
}

function createMysqlDb(url: string): Db {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: 10,
    connectTimeout: CONNECTION_WAIT_MS,
    charset: 'utf8mb4',
  });
  // A dropped connection must not crash the process: the pool forgets it (it listens only once),
  // and a query in progress fails with its own error.
  pool.on('connection', (connection) => connection.on('error', () => {}));
  return new Kysely({
    dialect: new MysqlDialect({
      pool: boundedWait(pool),
      // PostgreSQL's default: every statement sees what others committed before it. The queries
      // are written for it; under InnoDB's repeatable read, a read after taking a row lock could
      // still see the snapshot from before the lock was granted.
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw('set session transaction isolation level read committed'));
      },
    }),
  });
}
