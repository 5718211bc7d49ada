import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A poll's current question: the one most recently made live. It stays current after it closes
// (screens keep its final results) until another question goes live, and is cleared when it is
// deleted (the foreign key sets it to null).

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = dialectOf(db).kind === 'sqlite';
  // SQLite adds a foreign key only with its column; MySQL ignores a key written inline with the
  // column, so elsewhere the key is its own constraint.
  await db.schema
    .alterTable('polls')
    .addColumn('current_question_id', 'integer', (c) =>
      sqlite ? c.references('questions.id').onDelete('set null') : c,
    )
    .execute();
  // Deleting a question looks up the polls that point at it.
  await db.schema.createIndex('polls_current_question_id').on('polls').column('current_question_id').execute();
  if (!sqlite) {
    await db.schema
      .alterTable('polls')
      .addForeignKeyConstraint('polls_current_question_id_fkey', ['current_question_id'], 'questions', ['id'])
      .onDelete('set null')
      .execute();
  }
  // Before this column, the live question was the only one shown. Where none is live, the
  // question closed last (the latest change among the closed ones) is the best guess of the one
  // that was live most recently.
  await sql`update polls set current_question_id = (
    select q.id from questions q
    where q.poll_id = polls.id and q.status in ('live', 'closed')
    order by case when q.status = 'live' then 0 else 1 end, q.updated_at desc, q.id desc
    limit 1
  )`.execute(db);
}
