import type { Kysely } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// The admin may disable an account: it keeps its polls, but cannot sign in until enabled again.
// A nullable column without a default is valid on SQLite, PostgreSQL and MySQL alike.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
}
