/**
 * Every SQL statement of scripts and the knowledge base. Search differs by database (see the migration):
 * SQLite asks its FTS5 table and ranks by bm25; PostgreSQL asks the tsvector column and ranks by ts_rank. Both
 * index the application's normalised text (accents and case removed), so both match "informacion" and "Información".
 */
import { sql, type Transaction } from 'kysely';
import type { Db, DialectName } from '../platform/db/database.ts';
import type { Database, ScriptDraftTable, ScriptTable } from '../platform/db/schema.ts';

export type ScriptRow = ScriptTable;
export type DraftRow = ScriptDraftTable;
type Conn = Db | Transaction<Database>;

/** Per topic, the hash of the reference text its newest file-loaded version came from (staff versions have none). */
export async function sourceHashes(db: Conn): Promise<Map<string, string>> {
  const rows = await db.selectFrom('scripts').select(['slug', 'version', 'source_hash']).where('language', '=', 'en').where('source_hash', 'is not', null).orderBy('slug').orderBy('version').execute();
  return new Map(rows.map((r) => [r.slug, r.source_hash!]));
}

/** Topics whose newest version is retired. */
export async function retiredSlugs(db: Conn): Promise<Set<string>> {
  const rows = await newest(db).where('s.retired_at', 'is not', null).select('s.slug').execute();
  return new Set(rows.map((r) => r.slug));
}

export async function maxVersion(db: Conn, slug: string): Promise<number> {
  const row = await db.selectFrom('scripts').select((eb) => eb.fn.max<number | null>('version').as('v')).where('slug', '=', slug).executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Publishes one version of a topic in one language: the earlier version stays, no longer latest; the index follows. */
export async function publish(trx: Transaction<Database>, dialect: DialectName, row: ScriptRow): Promise<void> {
  await trx.updateTable('scripts').set({ latest: 0 }).where('slug', '=', row.slug).where('language', '=', row.language).where('latest', '=', 1).execute();
  await trx.insertInto('scripts').values(row).execute();
  if (dialect === 'postgres') {
    await sql`update scripts set search_vector =
        setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_keywords), 'B') || setweight(to_tsvector('simple', search_body), 'D')
      where slug = ${row.slug} and language = ${row.language} and version = ${row.version}`.execute(trx);
  } else {
    await sql`delete from scripts_fts where slug = ${row.slug} and language = ${row.language}`.execute(trx);
    await sql`insert into scripts_fts (slug, language, title, keywords, body) values (${row.slug}, ${row.language}, ${row.search_title}, ${row.search_keywords}, ${row.search_body})`.execute(trx);
  }
}

/** The published scripts of a language, by title. */
export async function allLatest(db: Conn, language: string): Promise<ScriptRow[]> {
  return db.selectFrom('scripts').selectAll().where('language', '=', language).where('latest', '=', 1).orderBy('title').orderBy('slug').execute();
}

/**
 * The published scripts of a language matching any of `terms` (normalised words; each also matches as a prefix),
 * best first. Terms are [a-z0-9] only (see checks.ts), so they are safe inside both query syntaxes.
 */
export async function search(db: Conn, dialect: DialectName, language: string, terms: readonly string[]): Promise<ScriptRow[]> {
  if (!terms.length) return [];
  if (dialect === 'postgres') {
    const query = terms.map((t) => `${t}:*`).join(' | ');
    const { rows } = await sql<ScriptRow>`select slug, language, version, title, body, keywords, legal_advice_boundary, search_title, search_keywords, search_body, content_hash, published_at, latest, source_hash, retired_at, retired_by
      from scripts where language = ${language} and latest = 1 and search_vector @@ to_tsquery('simple', ${query})
      order by ts_rank(search_vector, to_tsquery('simple', ${query})) desc, title, slug`.execute(db);
    return rows;
  }
  const match = terms.map((t) => `"${t}"*`).join(' OR ');
  const { rows } = await sql<ScriptRow>`select s.slug, s.language, s.version, s.title, s.body, s.keywords, s.legal_advice_boundary, s.search_title, s.search_keywords, s.search_body, s.content_hash, s.published_at, s.latest, s.source_hash, s.retired_at, s.retired_by
    from scripts_fts f join scripts s on s.slug = f.slug and s.language = f.language and s.latest = 1
    where scripts_fts match ${match} and f.language = ${language}
    order by bm25(scripts_fts, 0.0, 0.0, 8.0, 4.0, 1.0), s.title, s.slug`.execute(db);
  return rows;
}

/** The published version of one topic in a language. */
export async function latest(db: Conn, slug: string, language: string): Promise<ScriptRow | undefined> {
  return db.selectFrom('scripts').selectAll().where('slug', '=', slug).where('language', '=', language).where('latest', '=', 1).executeTakeFirst();
}

/** One version of a topic (a contact's recorded version stays readable after a new one is published). */
export async function version(db: Conn, slug: string, language: string, v: number): Promise<ScriptRow | undefined> {
  return db.selectFrom('scripts').selectAll().where('slug', '=', slug).where('language', '=', language).where('version', '=', v).executeTakeFirst();
}

// ── writing, reviewing, publishing and retiring (the admin pages) ─────────────────────────────────────────────

/** Each topic's newest version, one row per topic (English rows: both languages share version and state). */
const newest = (db: Conn) => db.selectFrom('scripts as s').where('s.language', '=', 'en')
  .where('s.version', '=', (eb) => eb.selectFrom('scripts as v').select((x) => x.fn.max<number>('v.version').as('m')).whereRef('v.slug', '=', 's.slug'));

/** Every topic's newest version (published or retired), by title. */
export async function topics(db: Conn): Promise<ScriptRow[]> {
  return newest(db).selectAll('s').orderBy('s.title').orderBy('s.slug').execute();
}

/** A topic's versions in one language, newest first. */
export async function history(db: Conn, slug: string, language: string): Promise<ScriptRow[]> {
  return db.selectFrom('scripts').selectAll().where('slug', '=', slug).where('language', '=', language).orderBy('version', 'desc').execute();
}

/** The newest version of a topic in a language, published or retired. */
export async function newestOf(db: Conn, slug: string, language: string): Promise<ScriptRow | undefined> {
  return db.selectFrom('scripts').selectAll().where('slug', '=', slug).where('language', '=', language).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/**
 * Retires a topic: its published rows (both languages) are no longer latest and say when and by whom; the SQLite
 * index forgets it. The number of rows retired (0: nothing published under this id).
 */
export async function retire(trx: Transaction<Database>, dialect: DialectName, slug: string, at: string, by: string): Promise<number> {
  const res = await trx.updateTable('scripts').set({ latest: 0, retired_at: at, retired_by: by }).where('slug', '=', slug).where('latest', '=', 1).executeTakeFirst();
  if (dialect === 'sqlite') await sql`delete from scripts_fts where slug = ${slug}`.execute(trx);
  return Number(res.numUpdatedRows);
}

/** Stores a new draft; false when another draft of the topic is already open (the unique open slot). */
export async function insertDraft(trx: Transaction<Database>, row: DraftRow): Promise<boolean> {
  const res = await trx.insertInto('script_drafts').values(row).onConflict((oc) => oc.column('open_slot').doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function draft(db: Conn, id: string): Promise<DraftRow | undefined> {
  return db.selectFrom('script_drafts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The drafts still open (in review or approved), oldest first. */
export async function openDrafts(db: Conn): Promise<DraftRow[]> {
  return db.selectFrom('script_drafts').selectAll().where('open_slot', 'is not', null).orderBy('created_at').orderBy('id').execute();
}

/** A topic's drafts, newest first. */
export async function draftsOf(db: Conn, slug: string, limit: number): Promise<DraftRow[]> {
  return db.selectFrom('script_drafts').selectAll().where('slug', '=', slug).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

/** Moves a draft on only from one of `from` (a conditional UPDATE: of two racing reviewers one wins); true when it moved. */
export async function moveDraft(trx: Transaction<Database>, id: string, from: readonly string[], patch: Partial<DraftRow>): Promise<boolean> {
  const res = await trx.updateTable('script_drafts').set(patch).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
