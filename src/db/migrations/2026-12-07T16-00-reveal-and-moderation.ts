import type { Kysely } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A quiz question keeps its right answer secret until the organizer reveals it: the time of the
// reveal. The organizer may hide a word of a cloud or an open answer from every screen (the row
// stays, so hiding can be undone and the count stays exact); a hidden word may be a row of no
// votes yet, hidden before anyone gives it. A poll may filter profanity from words and answers.
// Screens show an open question's latest shown answers: an index finds them without reading
// every answer, however many there are.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('questions').addColumn('revealed_at', 'text').execute();
  await db.schema
    .alterTable('word_counts')
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('answers')
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('answers_latest_shown').on('answers').columns(['question_id', 'hidden', 'id']).execute();
  await db.schema
    .alterTable('polls')
    .addColumn('profanity_filter', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
