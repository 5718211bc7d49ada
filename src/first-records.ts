import { ensureFirstAdmin } from './accounts/service.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { ensureDefaultPoll } from './polls/service.js';

export interface BootInfo {
  admin: { username: string; generatedPassword: string | undefined };
}

/**
 * The records a new database gets on its first start: the first admin and the default poll. Safe
 * from several processes at once; the generated password is known only to the one that made the admin.
 */
export async function ensureFirstRecords(db: Db, admin: Config['admin']): Promise<BootInfo> {
  const { user, generatedPassword } = await ensureFirstAdmin(db, admin);
  await ensureDefaultPoll(db, user.id);
  return { admin: { username: user.username, generatedPassword } };
}
