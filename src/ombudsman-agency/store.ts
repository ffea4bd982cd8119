/**
 * All SQL of the Ombudsman's requests to the agency. A claim is one conditional UPDATE (open, at the claimant's
 * office), so of two office staff claiming at once exactly one wins; an answer names the claimant and the claimed
 * status. The case assistance request's own rows are written through the Ombudsman's store.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, OmbudsmanAgencyRequestStatus, OmbudsmanAgencyRequestTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type AgencyRequestRow = OmbudsmanAgencyRequestTable;

export {
  findRequest as findCaseAssistance, insertEvent as insertCaseAssistanceEvent, changeStatus as changeCaseAssistanceStatus,
  touch as touchCaseAssistance, staffNames,
} from '../ombudsman/store.ts';
export { findCase } from '../cases/store.ts';

export const insert = (db: Executor, row: AgencyRequestRow) => db.insertInto('ombudsman_agency_requests').values(row).execute();

export const findById = (db: Executor, id: string) =>
  db.selectFrom('ombudsman_agency_requests').selectAll().where('id', '=', id).executeTakeFirst();

/** A case assistance request's questions to the agency, oldest first. */
export const ofRequest = (db: Executor, requestNumber: string) =>
  db.selectFrom('ombudsman_agency_requests').selectAll().where('request_number', '=', requestNumber).orderBy('asked_at').orderBy('id').execute();

/** One page of an office's items in these statuses, oldest due first, and how many there are. */
export async function listForOffice(db: Executor, office: string, statuses: readonly OmbudsmanAgencyRequestStatus[], order: 'due' | 'answered-desc', page: number, pageSize: number): Promise<{ rows: AgencyRequestRow[]; total: number }> {
  const q = db.selectFrom('ombudsman_agency_requests').where('office', '=', office).where('status', 'in', [...statuses]);
  const sorted = order === 'due'
    ? q.selectAll().orderBy('due_date').orderBy('asked_at').orderBy('id')
    : q.selectAll().orderBy('answered_at', 'desc').orderBy('id', 'desc');
  const [rows, count] = await Promise.all([
    sorted.limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Claims an open item at the claimant's office; undefined when someone else was quicker (or it moved, or is answered). */
export const claim = (db: Executor, id: string, office: string, staffId: string, at: string) =>
  db.updateTable('ombudsman_agency_requests').set({ status: 'claimed', claimed_by: staffId, claimed_at: at })
    .where('id', '=', id).where('status', '=', 'open').where('office', '=', office).returningAll().executeTakeFirst();

/** Answers an item the claimant holds; undefined when it is no longer theirs to answer. */
export const answer = (db: Executor, id: string, staffId: string, text: string, at: string) =>
  db.updateTable('ombudsman_agency_requests').set({ status: 'answered', answer: text, answered_by: staffId, answered_at: at })
    .where('id', '=', id).where('status', '=', 'claimed').where('claimed_by', '=', staffId).returningAll().executeTakeFirst();

/** How many of a case assistance request's questions still wait for the office. */
export async function waitingCount(db: Executor, requestNumber: string): Promise<number> {
  const r = await db.selectFrom('ombudsman_agency_requests').select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('request_number', '=', requestNumber).where('status', '<>', 'answered').executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Moves a case's unanswered items held elsewhere than `office` to it (a claim does not travel: the new office
 * claims afresh); returns the moved rows as they were.
 */
export async function moveWaiting(db: Executor, receiptNumber: string, office: string): Promise<AgencyRequestRow[]> {
  const moving = await db.selectFrom('ombudsman_agency_requests').selectAll()
    .where('receipt_number', '=', receiptNumber).where('status', 'in', ['open', 'claimed']).where('office', '<>', office).execute();
  if (moving.length === 0) return [];
  await db.updateTable('ombudsman_agency_requests').set({ office, status: 'open', claimed_by: null, claimed_at: null })
    .where('id', 'in', moving.map((r) => r.id)).where('status', 'in', ['open', 'claimed']).execute();
  return moving;
}
