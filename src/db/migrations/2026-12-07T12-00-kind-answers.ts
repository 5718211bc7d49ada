import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A question keeps the settings of its kind, as JSON (such as how many options a multiple-choice
// voter may pick). A vote names one option only for single choice: other kinds keep their answer
// as JSON, so its option may be null. A word cloud counts how many voters gave each word, a row
// per word, as options count their votes. An open question's answers are rows of their own too,
// each with an id (to be named when moderated), one per voter.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const { kind } = dialectOf(db);
  await db.schema.alterTable('questions').addColumn('settings', 'text').execute();

  if (kind === 'mysql') {
    // MySQL restates the whole column to change it; without `not null`, it takes nulls.
    await db.schema.alterTable('votes').modifyColumn('option_id', 'integer').execute();
    await db.schema.alterTable('votes').addColumn('answer', 'text').execute();
  } else if (kind === 'postgres') {
    await db.schema
      .alterTable('votes')
      .alterColumn('option_id', (c) => c.dropNotNull())
      .execute();
    await db.schema.alterTable('votes').addColumn('answer', 'text').execute();
  } else {
    // SQLite cannot drop a NOT NULL: the table is rebuilt (sqlite.org/lang_altertable.html#otheralter),
    // with its indexes. migrate.ts runs migrations with foreign keys off.
    await db.schema
      .createTable('votes_next')
      .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
      .addColumn('voter_id', 'text', (c) => c.notNull())
      .addColumn('option_id', 'integer', (c) => c.references('options.id').onDelete('cascade'))
      .addColumn('answer', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('address_key', 'text')
      .addPrimaryKeyConstraint('votes_pkey', ['question_id', 'voter_id'])
      .execute();
    await sql`insert into votes_next (question_id, voter_id, option_id, created_at, address_key)
      select question_id, voter_id, option_id, created_at, address_key from votes`.execute(db);
    await db.schema.dropTable('votes').execute();
    await db.schema.alterTable('votes_next').renameTo('votes').execute();
    await db.schema.createIndex('votes_option_id').on('votes').column('option_id').execute();
    await db.schema
      .createIndex('votes_one_per_address')
      .unique()
      .on('votes')
      .columns(['question_id', 'address_key'])
      .execute();
  }

  // A word is at most 25 characters; MySQL keys only a bounded varchar, compared exactly (its
  // default collation would take "Café" and "cafe" for one word), as on the other dialects.
  const word = db.schema
    .createTable('word_counts')
    .addColumn('question_id', 'integer', (c) => c.notNull())
    .addColumn('word', kind === 'mysql' ? sql`varchar(100) collate utf8mb4_bin` : 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('word_counts_pkey', ['question_id', 'word'])
    .addForeignKeyConstraint('word_counts_question_id_fkey', ['question_id'], 'questions', ['id'], (k) =>
      k.onDelete('cascade'),
    );
  await (kind === 'mysql' ? word.modifyEnd(sql`default character set utf8mb4`) : word).execute();

  const answers = db.schema
    .createTable('answers')
    .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
      kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('question_id', 'integer', (c) => c.notNull())
    .addColumn('voter_id', kind === 'mysql' ? 'varchar(255)' : 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('answers_one_per_voter', ['question_id', 'voter_id'])
    .addForeignKeyConstraint('answers_question_id_fkey', ['question_id'], 'questions', ['id'], (k) =>
      k.onDelete('cascade'),
    );
  await (kind === 'mysql'
    ? answers.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`)
    : answers
  ).execute();
}
