import type { Kysely } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A question has a kind (single choice, multiple choice, rating…). Every question made before
// kinds existed was single choice, which the column's default keeps. A bounded varchar, as for the
// settings' keys, behaves alike on SQLite, PostgreSQL and MySQL.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('questions')
    .addColumn('kind', 'varchar(16)', (c) => c.notNull().defaultTo('choice'))
    .execute();
}
