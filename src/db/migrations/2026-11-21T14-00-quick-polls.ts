import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// Quick polls have no owner, only a manage token (its hash is stored, never the token).

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const { kind } = dialectOf(db);
  if (kind === 'mysql') {
    // MySQL restates the whole column to change it; without `not null`, it takes nulls.
    await db.schema.alterTable('polls').modifyColumn('owner_id', 'integer').execute();
    await db.schema.alterTable('polls').addColumn('manage_token_hash', 'text').execute();
  } else if (kind === 'postgres') {
    await db.schema
      .alterTable('polls')
      .alterColumn('owner_id', (c) => c.dropNotNull())
      .execute();
    await db.schema.alterTable('polls').addColumn('manage_token_hash', 'text').execute();
  } else {
    // SQLite cannot drop a NOT NULL: the table is rebuilt (sqlite.org/lang_altertable.html#otheralter).
    // migrate.ts runs migrations with foreign keys off, so dropping the old table keeps its questions.
    await db.schema
      .createTable('polls_next')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('manage_token_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into polls_next (id, code, title, owner_id, created_at)
      select id, code, title, owner_id, created_at from polls`.execute(db);
    await db.schema.dropTable('polls').execute();
    await db.schema.alterTable('polls_next').renameTo('polls').execute();
  }
  await db.schema.createIndex('polls_owner_id').on('polls').columns(['owner_id', 'id']).execute();
}
