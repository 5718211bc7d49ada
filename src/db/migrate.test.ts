import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/helpers.js';
import { loadConfig } from '../config.js';
import { createDb } from './create-db.js';
import { migrateToLatest } from './migrate.js';

describe.each(dialects)('migrations on $name', (dialect) => {
  it('create every table, and run again as a no-op', async () => {
    const database = await dialect.create();
    const db = createDb(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      expect(await migrateToLatest(db)).toEqual(['2026-11-21T06-00-initial']);
      expect(await migrateToLatest(db)).toEqual([]);
      const tables = (await db.introspection.getTables()).map((table) => table.name).sort();
      expect(tables).toEqual(['options', 'polls', 'questions', 'sessions', 'users', 'votes']);
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
      for (const db of dbs) expect(await migrateToLatest(db)).toEqual(['2026-11-21T06-00-initial']);
    } finally {
      for (const db of dbs) await db.destroy();
      await first.drop();
      await second.drop();
    }
  });
});
