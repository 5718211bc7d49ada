import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// A poll may take questions from its audience: whether it does, whether the organizer approves
// each before it shows, whether askers may give their name, and which question the presenter
// view highlights. Each question counts its upvotes; an upvote is a row, one per voter and
// question, so that it can be taken back and never counted twice.

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const { kind } = dialectOf(db);
  const mysql = kind === 'mysql';
  for (const column of ['qa_open', 'qa_moderated', 'qa_named']) {
    await db.schema
      .alterTable('polls')
      .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await db.schema.alterTable('polls').addColumn('qa_highlight_id', 'integer').execute();

  const items = db.schema
    .createTable('qa_items')
    .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
      kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('poll_id', 'integer', (c) => c.notNull())
    .addColumn('voter_id', mysql ? 'varchar(255)' : 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'dismissed')`))
    .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('qa_items_poll_id_fkey', ['poll_id'], 'polls', ['id'], (k) => k.onDelete('cascade'));
  await (mysql ? items.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`) : items).execute();
  await db.schema.createIndex('qa_items_by_poll').on('qa_items').columns(['poll_id', 'status', 'id']).execute();

  const upvotes = db.schema
    .createTable('qa_upvotes')
    .addColumn('item_id', 'integer', (c) => c.notNull())
    .addColumn('voter_id', mysql ? 'varchar(255)' : 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('qa_upvotes_pkey', ['item_id', 'voter_id'])
    .addForeignKeyConstraint('qa_upvotes_item_id_fkey', ['item_id'], 'qa_items', ['id'], (k) => k.onDelete('cascade'));
  await (mysql ? upvotes.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`) : upvotes).execute();
}
