/** All SQL of the outbox. Claims are decided in the database, so each message goes to one instance at a time. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxTable } from '../platform/db/schema.ts';
import type { DialectName } from '../platform/db/database.ts';
import type { OutboxState } from './policy.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type OutboxRow = OutboxTable;

export async function insertMessage(trx: Executor, row: OutboxRow): Promise<void> {
  await trx.insertInto('outbox').values(row).execute();
}

/**
 * Claims up to `limit` messages that are due: pending ones whose time has come, and ones whose claim has lapsed
 * (their instance died mid-send). Each claim counts as an attempt. On PostgreSQL the candidates are locked with
 * FOR UPDATE SKIP LOCKED, so instances claiming at once take different rows; on SQLite the transaction begins
 * IMMEDIATE and so runs alone. The UPDATE repeats the due condition, so a row taken in between is not taken again.
 */
export async function claimDue(db: Kysely<Database>, dialect: DialectName, claim: { workerId: string; now: string; until: string; limit: number; /** Only these channels (a worker claims what it delivers); all when omitted. */ channels?: ReadonlyArray<OutboxRow['channel']> }): Promise<OutboxRow[]> {
  return db.transaction().execute(async (trx) => {
    let candidates = trx.selectFrom('outbox').select('id')
      .$if(claim.channels !== undefined, (q) => q.where('channel', 'in', [...claim.channels!]))
      .where((eb) => eb.or([
        eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', claim.now)]),
        eb.and([eb('state', '=', 'sending'), eb('claimed_until', '<', claim.now)]),
      ]))
      .orderBy('next_attempt_at').orderBy('id').limit(claim.limit);
    if (dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();
    const ids = (await candidates.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return trx.updateTable('outbox')
      .set((eb) => ({ state: 'sending', claimed_by: claim.workerId, claimed_until: claim.until, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .where((eb) => eb.or([
        eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', claim.now)]),
        eb.and([eb('state', '=', 'sending'), eb('claimed_until', '<', claim.now)]),
      ]))
      .returningAll().execute();
  });
}

/** The outcome of one attempt, written only while this worker still holds the claim. Returns false when it no longer did. */
export async function settle(db: Executor, id: string, workerId: string, set: Partial<Pick<OutboxRow, 'state' | 'next_attempt_at' | 'last_error' | 'sent_at' | 'message_id' | 'response_code'>>): Promise<boolean> {
  const r = await db.updateTable('outbox').set({ ...set, claimed_by: null, claimed_until: null })
    .where('id', '=', id).where('state', '=', 'sending').where('claimed_by', '=', workerId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A failed message back to pending, due now, with its attempts reset. Returns false unless it was failed. */
export async function requeueFailed(trx: Executor, id: string, now: string): Promise<boolean> {
  const r = await trx.updateTable('outbox').set({ state: 'pending', attempts: 0, next_attempt_at: now, last_error: null })
    .where('id', '=', id).where('state', '=', 'failed').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findMessage(db: Executor, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One page of messages, newest first, optionally in one state, and the total. */
export async function listMessages(db: Executor, state: OutboxState | undefined, page: number, pageSize: number): Promise<{ rows: OutboxRow[]; total: number }> {
  let q = db.selectFrom('outbox');
  if (state) q = q.where('state', '=', state);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Withdraws messages not yet delivered (a reminder of a callback that is over); returns how many. */
export async function withdrawPending(db: Executor, subjectRef: string, template: string): Promise<number> {
  const r = await db.deleteFrom('outbox').where('subject_ref', '=', subjectRef).where('template', '=', template).where('state', '=', 'pending').executeTakeFirst();
  return Number(r.numDeletedRows);
}
