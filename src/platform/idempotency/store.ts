/** All SQL of idempotency keys (table idempotency_keys). */
import type { Kysely, Transaction } from 'kysely';
import type { Database, IdempotencyKeyTable } from '../db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export type KeyRow = IdempotencyKeyTable;

/** Inserts a running reservation unless the key exists; true when this call inserted it. */
export async function insertReservation(db: Executor, row: Pick<KeyRow, 'scope' | 'key' | 'request_hash' | 'lease_id' | 'locked_until' | 'created_at'>): Promise<boolean> {
  const inserted = await db.insertInto('idempotency_keys')
    .values({ ...row, state: 'running', status: null, response_body: null, completed_at: null })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('lease_id').executeTakeFirst();
  return inserted !== undefined;
}

export async function findKey(db: Executor, scope: string, key: string): Promise<KeyRow | undefined> {
  const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row ? { ...row, status: row.status === null ? null : Number(row.status) } : undefined;
}

/** Takes over a running reservation whose lease ran out; true when this call took it. */
export async function takeOver(db: Executor, scope: string, key: string, expired: { leaseId: string; now: string }, fresh: { leaseId: string; lockedUntil: string }): Promise<boolean> {
  const r = await db.updateTable('idempotency_keys').set({ lease_id: fresh.leaseId, locked_until: fresh.lockedUntil })
    .where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running')
    .where('lease_id', '=', expired.leaseId).where('locked_until', '<=', expired.now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Renews this attempt's lease inside its work transaction; true while the attempt still holds the key. On
 * PostgreSQL the update also locks the row until the transaction ends, so no one takes it over meanwhile.
 */
export async function holdLease(trx: Transaction<Database>, scope: string, key: string, leaseId: string, lockedUntil: string): Promise<boolean> {
  const r = await trx.updateTable('idempotency_keys').set({ locked_until: lockedUntil })
    .where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running').where('lease_id', '=', leaseId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores the answer in the work transaction, so it commits with what the work created. */
export async function complete(trx: Transaction<Database>, scope: string, key: string, leaseId: string, answer: { status: number; body: string; at: string }): Promise<boolean> {
  const r = await trx.updateTable('idempotency_keys')
    .set({ state: 'done', status: answer.status, response_body: answer.body, completed_at: answer.at })
    .where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running').where('lease_id', '=', leaseId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives a reservation back (its work failed and created nothing), so a retry runs at once. */
export async function release(db: Executor, scope: string, key: string, leaseId: string): Promise<void> {
  await db.deleteFrom('idempotency_keys')
    .where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running').where('lease_id', '=', leaseId)
    .execute();
}

/** Deletes keys created before `before`; returns how many. */
export async function pruneKeys(db: Executor, before: string): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
