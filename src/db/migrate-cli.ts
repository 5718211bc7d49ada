import { loadConfig, loadEnvFile } from '../config.js';
import { createDb } from './create-db.js';
import { migrateToLatest } from './migrate.js';

// Runs the migrations alone (the server also runs them at start); exits non-zero on failure.
loadEnvFile();
const db = createDb(loadConfig().database);
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
