import type { Kysely } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// Settings every instance on the database must share, such as the generated session secret: kept in
// the database rather than in one instance's data folder. A bounded varchar key (a text column cannot
// be a primary key on MySQL) and a text value are valid on SQLite, PostgreSQL and MySQL alike.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
