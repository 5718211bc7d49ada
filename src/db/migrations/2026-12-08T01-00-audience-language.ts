import type { Kysely } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A poll may name the language its audience's pages speak to visitors who have not picked one
// (a BCP 47 tag of a catalog, such as "de" or "pt-BR"); null lets each visitor's browser decide.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('polls').addColumn('language', 'varchar(16)').execute();
}
