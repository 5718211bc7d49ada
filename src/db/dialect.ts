import { type InsertQueryBuilder, type InsertResult, type Kysely, MysqlAdapter, PostgresAdapter, sql } from 'kysely';
import type { Database, DbOrTrx } from './database.js';

export type DialectKind = 'sqlite' | 'postgres' | 'mysql';

/** What the SQL of one database can say, where the three differ. */
export interface DialectTraits {
  readonly kind: DialectKind;
  /**
   * `insert … returning` and `update … returning`. MySQL and MariaDB lack them: an insert
   * reports the id it generated, and rows to lock are read with `select … for update`.
   */
  readonly returning: boolean;
  /** The type `cast` takes for a signed whole number. */
  readonly integerCast: 'integer' | 'signed';
}

const TRAITS: Record<DialectKind, DialectTraits> = {
  sqlite: { kind: 'sqlite', returning: true, integerCast: 'integer' },
  postgres: { kind: 'postgres', returning: true, integerCast: 'integer' },
  mysql: { kind: 'mysql', returning: false, integerCast: 'signed' },
};

/**
 * The traits of the database behind `db` (or behind a transaction on it). The adapter is the
 * one `createDb` chose from DATABASE_URL, so this is the only place that tells dialects apart.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations hold an untyped Kysely
export function dialectOf(db: Kysely<any>): DialectTraits {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof MysqlAdapter) return TRAITS.mysql;
  if (adapter instanceof PostgresAdapter) return TRAITS.postgres;
  return TRAITS.sqlite;
}

/** Runs a one-row insert and answers the id the database gave the row. */
export async function insertReturningId<Table extends 'users' | 'polls' | 'questions' | 'qa_items'>(
  db: DbOrTrx,
  insert: InsertQueryBuilder<Database, Table, InsertResult>,
): Promise<number> {
  if (dialectOf(db).returning) {
    const { id } = await insert.returning(sql<number>`id`.as('id')).executeTakeFirstOrThrow();
    return Number(id);
  }
  const { insertId } = await insert.executeTakeFirstOrThrow();
  return Number(insertId);
}
