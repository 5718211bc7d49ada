import { type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// Migrations see the schema as it was then, not as src/db/database.ts describes it now: hence `any`.

// biome-ignore lint/suspicious/noExplicitAny: see above
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // The one dialect difference: how an auto-numbered key is spelled.
  const withId = (table: CreateTableBuilder<string, never>) =>
    postgres
      ? table.addColumn('id', 'serial', (c) => c.primaryKey())
      : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  await withId(db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_key', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'organizer')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('polls'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('questions'))
    .addColumn('poll_id', 'integer', (c) => c.notNull().references('polls.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'live', 'closed')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('total_votes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The database itself guarantees at most one live question per poll.
  await db.schema
    .createIndex('questions_one_live_per_poll')
    .on('questions')
    .column('poll_id')
    .unique()
    .where(sql.ref('status'), '=', 'live')
    .execute();
  await db.schema.createIndex('questions_poll_id').on('questions').columns(['poll_id', 'id']).execute();

  await withId(db.schema.createTable('options'))
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('votes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('options_question_id').on('options').columns(['question_id', 'position']).execute();

  // The primary key is the one-vote-per-voter-per-question rule.
  await db.schema
    .createTable('votes')
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('voter_id', 'text', (c) => c.notNull())
    .addColumn('option_id', 'integer', (c) => c.notNull().references('options.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('votes_pkey', ['question_id', 'voter_id'])
    .execute();
  await db.schema.createIndex('votes_option_id').on('votes').column('option_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['votes', 'options', 'questions', 'polls', 'sessions', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
