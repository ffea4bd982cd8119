/** All SQL of idempotency keys (table idempotency_keys). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, IdempotencyKeyTable } from '../db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export type KeyRow = IdempotencyKeyTable;

export async function findKey(db: Executor, scope: string, key: string): Promise<KeyRow | undefined> {
  const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row ? { ...row, status: Number(row.status) } : undefined;
}

/** Stores the answer in the creation's transaction, so it commits with what the work created. */
export async function insertKey(trx: Transaction<Database>, row: KeyRow): Promise<void> {
  await trx.insertInto('idempotency_keys').values(row).execute();
}

/**
 * PostgreSQL: takes the transaction-scoped advisory lock of a key without waiting; false when another transaction
 * (on any instance) holds it, i.e. a request with this key is running now. Released at commit or rollback.
 */
export async function tryLockKey(trx: Transaction<Database>, lockId: bigint): Promise<boolean> {
  const r = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${lockId.toString()}::bigint) as locked`.execute(trx);
  return r.rows[0]?.locked === true;
}

/** Deletes keys created before `before`; returns how many. */
export async function pruneKeys(db: Executor, before: string): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
