/**
 * All SQL of processing times: published rows, the per-day cache of computed figures, the decided cases of
 * one group (read through the index on form_type, office, form_category, decided_date), and the few case
 * columns an inquiry needs.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, ProcessingTimeTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Published rows for a form and office in the given categories ('' is the row for every category). */
export const publishedRows = (db: Executor, formType: string, office: string, categories: string[]) =>
  db.selectFrom('processing_times').select(['form_category', 'months80', 'as_of'])
    .where('form_type', '=', formType).where('office', '=', office).where('form_category', 'in', categories)
    .execute();

/** Every published row of one form. */
export const publishedOfForm = (db: Executor, formType: string) =>
  db.selectFrom('processing_times').select(['form_type', 'form_category', 'office', 'months80', 'as_of'])
    .where('form_type', '=', formType).orderBy('office').orderBy('form_category')
    .execute();

/** Inserts or replaces published rows by (form, category, office). */
export async function upsertPublished(trx: Executor, rows: ProcessingTimeTable[]): Promise<void> {
  const chunk = 500; // 6 columns × 500 rows stays well under SQLite's parameter limit
  for (let i = 0; i < rows.length; i += chunk) {
    await trx.insertInto('processing_times').values(rows.slice(i, i + chunk))
      .onConflict((oc) => oc.columns(['form_type', 'form_category', 'office']).doUpdateSet((eb) => ({
        months80: eb.ref('excluded.months80'), as_of: eb.ref('excluded.as_of'), published_at: eb.ref('excluded.published_at'),
      })))
      .execute();
  }
}

/** The cached computed figure of a group ('*' for all categories), whatever day it was computed on. */
export const cachedFigure = (db: Executor, formType: string, category: string, office: string) =>
  db.selectFrom('processing_time_cache').select(['today', 'months80', 'decisions'])
    .where('form_type', '=', formType).where('form_category', '=', category).where('office', '=', office)
    .executeTakeFirst();

/**
 * Marks a group's cache row as being computed (`today` = "claim:<token>"), replacing what was there. The case
 * feed deletes the row when it changes the group, so a claim that survives until fillFigure saw no change.
 */
export async function claimFigure(db: Executor, key: { form_type: string; form_category: string; office: string }, token: string): Promise<void> {
  await db.insertInto('processing_time_cache').values({ ...key, today: `claim:${token}`, months80: null, decisions: 0 })
    .onConflict((oc) => oc.columns(['form_type', 'form_category', 'office']).doUpdateSet((eb) => ({
      today: eb.ref('excluded.today'), months80: eb.ref('excluded.months80'), decisions: eb.ref('excluded.decisions'),
    })))
    .execute();
}

/** Stores the figure computed under a claim; stores nothing (and returns false) when the claim is gone. */
export async function fillFigure(db: Executor, key: { form_type: string; form_category: string; office: string }, token: string, figure: { today: string; months80: number | null; decisions: number }): Promise<boolean> {
  const r = await db.updateTable('processing_time_cache').set(figure)
    .where('form_type', '=', key.form_type).where('form_category', '=', key.form_category).where('office', '=', key.office)
    .where('today', '=', `claim:${token}`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Receipt-to-decision days of one group's cases decided from `from` to `to` (inclusive); category null means all. */
export async function decisionDays(db: Executor, g: { formType: string; category: string | null; office: string; from: string; to: string }): Promise<number[]> {
  let q = db.selectFrom('cases').select('decision_days')
    .where('form_type', '=', g.formType).where('office', '=', g.office);
  if (g.category !== null) q = q.where('form_category', '=', g.category);
  const rows = await q.where('decided_date', '>=', g.from).where('decided_date', '<=', g.to).where('decision_days', 'is not', null).execute();
  return rows.map((r) => Number(r.decision_days));
}

/** What an inquiry needs to know of a case (no personal data). */
export const inquiryCase = (db: Executor, receiptNumber: string) =>
  db.selectFrom('cases').select(['receipt_number', 'form_type', 'form_category', 'office', 'field_office', 'received_date', 'decided_date'])
    .where('receipt_number', '=', receiptNumber).executeTakeFirst();

/** How many published rows there are (the demo seed publishes only into an empty table). */
export const countPublished = async (db: Executor): Promise<number> =>
  Number((await db.selectFrom('processing_times').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
