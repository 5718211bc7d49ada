import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen: this migration has run on deployed databases. Change the schema in a new file.
// Per-poll fairness choices, and the keyed hash of the network address a vote came from
// (set only where the poll allows one vote per address, so the unique index enforces it there).

// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('polls')
    .addColumn('one_vote_per_address', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('polls')
    .addColumn('votes_changeable', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // MySQL keys no `text` column: a bounded varchar there (the key is a hash, far shorter).
  const keyText = dialectOf(db).kind === 'mysql' ? 'varchar(255)' : 'text';
  await db.schema.alterTable('votes').addColumn('address_key', keyText).execute();
  // Null keys never clash (on both dialects): polls without the rule are not affected.
  await db.schema
    .createIndex('votes_one_per_address')
    .unique()
    .on('votes')
    .columns(['question_id', 'address_key'])
    .execute();
}
