/**
 * All SQL of service requests. Every state change is one conditional UPDATE naming the statuses it may leave, so
 * two instances racing on one request cannot both win: the loser's UPDATE matches no row.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, ServiceRequestEventTable, ServiceRequestStatus, ServiceRequestTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type ServiceRequestRow = ServiceRequestTable;
export type ServiceRequestEventRow = ServiceRequestEventTable;

/** The statuses of work an office still has to do. */
export const ACTIVE_STATUSES: readonly ServiceRequestStatus[] = ['open', 'claimed', 'reopened'];
/** The statuses "open" means for the duplicate rule: any but answered and closed. */
export const isOpenStatus = (s: ServiceRequestStatus): boolean => s !== 'answered' && s !== 'closed';
export const openSlot = (receiptNumber: string, type: string): string => `${receiptNumber} ${type}`;

export async function insertRequest(db: Executor, row: ServiceRequestRow): Promise<void> {
  await db.insertInto('service_requests').values(row).execute();
}

export async function insertEvent(db: Executor, row: ServiceRequestEventRow): Promise<void> {
  await db.insertInto('service_request_events').values(row).execute();
}

export const findRequest = (db: Executor, referralNumber: string) =>
  db.selectFrom('service_requests').selectAll().where('referral_number', '=', referralNumber).executeTakeFirst();

/** The open request of a case and type (the duplicate rule), if any. */
export const findOpen = (db: Executor, receiptNumber: string, type: string) =>
  db.selectFrom('service_requests').selectAll().where('open_slot', '=', openSlot(receiptNumber, type)).executeTakeFirst();

/** A case's requests, newest first (for the case's page and the agent desk). */
export const requestsOfCase = (db: Executor, receiptNumber: string) =>
  db.selectFrom('service_requests').selectAll().where('receipt_number', '=', receiptNumber).orderBy('created_at', 'desc').execute();

export const eventsOf = (db: Executor, referralNumber: string) =>
  db.selectFrom('service_request_events').selectAll().where('referral_number', '=', referralNumber).orderBy('at').orderBy('id').execute();

/** True when the error is the database refusing a second open request of a case and type (the unique open_slot). */
export function isOpenSlotConflict(err: unknown): boolean {
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e?.code === '23505') return (e.constraint ?? e.message ?? '').includes('open_slot'); // PostgreSQL unique_violation
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && (e.message ?? '').includes('open_slot');
}

export interface QueueFilter {
  office?: string | undefined;
  /** One status; without it, the active ones (open, claimed, reopened). */
  status?: ServiceRequestStatus | undefined;
  type?: string | undefined;
  overdue?: boolean | undefined;
  claimedBy?: string | undefined;
  flagged?: boolean | undefined;
}

/** From this offset on, a page is read from whichever end of the ordered range is nearer (see listRequests). */
export const NEAR_END_FROM_OFFSET = 1_000;

/**
 * One page of requests, oldest due first (then oldest created: first in, first out), and how many match. Office,
 * activity and each filter lead an index in this order, so a page and its count read one index range. A deep page
 * is read from the nearer end: past NEAR_END_FROM_OFFSET the count comes first, and a page in the second half is
 * read in reverse order from the end (then turned round), so the last page costs what the first does (OFFSET
 * walks every entry it skips).
 */
export async function listRequests(db: Executor, filter: QueueFilter, pageNumber: number, pageSize: number): Promise<{ rows: ServiceRequestRow[]; total: number }> {
  let q = db.selectFrom('service_requests');
  if (filter.office !== undefined) q = q.where('office', '=', filter.office);
  q = filter.status === undefined ? q.where('active', '=', 1) : q.where('status', '=', filter.status);
  if (filter.type !== undefined) q = q.where('type', '=', filter.type);
  if (filter.overdue !== undefined) q = q.where('overdue', '=', filter.overdue ? 1 : 0);
  if (filter.claimedBy !== undefined) q = q.where('claimed_by', '=', filter.claimedBy);
  if (filter.flagged !== undefined) q = q.where('form_letter_flag', '=', filter.flagged ? 1 : 0);
  const count = async () => Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  // The page's referral numbers come from the index alone (each filter's index holds the order's columns and the
  // referral number), then its rows by primary key: the entries OFFSET skips never touch the table.
  const page = async (dir: 'asc' | 'desc', limit: number, offset: number) => {
    const ids = q.select('referral_number').orderBy('due_date', dir).orderBy('created_at', dir).orderBy('referral_number', dir).limit(limit).offset(offset);
    return db.selectFrom('service_requests').selectAll().where('referral_number', 'in', ids)
      .orderBy('due_date', dir).orderBy('created_at', dir).orderBy('referral_number', dir).execute();
  };
  const forward = (offset: number) => page('asc', pageSize, offset);
  const offset = (pageNumber - 1) * pageSize;
  if (offset < NEAR_END_FROM_OFFSET) {
    const [rows, total] = await Promise.all([forward(offset), count()]);
    return { rows, total };
  }
  const total = await count();
  if (offset >= total) return { rows: [], total };
  const size = Math.min(pageSize, total - offset);
  const fromEnd = total - offset - size;
  if (fromEnd >= offset) return { rows: await forward(offset), total };
  return { rows: (await page('desc', size, fromEnd)).reverse(), total };
}

/**
 * Changes a request only if it is still in one of `from` (and, when given, still held by `claimedBy`): the
 * database decides races. Returns the row after the change, or undefined when it matched nothing.
 */
export async function transition(
  db: Executor,
  referralNumber: string,
  guard: { from: readonly ServiceRequestStatus[]; claimedBy?: string | null | undefined; office?: string | undefined },
  set: Partial<ServiceRequestRow>,
): Promise<ServiceRequestRow | undefined> {
  let q = db.updateTable('service_requests').set(set).where('referral_number', '=', referralNumber).where('status', 'in', [...guard.from]);
  if (guard.claimedBy === null) q = q.where('claimed_by', 'is', null);
  else if (guard.claimedBy !== undefined) q = q.where('claimed_by', '=', guard.claimedBy);
  if (guard.office !== undefined) q = q.where('office', '=', guard.office);
  return q.returningAll().executeTakeFirst();
}

/** The open (not answered or closed) requests of a case held elsewhere than `office`: the ones a case move takes along. */
export const openRequestsNotAt = (db: Executor, receiptNumber: string, office: string) =>
  db.selectFrom('service_requests').selectAll().where('receipt_number', '=', receiptNumber).where('status', 'not in', ['answered', 'closed']).where('office', '!=', office).execute();

/**
 * Marks the active requests of `office` due before `today` as overdue, and returns them. Each is returned by
 * exactly one caller however many instances sweep at once: the UPDATE's `overdue = 0` is re-checked under the
 * row lock on PostgreSQL, and SQLite runs one writer at a time.
 */
export async function markOverdue(db: Executor, office: string, today: string, now: string, limit: number): Promise<ServiceRequestRow[]> {
  const due = db.selectFrom('service_requests').select('referral_number')
    .where('active', '=', 1).where('overdue', '=', 0).where('due_date', '<', today).where('office', '=', office)
    .orderBy('due_date').limit(limit);
  return db.updateTable('service_requests').set({ overdue: 1, overdue_at: now, updated_at: now })
    .where('referral_number', 'in', due).where('overdue', '=', 0).where('active', '=', 1)
    .returningAll().execute();
}

/** Closes answered requests answered before `before` (the reopen window has passed); returns them. */
export async function closeAnswered(db: Executor, before: string, now: string, limit: number): Promise<ServiceRequestRow[]> {
  const old = db.selectFrom('service_requests').select('referral_number').where('status', '=', 'answered').where('answered_at', '<', before).limit(limit);
  return db.updateTable('service_requests').set({ status: 'closed', closed_at: now, updated_at: now })
    .where('referral_number', 'in', old).where('status', '=', 'answered')
    .returningAll().execute();
}

/** Names and offices of staff accounts, by id (who claimed, who answered). */
export async function staffByIds(db: Executor, ids: readonly string[]): Promise<Map<string, { id: string; name: string; office: string | null; role: string; disabled: number }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'name', 'office', 'role', 'disabled']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Counts of active requests per office and whether overdue (the supervisor's overview). */
export async function activeCounts(db: Executor): Promise<Array<{ office: string; overdue: number; n: number }>> {
  const rows = await db.selectFrom('service_requests').select((eb) => ['office', 'overdue', eb.fn.countAll().as('n')])
    .where('active', '=', 1).groupBy(['office', 'overdue']).execute();
  return rows.map((r) => ({ office: r.office, overdue: Number(r.overdue), n: Number(r.n) }));
}

/** Inserts many requests at once (the demo, benchmarks, bulk loads), in chunks under SQLite's parameter limit. */
export async function insertRequests(db: Executor, rows: readonly ServiceRequestRow[]): Promise<void> {
  const chunk = 500; // 33 columns × 500 rows stays under SQLite's 32,766 parameters
  for (let i = 0; i < rows.length; i += chunk) await db.insertInto('service_requests').values(rows.slice(i, i + chunk)).execute();
}

export async function insertEvents(db: Executor, rows: readonly ServiceRequestEventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await db.insertInto('service_request_events').values(rows.slice(i, i + 2000)).execute();
}
