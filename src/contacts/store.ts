/**
 * All SQL of contacts (calls): the call, what happened on it, the cases it touched, the verification lock, and
 * finding calls later. Ending a call is one conditional UPDATE (only an open call ends), so two ends cannot both win.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ContactEventTable, ContactTable, Database } from '../platform/db/schema.ts';
import type { DialectName } from '../platform/db/database.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type ContactRow = ContactTable;
export type ContactEventRow = ContactEventTable;

export const insertContact = (db: Executor, row: ContactRow) => db.insertInto('contacts').values(row).execute();

export const findContact = (db: Executor, id: string) => db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();

export const findByReference = (db: Executor, reference: string) =>
  db.selectFrom('contacts').selectAll().where('reference', '=', reference).executeTakeFirst();

export const referenceTaken = async (db: Executor, reference: string) => (await findByReference(db, reference)) !== undefined;

export const insertEvent = (db: Executor, row: ContactEventRow) => db.insertInto('contact_events').values(row).execute();

export const eventsOf = (db: Executor, contactId: string) =>
  db.selectFrom('contact_events').selectAll().where('contact_id', '=', contactId).orderBy('at').orderBy('id').execute();

/** Links a case to a call; a later verification of the same case marks the link verified (never unmarks it). */
export async function linkCase(db: Executor, contactId: string, receiptNumber: string, verified: boolean, at: string): Promise<void> {
  await db.insertInto('contact_cases').values({ contact_id: contactId, receipt_number: receiptNumber, verified: verified ? 1 : 0, linked_at: at })
    .onConflict((oc) => oc.columns(['contact_id', 'receipt_number']).doUpdateSet(verified ? { verified: 1 } : { linked_at: (eb) => eb.ref('contact_cases.linked_at') }))
    .execute();
}

export const casesOf = (db: Executor, contactId: string) =>
  db.selectFrom('contact_cases').selectAll().where('contact_id', '=', contactId).orderBy('linked_at').orderBy('receipt_number').execute();

/** Calls that touched a case, newest first (the case timeline, the Tier 2 officer's history). */
export const contactsOfCase = (db: Executor, receiptNumber: string, limit = 200) =>
  db.selectFrom('contact_cases').innerJoin('contacts', 'contacts.id', 'contact_cases.contact_id').selectAll('contacts')
    .select('contact_cases.verified').where('contact_cases.receipt_number', '=', receiptNumber)
    .orderBy('contacts.started_at', 'desc').limit(limit).execute();

/** Calls from one phone number, newest first. */
export const contactsByPhone = (db: Executor, phone: string, limit = 50) =>
  db.selectFrom('contacts').selectAll().where('caller_phone', '=', phone).orderBy('started_at', 'desc').limit(limit).execute();

/** Ends an open call; undefined when it had already ended (the caller decides what that means). */
export const endContact = (db: Executor, id: string, changes: Pick<ContactRow, 'ended_at' | 'disposition' | 'end_notes'>) =>
  db.updateTable('contacts').set(changes).where('id', '=', id).where('ended_at', 'is', null).returningAll().executeTakeFirst();

export const setEscalatedTo = (db: Executor, id: string, staffId: string) =>
  db.updateTable('contacts').set({ escalated_to: staffId }).where('id', '=', id).execute();

/** A staff member's calls still open, newest first (the desk's "your open calls"). */
export const openContactsOf = (db: Executor, staffId: string) =>
  db.selectFrom('contacts').selectAll().where((eb) => eb.or([eb('agent_staff_id', '=', staffId), eb('escalated_to', '=', staffId)]))
    .where('ended_at', 'is', null).orderBy('started_at', 'desc').limit(50).execute();

/** Referral numbers of the service requests made on a call, oldest first. */
export const referralsOf = async (db: Executor, contactId: string): Promise<string[]> =>
  (await db.selectFrom('service_requests').select(['referral_number']).where('contact_id', '=', contactId).orderBy('created_at').execute())
    .map((r) => r.referral_number);

// ── the verification lock ──────────────────────────────────────────────────────────────────────────────────

/** Serialises verifications of one receipt number across instances for the rest of the transaction (PostgreSQL). */
export async function lockReceiptForVerification(trx: Transaction<Database>, dialect: DialectName, receiptNumber: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${'verify:' + receiptNumber}))`.execute(trx);
}

export const findLock = (db: Executor, receiptNumber: string) =>
  db.selectFrom('verification_locks').selectAll().where('receipt_number', '=', receiptNumber).executeTakeFirst();

export async function setLock(db: Executor, receiptNumber: string, at: string, until: string): Promise<void> {
  await db.insertInto('verification_locks').values({ receipt_number: receiptNumber, locked_at: at, locked_until: until })
    .onConflict((oc) => oc.column('receipt_number').doUpdateSet({ locked_at: at, locked_until: until })).execute();
}

export const insertFailure = (db: Executor, row: Database['verification_failures']) => db.insertInto('verification_failures').values(row).execute();

export const forgetFailuresBefore = (db: Executor, receiptNumber: string, before: string) =>
  db.deleteFrom('verification_failures').where('receipt_number', '=', receiptNumber).where('at', '<=', before).execute();

export const failuresSince = async (db: Executor, receiptNumber: string, since: string): Promise<number> =>
  Number((await db.selectFrom('verification_failures').select((eb) => eb.fn.countAll().as('n'))
    .where('receipt_number', '=', receiptNumber).where('at', '>', since).executeTakeFirstOrThrow()).n);

// ── records from a telephony platform ────────────────────────────────────────────────────────────────────────

/** Stores platform records not seen before (by external id); returns the external ids stored now. */
export async function insertPlatformRecords(db: Executor, rows: ContactRow[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200);
    const got = await db.insertInto('contacts').values(part).onConflict((oc) => oc.column('external_id').doNothing()).returning(['external_id']).execute();
    for (const g of got) if (g.external_id) stored.add(g.external_id);
  }
  return stored;
}

export const staffIdsByAgentIds = async (db: Executor, agentIds: readonly string[]) =>
  agentIds.length === 0 ? new Map<string, string>()
    : new Map((await db.selectFrom('staff').select(['id', 'agent_id']).where('agent_id', 'in', [...agentIds]).execute()).map((r) => [r.agent_id, r.id]));

// ── finding calls ────────────────────────────────────────────────────────────────────────────────────────────

export interface ContactFilter {
  callerPhone?: string | undefined;
  agentId?: string | undefined;
  /** Inclusive lower and exclusive upper bounds on started_at (UTC ISO instants). */
  from?: string | undefined;
  to?: string | undefined;
}

/** Calls matching the filter, newest first, with the total; each filter has an index that leads with it. */
export async function findContacts(db: Executor, filter: ContactFilter, page: number, pageSize: number): Promise<{ rows: ContactRow[]; total: number }> {
  let q = db.selectFrom('contacts');
  if (filter.callerPhone) q = q.where('caller_phone', '=', filter.callerPhone);
  if (filter.agentId) q = q.where('agent_id', '=', filter.agentId);
  if (filter.from) q = q.where('started_at', '>=', filter.from);
  if (filter.to) q = q.where('started_at', '<', filter.to);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Service requests made on each of these calls, by call. */
export async function referralsByContact(db: Executor, contactIds: readonly string[]): Promise<Map<string, string[]>> {
  const by = new Map<string, string[]>();
  if (contactIds.length === 0) return by;
  const rows = await db.selectFrom('service_requests').select(['contact_id', 'referral_number']).where('contact_id', 'in', [...contactIds]).orderBy('created_at').execute();
  for (const r of rows) if (r.contact_id) by.set(r.contact_id, [...(by.get(r.contact_id) ?? []), r.referral_number]);
  return by;
}

/** The notes written on each of these calls, oldest first, by call. */
export async function notesByContact(db: Executor, contactIds: readonly string[]): Promise<Map<string, string[]>> {
  const by = new Map<string, string[]>();
  if (contactIds.length === 0) return by;
  const rows = await db.selectFrom('contact_events').select(['contact_id', 'detail']).where('contact_id', 'in', [...contactIds]).where('kind', '=', 'note')
    .orderBy('at').orderBy('id').execute();
  for (const r of rows) {
    const text = r.detail ? (JSON.parse(r.detail) as { text?: unknown }).text : undefined;
    if (typeof text === 'string') by.set(r.contact_id, [...(by.get(r.contact_id) ?? []), text]);
  }
  return by;
}

/** A staff member's public agent ID. */
export const agentIdOf = async (db: Executor, staffId: string | null): Promise<string | null> =>
  staffId === null ? null : (await db.selectFrom('staff').select('agent_id').where('id', '=', staffId).executeTakeFirst())?.agent_id ?? null;
