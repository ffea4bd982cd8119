/**
 * A named lock every process on one database honours, for start-up work that must happen once however many
 * instances start together (loading the demo). On PostgreSQL: a session-level advisory lock, held on one
 * pooled connection while the work runs on others, keyed by the schema too (so databases confined to
 * different schemas, as the tests' are, do not wait for each other). On SQLite a single process serves, so
 * there is nothing to take.
 */
import { sql } from 'kysely';
import type { DatabaseHandle } from './database.ts';

/** The first key of Switchboard's advisory locks ("Sw"); the second is a hash of the schema and the lock's name. */
export const ADVISORY_LOCK_CLASS = 0x5377;

/** Runs `work` while holding the lock `name`; a second caller waits until the first has finished. */
export async function withDatabaseLock<T>(handle: Pick<DatabaseHandle, 'db' | 'dialect'>, name: string, work: () => Promise<T>): Promise<T> {
  if (handle.dialect !== 'postgres') return work();
  return handle.db.connection().execute(async (conn) => {
    const key = sql`${ADVISORY_LOCK_CLASS}::int4, hashtext(current_schema() || ':' || ${name}::text)`;
    await sql`select pg_advisory_lock(${key})`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}
