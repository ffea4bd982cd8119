/** All SQL of the visa bulletin: one row per month, each chart as JSON text. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, VisaBulletinTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Inserts or replaces a month's bulletin. */
export async function upsertBulletin(trx: Executor, row: VisaBulletinTable): Promise<void> {
  await trx.insertInto('visa_bulletins').values(row)
    .onConflict((oc) => oc.column('month').doUpdateSet((eb) => ({
      final_action: eb.ref('excluded.final_action'), dates_for_filing: eb.ref('excluded.dates_for_filing'), published_at: eb.ref('excluded.published_at'),
    })))
    .execute();
}

export const findBulletin = (db: Executor, month: string) =>
  db.selectFrom('visa_bulletins').selectAll().where('month', '=', month).executeTakeFirst();

/** Every published month (one a month: a small list). */
export async function publishedMonths(db: Executor): Promise<string[]> {
  return (await db.selectFrom('visa_bulletins').select('month').orderBy('month').execute()).map((r) => r.month);
}

/** Every month and when it was published, newest first. */
export const listBulletins = (db: Executor) =>
  db.selectFrom('visa_bulletins').select(['month', 'published_at']).orderBy('month', 'desc').execute();
