import { Migrator, sql } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';
import { migrations } from './migrations/index.js';

/**
 * Kysely looks for its bookkeeping tables in every schema unless told which one: on a
 * PostgreSQL database shared with other schemas (another Pollcast, a test run), it would
 * take their tables for its own. Name the schema that `search_path` selects. (On MySQL a
 * schema is a database, and Kysely looks only in the one connected to.)
 */
async function migrationSchema(db: Db): Promise<string | undefined> {
  if (dialectOf(db).kind !== 'postgres') return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

/**
 * SQLite changes some columns only by rebuilding their table, and dropping a parent table
 * with foreign keys on would delete its children. SQLite's own procedure: keys off while
 * migrating (the pragma is ignored inside a transaction, so it is set around the run), then
 * check every reference before turning them back on.
 */
async function withoutSqliteForeignKeys<T>(db: Db, run: () => Promise<T>): Promise<T> {
  if (dialectOf(db).kind !== 'sqlite') return run();
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    const result = await run();
    const { rows } = await sql`pragma foreign_key_check`.execute(db);
    if (rows.length > 0) throw new Error(`Migration left ${rows.length} broken references.`);
    return result;
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/** Brings the schema up to date; throws (and leaves the failing migration unapplied) on error. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return withoutSqliteForeignKeys(db, () => runMigrations(db));
}

async function runMigrations(db: Db): Promise<string[]> {
  const schema = await migrationSchema(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error : new Error(String(error ?? 'unknown error'));
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${cause.message}`, { cause });
  }
  return results.map((result) => result.migrationName);
}
