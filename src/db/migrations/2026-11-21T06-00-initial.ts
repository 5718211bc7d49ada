import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// (Its MySQL branches came later; what it makes on SQLite and PostgreSQL is unchanged.)
// Migrations see the schema as it was then, not as src/db/database.ts describes it now: hence `any`.

type Table = CreateTableBuilder<string, never>;

// biome-ignore lint/suspicious/noExplicitAny: see above
export async function up(db: Kysely<any>): Promise<void> {
  const { kind } = dialectOf(db);
  const mysql = kind === 'mysql';
  // How an auto-numbered key is spelled.
  const withId = (table: Table) =>
    kind === 'postgres'
      ? table.addColumn('id', 'serial', (c) => c.primaryKey())
      : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  // MySQL keys no `text` column (only a prefix of it): keyed text is a bounded varchar there.
  const keyText = mysql ? 'varchar(255)' : 'text';
  // MySQL ignores a foreign key written with its column: there each is a constraint of the table.
  const references = (c: ColumnDefinitionBuilder, target: string) =>
    mysql ? c : c.references(target).onDelete('cascade');
  // MySQL's default collation ignores case: join codes and token hashes must compare exactly,
  // as on the other dialects. Its foreign keys are named as PostgreSQL names them.
  const forMysql = <C extends string>(table: CreateTableBuilder<string, C>, name: string, keys: [C, string][]) =>
    mysql
      ? keys
          .reduce(
            (t, [column, parent]) =>
              t.addForeignKeyConstraint(`${name}_${column}_fkey`, [column], parent, ['id'], (k) =>
                k.onDelete('cascade'),
              ),
            table,
          )
          .modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`)
      : table;

  const users = withId(db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_key', keyText, (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'organizer')`))
    .addColumn('created_at', 'text', (c) => c.notNull());
  await forMysql(users, 'users', []).execute();

  const sessions = db.schema
    .createTable('sessions')
    .addColumn('id', keyText, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => references(c.notNull(), 'users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull());
  await forMysql(sessions, 'sessions', [['user_id', 'users']]).execute();

  const polls = withId(db.schema.createTable('polls'))
    .addColumn('code', keyText, (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => references(c.notNull(), 'users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull());
  await forMysql(polls, 'polls', [['owner_id', 'users']]).execute();

  const questions = withId(db.schema.createTable('questions'))
    .addColumn('poll_id', 'integer', (c) => references(c.notNull(), 'polls.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'live', 'closed')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('total_votes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull());
  // The database itself guarantees at most one live question per poll. MySQL has no partial
  // index: a unique index on the poll id of live questions only (null for the others, and nulls
  // never clash). Virtual, not stored: MySQL refuses a cascading key on a stored column's source.
  await forMysql(
    mysql
      ? questions.addColumn('live_poll_id', 'integer', (c) =>
          c.generatedAlwaysAs(sql`case when status = 'live' then poll_id end`),
        )
      : questions,
    'questions',
    [['poll_id', 'polls']],
  ).execute();
  if (mysql) {
    await db.schema
      .createIndex('questions_one_live_per_poll')
      .on('questions')
      .column('live_poll_id')
      .unique()
      .execute();
  } else {
    await db.schema
      .createIndex('questions_one_live_per_poll')
      .on('questions')
      .column('poll_id')
      .unique()
      .where(sql.ref('status'), '=', 'live')
      .execute();
  }
  await db.schema.createIndex('questions_poll_id').on('questions').columns(['poll_id', 'id']).execute();

  const options = withId(db.schema.createTable('options'))
    .addColumn('question_id', 'integer', (c) => references(c.notNull(), 'questions.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('votes', 'integer', (c) => c.notNull().defaultTo(0));
  await forMysql(options, 'options', [['question_id', 'questions']]).execute();
  await db.schema.createIndex('options_question_id').on('options').columns(['question_id', 'position']).execute();

  // The primary key is the one-vote-per-voter-per-question rule.
  const votes = db.schema
    .createTable('votes')
    .addColumn('question_id', 'integer', (c) => references(c.notNull(), 'questions.id'))
    .addColumn('voter_id', keyText, (c) => c.notNull())
    .addColumn('option_id', 'integer', (c) => references(c.notNull(), 'options.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('votes_pkey', ['question_id', 'voter_id']);
  await forMysql(votes, 'votes', [
    ['question_id', 'questions'],
    ['option_id', 'options'],
  ]).execute();
  await db.schema.createIndex('votes_option_id').on('votes').column('option_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['votes', 'options', 'questions', 'polls', 'sessions', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
