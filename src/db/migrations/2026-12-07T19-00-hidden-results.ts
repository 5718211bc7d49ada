import type { Kysely } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A question may keep its results from the audience until the organizer reveals them (the time
// of the reveal is `revealed_at`, shared with a quiz's answer); a poll says whether its new
// questions do.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('questions')
    .addColumn('hide_results', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('polls')
    .addColumn('hide_results', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
