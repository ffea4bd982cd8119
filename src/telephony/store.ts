/** All SQL of telephony: the calls the phone menu is following (telephony_calls) and what the wait estimate reads. */
import type { Db } from '../platform/db/database.ts';
import type { TelephonyCallTable } from '../platform/db/schema.ts';

export type TelephonyCallRow = TelephonyCallTable;

export async function findCall(db: Db, callSid: string): Promise<TelephonyCallRow | undefined> {
  return db.selectFrom('telephony_calls').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
}

/** The call's row, created at its first webhook (a step of an unknown call creates it too). */
export async function touchCall(db: Db, call: { callSid: string; callerPhone: string | null; calledPhone: string | null; at: string }): Promise<void> {
  await db.insertInto('telephony_calls')
    .values({ call_sid: call.callSid, caller_phone: call.callerPhone, called_phone: call.calledPhone, started_at: call.at, last_step_at: call.at })
    .onConflict((oc) => oc.column('call_sid').doUpdateSet({ last_step_at: call.at }))
    .execute();
}

export async function updateCall(db: Db, callSid: string, changes: Partial<Pick<TelephonyCallRow, 'language' | 'receipt_number' | 'outcome' | 'tier' | 'queue' | 'enqueued_at' | 'last_step_at'>>): Promise<void> {
  await db.updateTable('telephony_calls').set(changes).where('call_sid', '=', callSid).execute();
}

/** Marks the call's contact record stored (only the first time). */
export async function markRecorded(db: Db, callSid: string, at: string): Promise<void> {
  await db.updateTable('telephony_calls').set({ recorded_at: at }).where('call_sid', '=', callSid).where('recorded_at', 'is', null).execute();
}

/** Calls put in `queue` since `since` that have not ended (no status callback yet), other than `except`. */
export async function waitingInQueue(db: Db, queue: string, since: string, except: string): Promise<number> {
  const row = await db.selectFrom('telephony_calls').select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('queue', '=', queue).where('enqueued_at', '>=', since).where('recorded_at', 'is', null).where('call_sid', '!=', except)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Start and end of the latest ended calls of a tier and language since `since` (for the average handle time). */
export async function endedCallTimes(db: Db, tier: string, language: string, since: string, limit: number): Promise<Array<{ started_at: string; ended_at: string }>> {
  const rows = await db.selectFrom('contacts').select(['started_at', 'ended_at'])
    .where('tier', '=', tier).where('language', '=', language).where('ended_at', 'is not', null).where('ended_at', '>=', since)
    .orderBy('ended_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ started_at: r.started_at, ended_at: r.ended_at! }));
}

/** Staff of `role` holding every one of `skills`, not disabled, with a session used since `since`. */
export async function agentsSignedIn(db: Db, role: string, skills: readonly string[], since: string, now: string): Promise<number> {
  let q = db.selectFrom('staff').innerJoin('sessions', 'sessions.staff_id', 'staff.id')
    .select((eb) => eb.fn.count<string | number>('staff.id').distinct().as('n'))
    .where('staff.role', '=', role).where('staff.disabled', '=', 0)
    .where('sessions.revoked_at', 'is', null).where('sessions.expires_at', '>', now).where('sessions.last_seen_at', '>=', since);
  // skills is a JSON array of short codes ("en", "es", "military"): the quoted code is a whole element.
  for (const s of skills) q = q.where('staff.skills', 'like', `%"${s}"%`);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}
