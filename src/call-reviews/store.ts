/** All SQL of call reviews and the retention holds they place on calls. */
import type { Kysely, Transaction } from 'kysely';
import type { CallReviewTable, Database } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type CallReviewRow = CallReviewTable;

export const insertReview = (db: Executor, row: CallReviewRow) => db.insertInto('call_reviews').values(row).execute();

export const findReview = (db: Executor, reviewNumber: string) =>
  db.selectFrom('call_reviews').selectAll().where('review_number', '=', reviewNumber).executeTakeFirst();

export const reviewNumberTaken = async (db: Executor, n: string) => (await findReview(db, n)) !== undefined;

/** Closes an open review; undefined when it was not open (already closed, or no such review). */
export const closeReview = (db: Executor, reviewNumber: string, changes: Pick<CallReviewRow, 'outcome' | 'closed_at' | 'closed_by'>) =>
  db.updateTable('call_reviews').set({ ...changes, status: 'closed' }).where('review_number', '=', reviewNumber).where('status', '=', 'open')
    .returningAll().executeTakeFirst();

/** Calls from one phone number that started within [from, to), with their agent's name, for matching. */
export const callsFromPhoneBetween = (db: Executor, phone: string, from: string, to: string) =>
  db.selectFrom('contacts').leftJoin('staff', 'staff.id', 'contacts.agent_staff_id')
    .select(['contacts.id', 'contacts.reference', 'contacts.started_at', 'contacts.agent_id', 'contacts.recording_uri', 'staff.name as agent_name'])
    .where('contacts.caller_phone', '=', phone).where('contacts.started_at', '>=', from).where('contacts.started_at', '<', to)
    .orderBy('contacts.started_at').limit(200).execute();

export const callByReference = (db: Executor, reference: string) =>
  db.selectFrom('contacts').select(['id', 'reference', 'started_at', 'agent_id', 'recording_uri', 'caller_phone']).where('reference', '=', reference).executeTakeFirst();

export const callById = (db: Executor, id: string) =>
  db.selectFrom('contacts').select(['id', 'reference', 'started_at', 'ended_at', 'agent_id', 'caller_phone', 'tier', 'disposition', 'recording_uri']).where('id', '=', id).executeTakeFirst();

export const addHold = (db: Executor, row: Database['retention_holds']) => db.insertInto('retention_holds').values(row).execute();

export const releaseHolds = (db: Executor, reason: string, at: string) =>
  db.updateTable('retention_holds').set({ released_at: at }).where('reason', '=', reason).where('released_at', 'is', null).execute();

/** True while a record has a hold not yet released (the retention purge must leave it). */
export const isHeld = async (db: Executor, kind: string, id: string): Promise<boolean> =>
  (await db.selectFrom('retention_holds').select('id').where('record_kind', '=', kind).where('record_id', '=', id).where('released_at', 'is', null).executeTakeFirst()) !== undefined;

/** A review with its call, as the list shows it. */
export interface ReviewListRow {
  review_number: string; status: 'open' | 'closed'; concern: string; created_at: string; closed_at: string | null;
  reference: string; started_at: string; agent_id: string | null; agent_name: string | null;
}

/**
 * One page of reviews, open first then closed, newest first (the status index: 'open' sorts after 'closed', so
 * status descending puts the open ones first), with their calls; `status` keeps one of the two.
 */
export async function listReviews(db: Executor, status: 'open' | 'closed' | undefined, page: number, pageSize: number): Promise<{ rows: ReviewListRow[]; total: number }> {
  let q = db.selectFrom('call_reviews').innerJoin('contacts', 'contacts.id', 'call_reviews.contact_id').leftJoin('staff', 'staff.id', 'contacts.agent_staff_id');
  let count = db.selectFrom('call_reviews');
  if (status) {
    q = q.where('call_reviews.status', '=', status);
    count = count.where('status', '=', status);
  }
  const [rows, total] = await Promise.all([
    q.select(['call_reviews.review_number', 'call_reviews.status', 'call_reviews.concern', 'call_reviews.created_at', 'call_reviews.closed_at',
      'contacts.reference', 'contacts.started_at', 'contacts.agent_id', 'staff.name as agent_name'])
      .orderBy('call_reviews.status', 'desc').orderBy('call_reviews.created_at', 'desc').orderBy('call_reviews.review_number')
      .limit(pageSize).offset((page - 1) * pageSize).execute(),
    count.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Names of staff accounts by id (who asked for and who closed a review). */
export const staffNames = async (db: Executor, ids: string[]): Promise<Map<string, string>> => {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
};

/** The name of the staff member who took a call, if Switchboard knows them. */
export const agentNameOf = async (db: Executor, contactId: string): Promise<string | null> =>
  (await db.selectFrom('contacts').innerJoin('staff', 'staff.id', 'contacts.agent_staff_id').select('staff.name').where('contacts.id', '=', contactId).executeTakeFirst())?.name ?? null;
