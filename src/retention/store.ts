/**
 * All SQL of retention: the rules (end of file) and the purge. Each removal is ONE conditional statement over a batch chosen inside it:
 * `DELETE … WHERE id IN (SELECT id … past the rule AND not held … LIMIT n [FOR UPDATE SKIP LOCKED]) RETURNING id`.
 * Only the statement that removes a row gets it back, so the caller audits exactly what it removed, and each
 * record is removed (and counted) once however many instances purge at once (ADR 0013):
 * - PostgreSQL: the batch is chosen FOR UPDATE SKIP LOCKED, so instances purging together take different rows
 *   (no waiting, no deadlock between two batches locking rows in different orders); a row another instance
 *   removed and committed meanwhile is re-checked under READ COMMITTED, found gone and skipped.
 * - SQLite: transactions begin IMMEDIATE (src/platform/db/database.ts), so one purge transaction runs at a time.
 * A record with an unreleased hold is never chosen: the hold check is inside the same statement.
 */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database, RetentionRuleTable } from '../platform/db/schema.ts';
import type { DialectName } from '../platform/db/database.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Holds that keep a whole call: a hold on the contact, or on its recording (the row carries the recording). */
const CONTACT_HOLDS = ['contact', 'recording'];

/** No unreleased hold of these kinds names this contact. */
const notHeld = (eb: ExpressionBuilder<Database, 'contacts'>, kinds: readonly string[]) =>
  eb.not(eb.exists(eb.selectFrom('retention_holds').select('retention_holds.id')
    .whereRef('retention_holds.record_id', '=', 'contacts.id')
    .where('retention_holds.record_kind', 'in', [...kinds])
    .where('retention_holds.released_at', 'is', null)));

/** The call ended before `before` (a call never ended: it started before). */
const endedBefore = (eb: ExpressionBuilder<Database, 'contacts'>, before: string) =>
  eb.or([eb('contacts.ended_at', '<', before), eb.and([eb('contacts.ended_at', 'is', null), eb('contacts.started_at', '<', before)])]);

function dueContacts(db: Executor, dialect: DialectName, before: string, limit: number) {
  let q = db.selectFrom('contacts').select('contacts.id')
    .where((eb) => eb.and([endedBefore(eb, before), notHeld(eb, CONTACT_HOLDS)]))
    .orderBy('contacts.id').limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return q;
}

function dueRecordings(db: Executor, dialect: DialectName, before: string, limit: number) {
  let q = db.selectFrom('contacts').select('contacts.id')
    .where('contacts.recording_uri', 'is not', null)
    .where((eb) => eb.and([endedBefore(eb, before), notHeld(eb, CONTACT_HOLDS)]))
    .orderBy('contacts.id').limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return q;
}

export interface RemovedContacts {
  ids: string[];
  /** Of the contacts' history events, how many were notes written on the call. */
  notes: number;
  events: number;
  caseLinks: number;
  verificationFailures: number;
}

/**
 * Removes up to `limit` contacts whose call ended before `before` and that no hold names, with what belongs to
 * the call: its history (notes among it), its case links and its failed verifications.
 */
export async function removeContacts(trx: Transaction<Database>, dialect: DialectName, before: string, limit: number): Promise<RemovedContacts> {
  const ids = (await trx.deleteFrom('contacts').where('id', 'in', dueContacts(trx, dialect, before, limit)).returning('id').execute()).map((r) => r.id);
  if (ids.length === 0) return { ids, notes: 0, events: 0, caseLinks: 0, verificationFailures: 0 };
  const events = await trx.deleteFrom('contact_events').where('contact_id', 'in', ids).returning('kind').execute();
  const links = await trx.deleteFrom('contact_cases').where('contact_id', 'in', ids).executeTakeFirst();
  const failures = await trx.deleteFrom('verification_failures').where('contact_id', 'in', ids).executeTakeFirst();
  return {
    ids, notes: events.filter((e) => e.kind === 'note').length, events: events.length,
    caseLinks: Number(links.numDeletedRows), verificationFailures: Number(failures.numDeletedRows),
  };
}

/** Clears up to `limit` recording references of calls that ended before `before` and that no hold names; returns the contacts' ids. */
export async function removeRecordings(trx: Transaction<Database>, dialect: DialectName, before: string, limit: number): Promise<string[]> {
  const rows = await trx.updateTable('contacts').set({ recording_uri: null })
    .where('id', 'in', dueRecordings(trx, dialect, before, limit)).where('recording_uri', 'is not', null)
    .returning('id').execute();
  return rows.map((r) => r.id);
}

/** Removes up to `limit` feedback rows received before `before`; returns their ids. */
export async function removeFeedback(trx: Transaction<Database>, dialect: DialectName, before: string, limit: number): Promise<string[]> {
  let due = trx.selectFrom('feedback').select('id').where('created_at', '<', before).orderBy('id').limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return (await trx.deleteFrom('feedback').where('id', 'in', due).returning('id').execute()).map((r) => r.id);
}

/** Removes up to `limit` drafts of the public case assistance form last changed before `before`; returns their hashes. */
export async function removeDrafts(trx: Transaction<Database>, dialect: DialectName, before: string, limit: number): Promise<string[]> {
  let due = trx.selectFrom('case_assistance_drafts').select('token_hash').where('updated_at', '<', before).orderBy('token_hash').limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return (await trx.deleteFrom('case_assistance_drafts').where('token_hash', 'in', due).returning('token_hash').execute()).map((r) => r.token_hash);
}

/**
 * Documents past their rule: those of case assistance requests closed before `before`, and those left in a draft
 * that is no longer there (its draft purged, or never sent and forgotten): bytes and all. Their ids.
 */
export async function removeDocuments(trx: Transaction<Database>, dialect: DialectName, before: string, limit: number): Promise<string[]> {
  let due = dueDocuments(trx, before).select('d.id').orderBy('d.id').limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return (await trx.deleteFrom('case_assistance_documents').where('id', 'in', due).returning('id').execute()).map((r) => r.id);
}

const dueDocuments = (db: Executor, before: string) =>
  db.selectFrom('case_assistance_documents as d').where((eb) => eb.or([
    eb('d.request_number', 'in', eb.selectFrom('case_assistance_requests').select('request_number').where('status', '=', 'closed').where('closed_at', '<', before)),
    eb.and([eb('d.request_number', 'is', null), eb('d.draft_hash', 'not in', eb.selectFrom('case_assistance_drafts').select('token_hash'))]),
  ]));

/** Documents a purge would remove now: past their rule, plus those of drafts the same purge forgets. */
export const countDocuments = async (db: Executor, before: string, draftsBefore: string): Promise<number> => {
  const past = await count(dueDocuments(db, before).select((eb) => eb.fn.countAll<number>().as('n')));
  const withDrafts = await count(db.selectFrom('case_assistance_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('request_number', 'is', null)
    .where('draft_hash', 'in', db.selectFrom('case_assistance_drafts').select('token_hash').where('updated_at', '<', draftsBefore)));
  return past + withDrafts;
};

/**
 * PostgreSQL gave up the transaction to break a deadlock or a serialization conflict (40P01, 40001): it removed
 * nothing and may simply run again. Two purges cannot deadlock on the rows they remove (SKIP LOCKED), but other
 * locks a removal takes can (triggers that mark summary rows, for instance).
 */
export const isRetryable = (err: unknown): boolean => ['40P01', '40001'].includes((err as { code?: string } | null)?.code ?? '');

// ── what a purge would remove now (the dry run), and what a hold keeps ─────────────────────────────────────────

const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => Number((await q.executeTakeFirstOrThrow()).n);

/** Contacts past `before`: how many would go now, and how many a hold keeps. */
export async function countContacts(db: Executor, before: string): Promise<{ due: number; held: number }> {
  const due = await count(db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.and([endedBefore(eb, before), notHeld(eb, CONTACT_HOLDS)])));
  const past = await count(db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => endedBefore(eb, before)));
  return { due, held: past - due };
}

/** Notes written on the contacts that would go now (they go with them). */
export const countNotesOfDueContacts = (db: Executor, before: string) =>
  count(db.selectFrom('contact_events').select((eb) => eb.fn.countAll<number>().as('n')).where('contact_events.kind', '=', 'note')
    .where('contact_events.contact_id', 'in', db.selectFrom('contacts').select('contacts.id').where((eb) => eb.and([endedBefore(eb, before), notHeld(eb, CONTACT_HOLDS)]))));

/** Recording references past `before`: how many would be cleared now, and how many a hold keeps. */
export async function countRecordings(db: Executor, before: string): Promise<{ due: number; held: number }> {
  const base = () => db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('contacts.recording_uri', 'is not', null);
  const due = await count(base().where((eb) => eb.and([endedBefore(eb, before), notHeld(eb, CONTACT_HOLDS)])));
  const past = await count(base().where((eb) => endedBefore(eb, before)));
  return { due, held: past - due };
}

export const countFeedback = (db: Executor, before: string) =>
  count(db.selectFrom('feedback').select((eb) => eb.fn.countAll<number>().as('n')).where('created_at', '<', before));

export const countDrafts = (db: Executor, before: string) =>
  count(db.selectFrom('case_assistance_drafts').select((eb) => eb.fn.countAll<number>().as('n')).where('updated_at', '<', before));

// ── the rules (table retention_rules; the admin page changes them, the purge reads them) ────────────────────────

/** Every stored rule, with its revision and last change. */
export const rules = (db: Executor) => db.selectFrom('retention_rules').selectAll().orderBy('kind').execute();

/** Adds the rules of kinds without a row (start-up, from the agency's file); a row already there is never replaced. */
export async function addMissingRules(db: Executor, rows: ReadonlyArray<Omit<RetentionRuleTable, 'revision' | 'updated_at' | 'updated_by'>>, at: string, by: string): Promise<void> {
  if (!rows.length) return;
  await db.insertInto('retention_rules').values(rows.map((r) => ({ ...r, revision: 1, updated_at: at, updated_by: by })))
    .onConflict((oc) => oc.column('kind').doNothing()).execute();
}

/** Changes one rule if it is still at `revision` (two admins saving at once: one wins, the other is told); true when it changed. */
export async function changeRule(trx: Transaction<Database>, kind: string, revision: number, patch: { keep_unit: string; keep_n: number; basis: string }, at: string, by: string): Promise<boolean> {
  const res = await trx.updateTable('retention_rules').set({ ...patch, revision: revision + 1, updated_at: at, updated_by: by })
    .where('kind', '=', kind).where('revision', '=', revision).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
