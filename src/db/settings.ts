import type { Db } from './database.js';
import { isUniqueViolation } from './errors.js';

/**
 * The setting's stored value; when it has none yet, `initial` is stored first. Instances starting
 * at once on one database all get the value of whichever stored it first.
 */
export async function settingOrInitial(db: Db, key: string, initial: () => string): Promise<string> {
  const stored = await readSetting(db, key);
  if (stored !== undefined) return stored;
  try {
    await db.insertInto('settings').values({ key, value: initial() }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const value = await readSetting(db, key);
  if (value === undefined) throw new Error(`the setting ${key} was stored but cannot be read back`);
  return value;
}

async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}
