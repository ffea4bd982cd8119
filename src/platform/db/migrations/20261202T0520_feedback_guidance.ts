/**
 * Feedback on public pages and the guidance pages staff publish (CONTRACT.md section 11; issue 10 items 4 and 5).
 * `feedback`: one row per "Was this page helpful?" answer or comment; `page` is the path only (never its query,
 * which may hold receipt numbers). `guidance_versions`: every published version of a guidance page, both
 * languages in one row; the newest version is the page, earlier ones stay.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page', 'text') // a same-site path, no query; null when not about a page
    .addColumn('helpful', 'integer') // 1 yes, 0 no, null not said
    .addColumn('reasons', 'text', (c) => c.notNull()) // JSON array of reason codes
    .addColumn('comment', 'text')
    .addColumn('about_contact_center', 'integer', (c) => c.notNull()) // 1: a comment about the Contact Center
    .addColumn('lang', 'text') // the page's language, when known
    .addColumn('source', 'text', (c) => c.notNull()) // api | page-form | comment-page
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feedback_created').on('feedback').columns(['created_at']).execute();
  await db.schema.createIndex('feedback_page').on('feedback').columns(['page', 'created_at']).execute();

  await db.schema.createTable('guidance_versions')
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('title_es', 'text', (c) => c.notNull())
    .addColumn('body_es', 'text', (c) => c.notNull())
    // The reference file's hash when the version came from reference/<agency>/guidance/, else null (staff wrote it).
    .addColumn('source_hash', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('guidance_versions_pk', ['slug', 'version'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
