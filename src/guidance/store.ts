/** All SQL of guidance pages: every published version stays; the newest is the page. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, GuidanceVersionTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type GuidanceRow = GuidanceVersionTable;

export const insertVersion = (db: Executor, row: GuidanceRow) => db.insertInto('guidance_versions').values(row).execute();

export async function maxVersion(db: Executor, slug: string): Promise<number> {
  const row = await db.selectFrom('guidance_versions').select((eb) => eb.fn.max<number | null>('version').as('v')).where('slug', '=', slug).executeTakeFirst();
  return Number(row?.v ?? 0);
}

export const latest = (db: Executor, slug: string) =>
  db.selectFrom('guidance_versions').selectAll().where('slug', '=', slug).orderBy('version', 'desc').limit(1).executeTakeFirst();

export const version = (db: Executor, slug: string, n: number) =>
  db.selectFrom('guidance_versions').selectAll().where('slug', '=', slug).where('version', '=', n).executeTakeFirst();

/** A page's versions, newest first. */
export const history = (db: Executor, slug: string, limit: number) =>
  db.selectFrom('guidance_versions').select(['slug', 'version', 'title_en', 'title_es', 'published_at', 'published_by', 'source_hash'])
    .where('slug', '=', slug).orderBy('version', 'desc').limit(limit).execute();

/** True when a version of the page came from this reference text already (so start-up publishes it once). */
export const hasSource = async (db: Executor, slug: string, hash: string): Promise<boolean> =>
  (await db.selectFrom('guidance_versions').select('version').where('slug', '=', slug).where('source_hash', '=', hash).executeTakeFirst()) !== undefined;

/** Every page's newest version, by address. */
export async function allLatest(db: Executor, limit: number): Promise<GuidanceRow[]> {
  return db.selectFrom('guidance_versions as g').selectAll('g')
    .where('g.version', '=', (eb) => eb.selectFrom('guidance_versions as h').select((x) => x.fn.max<number>('h.version').as('m')).whereRef('h.slug', '=', 'g.slug'))
    .orderBy('g.slug').limit(limit).execute();
}
