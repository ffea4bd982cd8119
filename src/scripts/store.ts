/**
 * Every SQL statement of scripts and the knowledge base. Search differs by database (see the migration):
 * SQLite asks its FTS5 table and ranks by bm25; PostgreSQL asks the tsvector column and ranks by ts_rank. Both
 * index the application's normalised text (accents and case removed), so both match "informacion" and "Información".
 */
import { sql, type Transaction } from 'kysely';
import type { Db, DialectName } from '../platform/db/database.ts';
import type { Database, ScriptTable } from '../platform/db/schema.ts';

export type ScriptRow = ScriptTable;
type Conn = Db | Transaction<Database>;

/** The published version's hash per topic (both languages share it). */
export async function latestHashes(db: Conn): Promise<Map<string, { version: number; hash: string }>> {
  const rows = await db.selectFrom('scripts').select(['slug', 'version', 'content_hash']).where('latest', '=', 1).execute();
  return new Map(rows.map((r) => [r.slug, { version: Number(r.version), hash: r.content_hash }]));
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
    const { rows } = await sql<ScriptRow>`select slug, language, version, title, body, keywords, legal_advice_boundary, search_title, search_keywords, search_body, content_hash, published_at, latest
      from scripts where language = ${language} and latest = 1 and search_vector @@ to_tsquery('simple', ${query})
      order by ts_rank(search_vector, to_tsquery('simple', ${query})) desc, title, slug`.execute(db);
    return rows;
  }
  const match = terms.map((t) => `"${t}"*`).join(' OR ');
  const { rows } = await sql<ScriptRow>`select s.slug, s.language, s.version, s.title, s.body, s.keywords, s.legal_advice_boundary, s.search_title, s.search_keywords, s.search_body, s.content_hash, s.published_at, s.latest
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
