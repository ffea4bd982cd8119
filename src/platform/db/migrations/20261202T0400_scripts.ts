/**
 * Scripts and the knowledge base (CONTRACT.md section 8): approved answers, one row per topic, language and version.
 * Versions are kept forever (a contact's recorded version stays readable); `latest` = 1 marks the published one.
 * `search_text` holds title, keywords and body normalised by the application (NFKD, marks stripped, lower case), so
 * neither database needs an accent-folding extension. The full-text index differs by database:
 *   SQLite     an FTS5 table `scripts_fts` of the latest versions (unicode61, diacritics removed; bm25 ranking);
 *   PostgreSQL a tsvector column over the normalised text ('simple' configuration) with a GIN index.
 */
import { sql, PostgresAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.createTable('scripts')
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull()) // en | es
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull()) // JSON array of strings
    .addColumn('legal_advice_boundary', 'text')
    .addColumn('search_title', 'text', (c) => c.notNull())
    .addColumn('search_keywords', 'text', (c) => c.notNull())
    .addColumn('search_body', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('latest', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('scripts_pk', ['slug', 'language', 'version'])
    .execute();
  await db.schema.createIndex('scripts_latest').on('scripts').columns(['language', 'latest', 'title']).execute();
  if (postgres) {
    await sql`alter table scripts add column search_vector tsvector`.execute(db);
    await sql`create index scripts_search on scripts using gin (search_vector)`.execute(db);
  } else {
    await sql`create virtual table scripts_fts using fts5(slug unindexed, language unindexed, title, keywords, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
