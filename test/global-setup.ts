import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Starts the name of every PostgreSQL schema this run makes, so that it can drop them all at its end. */
    postgresSchemaPrefix: string;
  }
}

/**
 * The server and the page scripts are built once, as `npm start` builds them (only what changed),
 * so that browser tests load what `npm start` serves and deployment tests run `dist/server.js`.
 */
export default function setup(project: TestProject) {
  execFileSync(process.execPath, ['scripts/build.js', '--changed'], { stdio: 'inherit' });
  const prefix = `test_${randomBytes(4).toString('hex')}_`;
  project.provide('postgresSchemaPrefix', prefix);
  return () => dropSchemas(prefix);
}

/** Drops the schemas of this run, once no test file is left to read the catalog. */
async function dropSchemas(prefix: string): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'select nspname as name from pg_namespace where starts_with(nspname, $1)',
      [prefix],
    );
    for (const { name } of rows) await client.query(`drop schema ${name} cascade`);
  } finally {
    await client.end();
  }
}
