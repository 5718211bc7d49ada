import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A quiz gives more points for faster right answers: a question keeps when it last went live.
// Voters may pick a nickname for the leaderboard, one per voter and poll, and no two voters of a
// poll alike (compared by a key that ignores case). The presenter may show the leaderboard on
// the screens in place of the question.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const { kind } = dialectOf(db);
  const mysql = kind === 'mysql';
  await db.schema.alterTable('questions').addColumn('live_at', 'text').execute();
  await db.schema
    .alterTable('polls')
    .addColumn('show_leaderboard', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // A nickname is at most 24 characters: MySQL keys only a bounded varchar, compared exactly.
  const nicknames = db.schema
    .createTable('nicknames')
    .addColumn('poll_id', 'integer', (c) => c.notNull())
    .addColumn('voter_id', mysql ? 'varchar(255)' : 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', mysql ? 'varchar(100)' : 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('nicknames_pkey', ['poll_id', 'voter_id'])
    .addUniqueConstraint('nicknames_one_per_name', ['poll_id', 'name_key'])
    .addForeignKeyConstraint('nicknames_poll_id_fkey', ['poll_id'], 'polls', ['id'], (k) => k.onDelete('cascade'));
  await (mysql ? nicknames.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`) : nicknames).execute();
}
