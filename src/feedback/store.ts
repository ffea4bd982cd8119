/** All SQL of feedback. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, FeedbackTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type FeedbackRow = FeedbackTable;

export const insertFeedback = (db: Executor, row: FeedbackRow) => db.insertInto('feedback').values(row).execute();

/** Newest first, then by id (stable across pages). */
export const listFeedback = (db: Executor, offset: number, limit: number) =>
  db.selectFrom('feedback').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute();

export async function countFeedback(db: Executor): Promise<number> {
  const row = await db.selectFrom('feedback').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Per page (null: not about a page): answers, yes, no, comments; the most answered first. */
export async function countsByPage(db: Executor, limit: number) {
  const rows = await db.selectFrom('feedback')
    .select((eb) => [
      'page',
      eb.fn.countAll<string | number>().as('total'),
      eb.fn.sum<string | number | null>(eb.case().when('helpful', '=', 1).then(1).else(0).end()).as('helpful'),
      eb.fn.sum<string | number | null>(eb.case().when('helpful', '=', 0).then(1).else(0).end()).as('not_helpful'),
      eb.fn.count<string | number>('comment').as('comments'),
    ])
    .groupBy('page').orderBy('total', 'desc').orderBy('page').limit(limit).execute();
  return rows.map((r) => ({ page: r.page, total: Number(r.total), helpful: Number(r.helpful ?? 0), notHelpful: Number(r.not_helpful ?? 0), comments: Number(r.comments) }));
}

/** Counts over [from, to) of created_at (instants), for reports. */
export async function summary(db: Executor, from: string, to: string) {
  const row = await db.selectFrom('feedback')
    .select((eb) => [
      eb.fn.sum<string | number | null>(eb.case().when('helpful', '=', 1).then(1).else(0).end()).as('helpful'),
      eb.fn.sum<string | number | null>(eb.case().when('helpful', '=', 0).then(1).else(0).end()).as('not_helpful'),
      eb.fn.count<string | number>('comment').as('comments'),
    ])
    .where('created_at', '>=', from).where('created_at', '<', to).executeTakeFirst();
  return { helpful: Number(row?.helpful ?? 0), notHelpful: Number(row?.not_helpful ?? 0), comments: Number(row?.comments ?? 0) };
}
