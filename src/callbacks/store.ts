/**
 * All SQL of escalations to Tier 2 (live transfers and callbacks), their attempts, and who of Tier 2 is free.
 * Recording an attempt is a compare-and-set on the attempt count, so two officers cannot both record attempt n.
 * Taking a free officer for a transfer is a conditional UPDATE on their presence, so one officer gets one call.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CallbackAttemptTable, Database, EscalationStatus, EscalationTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type EscalationRow = EscalationTable;
export type AttemptRow = CallbackAttemptTable;

export const insertEscalation = (db: Executor, row: EscalationRow) => db.insertInto('escalations').values(row).execute();

export const findEscalation = (db: Executor, id: string) => db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();

export const escalationsOfContact = (db: Executor, contactId: string) =>
  db.selectFrom('escalations').selectAll().where('contact_id', '=', contactId).orderBy('created_at').execute();

export const escalationsOfCase = (db: Executor, receiptNumber: string) =>
  db.selectFrom('escalations').selectAll().where('receipt_number', '=', receiptNumber).orderBy('created_at', 'desc').limit(100).execute();

export const attemptsOf = (db: Executor, id: string) =>
  db.selectFrom('callback_attempts').selectAll().where('escalation_id', '=', id).orderBy('n').execute();

/** Records attempt n+1 if nobody recorded it first: the row after, or undefined when the count or status moved. */
export async function recordAttempt(db: Executor, row: EscalationRow, attempt: AttemptRow, changes: Partial<EscalationRow>): Promise<EscalationRow | undefined> {
  const after = await db.updateTable('escalations').set({ ...changes, attempts: row.attempts + 1 })
    .where('id', '=', row.id).where('status', '=', 'open').where('attempts', '=', row.attempts).returningAll().executeTakeFirst();
  if (after) await db.insertInto('callback_attempts').values(attempt).execute();
  return after;
}

export interface CallbackFilter {
  /** due: open and not yet past due; overdue: open and past due; missed; done. */
  status: ReadonlyArray<'due' | 'overdue' | 'missed' | 'done'>;
  /** Only callbacks needing one of these skill keys (a Tier 2 officer's); undefined: all (a supervisor). */
  skillKeys?: readonly string[] | undefined;
  /** Only callbacks held by this officer (staff id): read by escalations_assignee. */
  assignedTo?: string | undefined;
  now: string;
}

/** Callbacks by derived status, soonest due first, with the total. */
export async function listCallbacks(db: Executor, f: CallbackFilter, page: number, pageSize: number): Promise<{ rows: EscalationRow[]; total: number }> {
  let q = db.selectFrom('escalations').where('mode', '=', 'callback');
  if (f.skillKeys) {
    if (f.skillKeys.length === 0) return { rows: [], total: 0 };
    q = q.where('skill_key', 'in', [...f.skillKeys]);
  }
  if (f.assignedTo !== undefined) q = q.where('assigned_to', '=', f.assignedTo);
  q = q.where((eb) => eb.or(f.status.map((s) => {
    if (s === 'due') return eb.and([eb('status', '=', 'open'), eb('due_at', '>=', f.now)]);
    if (s === 'overdue') return eb.and([eb('status', '=', 'open'), eb('due_at', '<', f.now)]);
    return eb('status', '=', s satisfies EscalationStatus);
  })));
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('due_at').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Open callbacks, and those missed since `missedSince`, counted by skill key and overdue or not (the supervisor's view). */
export async function callbackCounts(db: Executor, now: string, missedSince: string) {
  const rows = await db.selectFrom('escalations').select(['skill_key', 'status', (eb) => eb.fn.countAll().as('n')])
    .select((eb) => eb.case().when('due_at', '<', now).then(1).else(0).end().as('overdue'))
    .where('mode', '=', 'callback')
    .where((eb) => eb.or([eb('status', '=', 'open'), eb.and([eb('status', '=', 'missed'), eb('closed_at', '>=', missedSince)])]))
    .groupBy(['skill_key', 'status', 'overdue']).execute();
  return rows.map((r) => ({ skillKey: r.skill_key, status: r.status, overdue: Number(r.overdue) === 1, n: Number(r.n) }));
}

/**
 * Gives an open callback to an officer if it is still open and still held by `from` (null: in the skills queue):
 * of two supervisors moving one callback at once, one wins. The row after, or undefined when it moved meanwhile.
 */
export async function assignCallback(db: Executor, id: string, from: string | null, to: string, at: string): Promise<EscalationRow | undefined> {
  let q = db.updateTable('escalations').set({ assigned_to: to, assigned_at: at, updated_at: at })
    .where('id', '=', id).where('mode', '=', 'callback').where('status', '=', 'open');
  q = from === null ? q.where('assigned_to', 'is', null) : q.where('assigned_to', '=', from);
  return q.returningAll().executeTakeFirst();
}

/** What decides whether an officer may hold a callback: role, whether active, skills. */
export const officerForCallback = (db: Executor, staffId: string) =>
  db.selectFrom('staff').select(['id', 'role', 'disabled', 'skills', 'agent_id', 'name']).where('id', '=', staffId).executeTakeFirst();

// ── presence ─────────────────────────────────────────────────────────────────────────────────────────────────

export async function setPresence(db: Executor, staffId: string, status: 'available' | 'busy' | 'away', at: string): Promise<void> {
  await db.insertInto('staff_presence').values({ staff_id: staffId, status, contact_id: null, updated_at: at })
    .onConflict((oc) => oc.column('staff_id').doUpdateSet({ status, contact_id: null, updated_at: at })).execute();
}

export const presenceOf = (db: Executor, staffId: string) =>
  db.selectFrom('staff_presence').selectAll().where('staff_id', '=', staffId).executeTakeFirst();

/**
 * Tier 2 officers who are free now, longest free first, with their skills: "available", and signed in (a session
 * neither revoked, past its end, nor idle since `liveSince`), so an officer who closed the browser takes no call.
 */
export const freeOfficers = (db: Executor, now: string, liveSince: string) =>
  db.selectFrom('staff_presence').innerJoin('staff', 'staff.id', 'staff_presence.staff_id')
    .select(['staff.id', 'staff.agent_id', 'staff.skills', 'staff_presence.updated_at'])
    .where('staff_presence.status', '=', 'available').where('staff.role', '=', 'tier2').where('staff.disabled', '=', 0)
    .where((eb) => eb.exists(eb.selectFrom('sessions').select('sessions.id').whereRef('sessions.staff_id', '=', 'staff.id')
      .where('sessions.revoked_at', 'is', null).where('sessions.expires_at', '>', now).where('sessions.last_seen_at', '>', liveSince)))
    .orderBy('staff_presence.updated_at').orderBy('staff.id').limit(200).execute();

/** Takes a free officer for a call: true only for the one caller whose UPDATE found them still free. */
export async function takeOfficer(db: Executor, staffId: string, contactId: string, at: string): Promise<boolean> {
  const r = await db.updateTable('staff_presence').set({ status: 'busy', contact_id: contactId, updated_at: at })
    .where('staff_id', '=', staffId).where('status', '=', 'available').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** An officer who was free is busy with a call they opened. */
export async function markBusy(db: Executor, staffId: string, contactId: string, at: string): Promise<void> {
  await db.updateTable('staff_presence').set({ status: 'busy', contact_id: contactId, updated_at: at })
    .where('staff_id', '=', staffId).where('status', '=', 'available').execute();
}

/** The call ended: whoever was busy with it is free again. */
export async function markFree(db: Executor, contactId: string, at: string): Promise<void> {
  await db.updateTable('staff_presence').set({ status: 'available', contact_id: null, updated_at: at })
    .where('contact_id', '=', contactId).where('status', '=', 'busy').execute();
}

/**
 * Everyone's presence with their name and role (the supervisor's view of agents), and how many calls each has open
 * (started since `openSince`: an agent who never ended a call days ago is not "on a call" today).
 */
export const allPresence = (db: Executor, openSince: string) =>
  db.selectFrom('staff').leftJoin('staff_presence', 'staff_presence.staff_id', 'staff.id')
    .select(['staff.id', 'staff.name', 'staff.role', 'staff.agent_id', 'staff.skills', 'staff_presence.status', 'staff_presence.contact_id', 'staff_presence.updated_at'])
    .select((eb) => eb.selectFrom('contacts').select((e2) => e2.fn.countAll().as('n'))
      .whereRef('contacts.agent_staff_id', '=', 'staff.id').where('contacts.ended_at', 'is', null).where('contacts.started_at', '>=', openSince).as('open_calls'))
    .where('staff.role', 'in', ['tier1', 'tier2']).where('staff.disabled', '=', 0).orderBy('staff.role').orderBy('staff.name').execute();

export const staffSkills = async (db: Executor, staffId: string): Promise<string | null> =>
  (await db.selectFrom('staff').select('skills').where('id', '=', staffId).executeTakeFirst())?.skills ?? null;
