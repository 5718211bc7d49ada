import type { Kysely } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A question may have a time limit: each time it goes live, it closes that many seconds later.
// The presenter may also start a countdown on the live question. Where a countdown runs, the
// moment it ends; any instance closes the question then, even one that was down at that moment.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('questions').addColumn('time_limit_sec', 'integer').execute();
  await db.schema.alterTable('questions').addColumn('closes_at', 'text').execute();
}
