/**
 * All SQL of case details and notices: the notice re-issue requests, and the one write Switchboard makes to a
 * case row, an entry appended to its `local_history` (the feed never touches that column, so a re-sent record
 * keeps it). The append is a compare-and-set on the column's previous text, so two writers racing on one case
 * cannot lose each other's entry: the loser's UPDATE matches no row and it reads again.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CaseTable, Database, NoticeReissueRequestTable, NoticeReissueStatus } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type ReissueRow = NoticeReissueRequestTable;

export const reissueSlot = (receiptNumber: string, noticeId: string): string => `${receiptNumber} ${noticeId}`;

/** A case's local history as stored (JSON text), or undefined when the case is not loaded. */
export async function localHistoryOf(db: Executor, receiptNumber: string): Promise<string | undefined> {
  const row = await db.selectFrom('cases').select('local_history').where('receipt_number', '=', receiptNumber).executeTakeFirst();
  return row?.local_history;
}

/**
 * Replaces the local history only if it is still `previous` (and, when `feedHash` is given, the feed's part is
 * still that one: the status document passed with it was rendered from both); true when it did.
 */
export async function replaceLocalHistory(
  db: Executor, receiptNumber: string, previous: string, next: string, now: string,
  status?: { feedHash: string; columns: Pick<CaseTable, 'status_vocabulary' | 'status_api' | 'status_document'> },
): Promise<boolean> {
  let q = db.updateTable('cases').set({ local_history: next, updated_at: now, ...status?.columns })
    .where('receipt_number', '=', receiptNumber).where('local_history', '=', previous);
  if (status) q = q.where('feed_hash', '=', status.feedHash);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertReissue(db: Executor, row: ReissueRow): Promise<void> {
  await db.insertInto('notice_reissue_requests').values(row).execute();
}

/** The open re-issue request of a case and notice, if any. */
export const findOpenReissue = (db: Executor, receiptNumber: string, noticeId: string) =>
  db.selectFrom('notice_reissue_requests').selectAll().where('open_slot', '=', reissueSlot(receiptNumber, noticeId)).executeTakeFirst();

/** A case's re-issue requests, newest first (its timeline). */
export const reissuesOfCase = (db: Executor, receiptNumber: string) =>
  db.selectFrom('notice_reissue_requests').selectAll().where('receipt_number', '=', receiptNumber).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();

/** One page of an office's re-issue requests in one status, oldest first, and how many there are. */
export async function listReissues(db: Executor, office: string, status: NoticeReissueStatus, page: number, pageSize: number): Promise<{ rows: ReissueRow[]; total: number }> {
  const q = db.selectFrom('notice_reissue_requests').where('office', '=', office).where('status', '=', status);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Marks the open request of a case and notice done (the duplicate was issued); returns it, or undefined when none was open. */
export async function markReissueDone(db: Executor, receiptNumber: string, noticeId: string, set: { doneAt: string; doneBy: string; duplicateNoticeId: string }): Promise<ReissueRow | undefined> {
  return db.updateTable('notice_reissue_requests')
    .set({ status: 'done', open_slot: null, done_at: set.doneAt, done_by: set.doneBy, duplicate_notice_id: set.duplicateNoticeId })
    .where('open_slot', '=', reissueSlot(receiptNumber, noticeId)).where('status', '=', 'open')
    .returningAll().executeTakeFirst();
}

/** Moves a case's open re-issue requests held elsewhere than `office` to it; returns the moved rows as they were. */
export async function moveOpenReissues(db: Executor, receiptNumber: string, office: string): Promise<ReissueRow[]> {
  const moving = await db.selectFrom('notice_reissue_requests').selectAll()
    .where('receipt_number', '=', receiptNumber).where('status', '=', 'open').where('office', '!=', office).execute();
  if (moving.length === 0) return [];
  await db.updateTable('notice_reissue_requests').set({ office })
    .where('id', 'in', moving.map((r) => r.id)).where('status', '=', 'open').execute();
  return moving;
}

/** True when the error is the database refusing a second open request of a case and notice (the unique open_slot). */
export function isReissueSlotConflict(err: unknown): boolean {
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e?.code === '23505') return (e.constraint ?? e.message ?? '').includes('notice_reissue_requests_open_slot'); // PostgreSQL unique_violation
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && (e.message ?? '').includes('notice_reissue_requests.open_slot');
}
