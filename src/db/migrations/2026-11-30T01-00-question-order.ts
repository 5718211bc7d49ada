import { type Kysely, sql } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A poll's questions keep the order the organizer made them in and may be moved; until now the
// order was that of their ids, which the backfill keeps.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('questions')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update questions set position = id`.execute(db);
  await db.schema.createIndex('questions_poll_position').on('questions').columns(['poll_id', 'position']).execute();
}
