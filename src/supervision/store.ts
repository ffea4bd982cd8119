/**
 * All SQL of the supervisor's tools: a read model over staff, contacts, callbacks, service requests and the audit
 * trail. Every query reads one index range (migration 20261203T0300_supervisor_tools; contacts by
 * contacts_agent): an agent's day by (agent, instant), denied access by the partial indexes on denied entries.
 * Changes never happen here: moving work goes through ServiceRequestService.assign and CallbackService.assign.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Active staff of these roles, by role then name (the staff table is small: thousands, not millions). */
export const activeStaff = (db: Executor, roles: readonly string[]) =>
  db.selectFrom('staff').select(['id', 'name', 'role', 'office', 'agent_id', 'skills'])
    .where('role', 'in', [...roles]).where('disabled', '=', 0).orderBy('role').orderBy('name').orderBy('id').execute();

export const staffById = (db: Executor, id: string) =>
  db.selectFrom('staff').select(['id', 'name', 'role', 'office', 'agent_id', 'skills', 'disabled']).where('id', '=', id).executeTakeFirst();

/** The calls an agent took in [from, to): contacts_agent (agent_id, started_at), with each call's linked cases counted by its key. */
export const callsOf = (db: Executor, agentId: string, from: string, to: string, limit: number) =>
  db.selectFrom('contacts as c')
    .select(['c.id', 'c.reference', 'c.started_at', 'c.ended_at', 'c.tier', 'c.disposition', 'c.source', 'c.language'])
    .select((eb) => eb.selectFrom('contact_cases as cc').select((e) => e.fn.countAll().as('n')).whereRef('cc.contact_id', '=', 'c.id').as('cases'))
    .where('c.agent_id', '=', agentId).where('c.started_at', '>=', from).where('c.started_at', '<', to)
    .orderBy('c.started_at').orderBy('c.id').limit(limit).execute();

/** Call-back attempts an officer made in [from, to) (callback_attempts_staff), with their callback. */
export const attemptsBy = (db: Executor, staffId: string, from: string, to: string, limit: number) =>
  db.selectFrom('callback_attempts as a').innerJoin('escalations as e', 'e.id', 'a.escalation_id')
    .select(['a.at', 'a.n', 'a.outcome', 'e.id', 'e.urgency', 'e.skills', 'e.status', 'e.due_at', 'e.reason'])
    .where('a.staff_id', '=', staffId).where('a.at', '>=', from).where('a.at', '<', to)
    .orderBy('a.at').orderBy('a.id').limit(limit).execute();

/** Callbacks given to an officer in [from, to) that they still hold (escalations_assigned_day). */
export const callbacksGivenTo = (db: Executor, staffId: string, from: string, to: string, limit: number) =>
  db.selectFrom('escalations').select(['id', 'assigned_at', 'urgency', 'skills', 'status', 'due_at', 'reason', 'attempts'])
    .where('assigned_to', '=', staffId).where('assigned_at', '>=', from).where('assigned_at', '<', to)
    .orderBy('assigned_at').orderBy('id').limit(limit).execute();

/** Live transfers an officer took in [from, to) (escalations_to_staff). */
export const transfersTo = (db: Executor, staffId: string, from: string, to: string, limit: number) =>
  db.selectFrom('escalations').select(['id', 'created_at', 'urgency', 'skills', 'reason', 'contact_id'])
    .where('to_staff_id', '=', staffId).where('mode', '=', 'transfer').where('created_at', '>=', from).where('created_at', '<', to)
    .orderBy('created_at').orderBy('id').limit(limit).execute();

const requestColumns = ['referral_number', 'type', 'status', 'office', 'receipt_number', 'due_date', 'created_at', 'answered_at'] as const;

/** Requests an agent made in [from, to): service_requests_creator (created_by is the actor label "staff:<id>"). */
export const requestsCreatedBy = (db: Executor, actorLabel: string, from: string, to: string, limit: number) =>
  db.selectFrom('service_requests').select([...requestColumns])
    .where('created_by', '=', actorLabel).where('created_at', '>=', from).where('created_at', '<', to)
    .orderBy('created_at').orderBy('referral_number').limit(limit).execute();

/** Requests a worker answered in [from, to): service_requests_answerer. */
export const requestsAnsweredBy = (db: Executor, staffId: string, from: string, to: string, limit: number) =>
  db.selectFrom('service_requests').select([...requestColumns])
    .where('answered_by', '=', staffId).where('answered_at', '>=', from).where('answered_at', '<', to)
    .orderBy('answered_at').orderBy('referral_number').limit(limit).execute();

export interface DeniedFilter {
  /** Only staff of these roles (a supervisor's staff); undefined: every staff member (an administrator). */
  roles?: readonly string[] | undefined;
  /** Only this staff member (id). */
  staffId?: string | undefined;
}

/**
 * Denied entries of staff actors, newest first. `outcome = 'denied'` is a literal so SQLite may use the partial
 * indexes (a bound parameter cannot imply their WHERE): audit_log_denied read backwards for a page, or
 * audit_log_denied_actor for one staff member. The count stops at `countCap` (a deep page costs its offset).
 */
export async function deniedEntries(db: Executor, f: DeniedFilter, offset: number, limit: number, countCap: number) {
  const base = () => {
    let q = db.selectFrom('audit_log as a').innerJoin('staff as s', (j) => j.on(sql<boolean>`a.actor = ${sql.lit('staff:')} || s.id`))
      .where(sql<boolean>`a.outcome = 'denied'`);
    if (f.roles) q = q.where('s.role', 'in', [...f.roles]);
    if (f.staffId !== undefined) q = q.where('a.actor', '=', `staff:${f.staffId}`).where('s.id', '=', f.staffId);
    return q;
  };
  const [rows, count] = await Promise.all([
    base().select(['a.seq', 'a.at', 'a.action', 'a.subject', 'a.detail', 'a.trace_id', 's.id as staff_id', 's.name', 's.role', 's.office', 's.agent_id'])
      .orderBy('a.seq', 'desc').limit(limit).offset(offset).execute(),
    db.selectFrom(base().select('a.seq').limit(countCap + 1).as('capped')).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
