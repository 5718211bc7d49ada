import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/helpers.js';
import { loadConfig } from '../config.js';
import { createDb } from './create-db.js';
import type { Db } from './database.js';
import { dialectOf, insertReturningId } from './dialect.js';
import { isUniqueViolation } from './errors.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

const ALL = Object.keys(migrations);

/** Applies only the first migrations, as a database deployed at that time has them. */
async function migrateUpTo(db: Db, last: string): Promise<void> {
  const postgres = dialectOf(db).kind === 'postgres';
  const schema = postgres ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateTo(last);
  if (error) throw error;
}

describe.each(dialects)('migrations on $name', (dialect) => {
  it('create every table, and run again as a no-op', async () => {
    const database = await dialect.create();
    const db = createDb(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      expect(await migrateToLatest(db)).toEqual(ALL);
      expect(await migrateToLatest(db)).toEqual([]);
      // PostgreSQL lists the tables of every schema: other test files' run beside this one.
      // (MySQL lists those of the database connected to.)
      const schema = /search_path=(\w+)/.exec(decodeURIComponent(database.url))?.[1];
      const tables = (await db.introspection.getTables())
        .filter((table) => !schema || table.schema === schema)
        .map((table) => table.name)
        .sort();
      expect(tables).toEqual([
        'answers',
        'nicknames',
        'options',
        'polls',
        'qa_items',
        'qa_upvotes',
        'questions',
        'sessions',
        'settings',
        'users',
        'votes',
        'word_counts',
      ]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('keep every poll, question and vote of a database made before quick polls existed', async () => {
    const database = await dialect.create();
    const db = createDb(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      await migrateUpTo(db, '2026-11-21T06-00-initial');
      const at = new Date().toISOString();
      const user = {
        id: await insertReturningId(
          db,
          db
            .insertInto('users')
            .values({ username: 'a', username_key: 'a', password_hash: 'x', role: 'admin', created_at: at }),
        ),
      };
      // The table the migration rebuilds on SQLite, without its owner-less and token columns.
      await sql`insert into polls (code, title, owner_id, created_at) values ('ABCDEF', 'Old', ${user.id}, ${at})`.execute(
        db,
      );
      const poll = await db.selectFrom('polls').select('id').executeTakeFirstOrThrow();
      const question = {
        id: await insertReturningId(
          db,
          db
            .insertInto('questions')
            .values({ poll_id: poll.id, text: 'Q?', status: 'live', created_at: at, updated_at: at }),
        ),
      };
      await db.insertInto('options').values({ question_id: question.id, position: 0, text: 'A', votes: 1 }).execute();
      const option = await db.selectFrom('options').select('id').executeTakeFirstOrThrow();
      await db
        .insertInto('votes')
        .values({ question_id: question.id, voter_id: 'v', option_id: option.id, created_at: at })
        .execute();

      expect(await migrateToLatest(db)).toEqual(ALL.slice(1));
      expect(await db.selectFrom('polls').select(['code', 'owner_id']).execute()).toEqual([
        { code: 'ABCDEF', owner_id: user.id },
      ]);
      // A vote made before kinds kept its option, and has no answer of another kind.
      expect(await db.selectFrom('votes').select(['option_id', 'answer']).execute()).toEqual([
        { option_id: option.id, answer: null },
      ]);
      const again = db
        .insertInto('votes')
        .values({ question_id: question.id, voter_id: 'v', option_id: option.id, created_at: at })
        .execute();
      // One vote per voter and question still holds in the rebuilt table.
      expect(isUniqueViolation(await again.catch((caught: unknown) => caught))).toBe(true);
      // Every question made before kinds existed was single choice, no quiz, nothing of it revealed.
      expect(await db.selectFrom('questions').select(['kind', 'settings', 'revealed_at']).execute()).toEqual([
        { kind: 'choice', settings: null, revealed_at: null },
      ]);
      // An older poll filters nothing until its organizer asks.
      expect(await db.selectFrom('polls').select('profanity_filter').execute()).toEqual([{ profanity_filter: 0 }]);
      // The rebuilt table still holds its children: deleting the poll takes them along.
      await db.deleteFrom('polls').execute();
      expect(await db.selectFrom('questions').select('id').execute()).toEqual([]);
      expect(await db.selectFrom('votes').select('voter_id').execute()).toEqual([]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

describe.each(dialects)('the schema on $name', (dialect) => {
  it('holds one live question per poll, tells join codes apart by case, and deletes a poll with all it holds', async () => {
    const database = await dialect.create();
    const db = createDb(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      await migrateToLatest(db);
      const at = '2026-11-30T10:00:00.000Z';
      const poll = (code: string) =>
        insertReturningId(db, db.insertInto('polls').values({ code, title: code, owner_id: null, created_at: at }));
      const question = (pollId: number, status: 'draft' | 'live' | 'closed') =>
        insertReturningId(
          db,
          db.insertInto('questions').values({ poll_id: pollId, text: 'Q?', status, created_at: at, updated_at: at }),
        );
      const first = await poll('ABCDEF');
      const second = await poll('abcdef');
      expect(await db.selectFrom('polls').select('id').where('code', '=', 'abcdef').execute()).toEqual([
        { id: second },
      ]);
      await question(first, 'live');
      await question(first, 'closed');
      await question(second, 'live');
      const error = await question(first, 'live').catch((caught: unknown) => caught);
      expect(isUniqueViolation(error)).toBe(true);
      const draft = await question(first, 'draft');
      await db.insertInto('options').values({ question_id: draft, position: 0, text: 'A' }).execute();

      await db.deleteFrom('polls').where('id', '=', first).execute();
      expect(await db.selectFrom('questions').select('poll_id').execute()).toEqual([{ poll_id: second }]);
      expect(await db.selectFrom('options').select('id').execute()).toEqual([]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

describe.each(dialects)('the current-question migration on $name', (dialect) => {
  it('gives each poll of an older database the question its screens showed, and lets deletes clear it', async () => {
    const database = await dialect.create();
    const db = createDb(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      await migrateUpTo(db, '2026-11-21T20-00-fairness');
      const poll = (code: string) =>
        insertReturningId(
          db,
          db.insertInto('polls').values({ code, title: code, owner_id: null, created_at: '2026-11-21T09:00:00.000Z' }),
        );
      const question = (pollId: number, status: 'draft' | 'live' | 'closed', updatedAt: string) =>
        insertReturningId(
          db,
          db
            .insertInto('questions')
            .values({ poll_id: pollId, text: 'Q?', status, created_at: updatedAt, updated_at: updatedAt }),
        );
      const live = await poll('LIVEPL');
      await question(live, 'closed', '2026-11-21T12:00:00.000Z');
      const liveOne = await question(live, 'live', '2026-11-21T10:00:00.000Z');
      const closed = await poll('CLOSED');
      await question(closed, 'closed', '2026-11-21T10:00:00.000Z');
      const lastClosed = await question(closed, 'closed', '2026-11-21T11:00:00.000Z');
      await question(closed, 'draft', '2026-11-21T12:00:00.000Z');
      const drafts = await poll('DRAFTS');
      await question(drafts, 'draft', '2026-11-21T10:00:00.000Z');

      expect(await migrateToLatest(db)).toEqual(ALL.slice(ALL.indexOf('2026-11-22T09-00-current-question')));
      const current = async () =>
        Object.fromEntries(
          (await db.selectFrom('polls').select(['code', 'current_question_id']).execute()).map((row) => [
            row.code,
            row.current_question_id,
          ]),
        );
      expect(await current()).toEqual({ LIVEPL: liveOne, CLOSED: lastClosed, DRAFTS: null });
      await db.deleteFrom('questions').where('id', '=', lastClosed).execute();
      expect(await current()).toEqual({ LIVEPL: liveOne, CLOSED: null, DRAFTS: null });
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it("keep the order of an older database's questions, the order they were made in", async () => {
    const database = await dialect.create();
    const db = createDb(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      await migrateUpTo(db, '2026-11-22T09-00-current-question');
      const pollId = await insertReturningId(
        db,
        db
          .insertInto('polls')
          .values({ code: 'ORDERS', title: 'Old', owner_id: null, created_at: '2026-11-21T09:00:00.000Z' }),
      );
      const made: number[] = [];
      for (const text of ['First?', 'Second?', 'Third?']) {
        const at = '2026-11-21T10:00:00.000Z';
        made.push(
          await insertReturningId(
            db,
            db
              .insertInto('questions')
              .values({ poll_id: pollId, text, status: 'draft', created_at: at, updated_at: at }),
          ),
        );
      }
      await migrateToLatest(db);
      const ordered = await db
        .selectFrom('questions')
        .select(['id', 'position'])
        .where('poll_id', '=', pollId)
        .orderBy('position')
        .execute();
      expect(ordered.map((row) => row.id)).toEqual(made);
      expect(new Set(ordered.map((row) => row.position)).size).toBe(3);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

const postgres = dialects.find((dialect) => dialect.name === 'postgres');

describe.skipIf(!postgres)('migrations on a shared PostgreSQL database', () => {
  // Two Pollcast databases side by side in one PostgreSQL database, each in its own schema.
  it('keep their bookkeeping in the schema they migrate', async () => {
    if (!postgres) return;
    const first = await postgres.create();
    const second = await postgres.create();
    const dbs = [first, second].map((database) => createDb({ dialect: 'postgres', url: database.url }));
    try {
      for (const db of dbs) expect(await migrateToLatest(db)).toEqual(ALL);
    } finally {
      for (const db of dbs) await db.destroy();
      await first.drop();
      await second.drop();
    }
  });
});
