/** Secrets the system needs, generated on first start and kept in the database (shared by every instance). */
import type { Db } from './db/database.ts';
import { newSecret } from './ids.ts';

/** The value stored under `key`, creating it with `make()` if absent; safe when several processes race. */
export async function getOrCreateSetting(db: Db, key: string, make: () => string = newSecret): Promise<string> {
  await db.insertInto('settings').values({ key, value: make() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
