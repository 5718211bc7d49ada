import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db/database.js';
import { settingOrInitial } from './db/settings.js';

/**
 * SESSION_SECRET when set; otherwise a secret generated on first start and kept in the database,
 * so that sessions survive restarts and every instance on the database accepts the others'
 * cookies, without any setup. An install that kept its secret in the data folder (as earlier
 * versions did) carries it into the database, and its cookies stay valid.
 */
export async function resolveSessionSecret(configured: string | undefined, db: Db, dataDir: string): Promise<string> {
  if (configured) return configured;
  return settingOrInitial(db, 'session_secret', () => legacySecret(dataDir) ?? randomBytes(32).toString('base64url'));
}

function legacySecret(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, 'session-secret'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
