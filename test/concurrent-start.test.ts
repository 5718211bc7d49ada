import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { dialects } from './helpers.js';

// Several instances (or workers of one machine) started together on one new database.
describe.each(dialects)('instances starting at once on one new $name database', (dialect) => {
  it('make one first admin and one default poll between them, and all start', async () => {
    const database = await dialect.create();
    const dataDir = mkdtempSync(join(tmpdir(), 'pollcast-data-'));
    const config = {
      ...loadConfig({ DATABASE_URL: database.url, SESSION_SECRET: 'a-test-secret-that-is-long-enough-1234567890' }),
      dataDir,
    };
    const apps = await Promise.all([1, 2, 3].map(() => buildApp(config, { logger: false })));
    try {
      const [first] = apps;
      const users = await first?.db.selectFrom('users').select(['username', 'role']).execute();
      expect(users).toEqual([{ username: 'admin', role: 'admin' }]);
      const polls = await first?.db.selectFrom('polls').select('code').execute();
      expect(polls).toEqual([{ code: 'default' }]);
      // The generated password is shown by the instance that made the admin, and by no other.
      expect(apps.filter((app) => app.boot.admin.generatedPassword !== undefined)).toHaveLength(1);
    } finally {
      for (const app of apps) await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
