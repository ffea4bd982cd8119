/**
 * All SQL of Ombudsman case assistance requests, their history and the public form's drafts. A status change is
 * one conditional UPDATE naming the status it leaves, so two analysts racing on one request cannot both win.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CaseAssistanceDraftTable, CaseAssistanceEventTable, CaseAssistanceTable, Database } from '../platform/db/schema.ts';
import type { CaseAssistanceStatus } from './policy.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type CaseAssistanceRow = CaseAssistanceTable;
export type CaseAssistanceEventRow = CaseAssistanceEventTable;
export type DraftRow = CaseAssistanceDraftTable;

export { findRequest as findServiceRequest, eventsOf as serviceRequestEvents } from '../service-requests/store.ts';

export const insertRequest = (db: Executor, row: CaseAssistanceRow) => db.insertInto('case_assistance_requests').values(row).execute();

export const insertEvent = (db: Executor, row: CaseAssistanceEventRow) => db.insertInto('case_assistance_events').values(row).execute();

export const findRequest = (db: Executor, requestNumber: string) =>
  db.selectFrom('case_assistance_requests').selectAll().where('request_number', '=', requestNumber).executeTakeFirst();

export const requestNumberTaken = async (db: Executor, n: string) => (await findRequest(db, n)) !== undefined;

export const eventsOf = (db: Executor, requestNumber: string) =>
  db.selectFrom('case_assistance_events').selectAll().where('request_number', '=', requestNumber).orderBy('at').orderBy('id').execute();

/** One page of the analyst queue, oldest first: one status, or every status but closed. */
export async function listRequests(db: Executor, status: CaseAssistanceStatus | undefined, page: number, pageSize: number): Promise<{ rows: CaseAssistanceRow[]; total: number }> {
  const base = status ? db.selectFrom('case_assistance_requests').where('status', '=', status) : db.selectFrom('case_assistance_requests').where('status', '<>', 'closed');
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at').orderBy('request_number').limit(pageSize).offset((page - 1) * pageSize).execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Moves a request from one status to another; undefined when it was no longer in `from`. */
export const changeStatus = (db: Executor, requestNumber: string, from: CaseAssistanceStatus, changes: Partial<Pick<CaseAssistanceRow, 'status' | 'outcome' | 'closed_at' | 'updated_at'>>) =>
  db.updateTable('case_assistance_requests').set(changes).where('request_number', '=', requestNumber).where('status', '=', from).returningAll().executeTakeFirst();

export const assign = (db: Executor, requestNumber: string, userId: string, at: string) =>
  db.updateTable('case_assistance_requests').set({ assigned_to: userId, updated_at: at }).where('request_number', '=', requestNumber).where('status', '<>', 'closed')
    .returningAll().executeTakeFirst();

export const touch = (db: Executor, requestNumber: string, at: string) =>
  db.updateTable('case_assistance_requests').set({ updated_at: at }).where('request_number', '=', requestNumber).execute();

/** Cases by receipt number (for processing times). */
export const casesByReceipts = (db: Executor, receipts: string[]) =>
  receipts.length ? db.selectFrom('cases').selectAll().where('receipt_number', 'in', receipts).execute() : Promise.resolve([]);

/** Calls by reference, with what the analyst checks: when, which agent. */
export const callsByReferences = (db: Executor, references: string[]) =>
  references.length
    ? db.selectFrom('contacts').select(['id', 'reference', 'started_at', 'agent_id', 'tier', 'disposition']).where('reference', 'in', references).execute()
    : Promise.resolve([]);

/** The receipt numbers a call was about. */
export const receiptsOfCalls = (db: Executor, contactIds: string[]) =>
  contactIds.length ? db.selectFrom('contact_cases').selectAll().where('contact_id', 'in', contactIds).execute() : Promise.resolve([]);

export const staffById = (db: Executor, id: string) =>
  db.selectFrom('staff').select(['id', 'name', 'role', 'disabled']).where('id', '=', id).executeTakeFirst();

/** The active Ombudsman analysts, by name (whom a request may be assigned to). */
export const analysts = (db: Executor) =>
  db.selectFrom('staff').select(['id', 'name']).where('role', '=', 'ombudsman').where('disabled', '=', 0).orderBy('name').orderBy('id').execute();

export const staffNames = (db: Executor, ids: string[]) =>
  ids.length ? db.selectFrom('staff').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]);

// Drafts of the public form.
export const insertDraft = (db: Executor, row: DraftRow) => db.insertInto('case_assistance_drafts').values(row).execute();
export const findDraft = (db: Executor, tokenHash: string) =>
  db.selectFrom('case_assistance_drafts').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
export const saveDraft = (db: Executor, tokenHash: string, data: string, at: string) =>
  db.updateTable('case_assistance_drafts').set({ data, updated_at: at }).where('token_hash', '=', tokenHash).where('submitted_as', 'is', null).execute();
export const markDraftSubmitted = (db: Executor, tokenHash: string, requestNumber: string, at: string) =>
  db.updateTable('case_assistance_drafts').set({ submitted_as: requestNumber, updated_at: at }).where('token_hash', '=', tokenHash).execute();
