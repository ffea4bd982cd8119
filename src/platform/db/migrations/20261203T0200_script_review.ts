/**
 * Scripts written and reviewed in the browser (issue 12 item 1): `script_drafts` holds each proposed version (a new
 * topic, or a new version of one) with its author, its reviewer and what became of it. At most one draft per topic
 * waits at a time: `open_slot` is the topic's slug while the draft is in review or approved, NULL after, under a
 * unique index, so two admins drafting the same topic at once get one draft and a 409 (SQLite and PostgreSQL alike).
 *
 * `scripts` gains `source_hash` (the reference file's text a version was loaded from; NULL for a version staff
 * published), so start-up publishes a file's text once per change of the file and never replaces a version staff
 * published later; every row until now came from the files, so it is its own content hash. `retired_at`/`retired_by`
 * mark a retired topic (its rows keep `latest` = 0, so search, the desk and the Ask page no longer find it).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scripts').addColumn('source_hash', 'text').execute();
  await db.schema.alterTable('scripts').addColumn('retired_at', 'text').execute();
  await db.schema.alterTable('scripts').addColumn('retired_by', 'text').execute();
  await sql`update scripts set source_hash = content_hash`.execute(db);
  await db.schema.createIndex('scripts_slug_version').on('scripts').columns(['slug', 'version']).execute();

  await db.schema.createTable('script_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('base_version', 'integer') // the published version it was written from; NULL for a new topic
    .addColumn('texts', 'text', (c) => c.notNull()) // JSON {en, es}: {title, body, keywords[], legalAdviceBoundary?}
    .addColumn('status', 'text', (c) => c.notNull()) // review | approved | published | rejected
    .addColumn('open_slot', 'text') // the slug while review or approved
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reviewer_id', 'text')
    .addColumn('reviewer_name', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .addColumn('published_version', 'integer')
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .execute();
  await db.schema.createIndex('script_drafts_open').on('script_drafts').column('open_slot').unique().execute();
  await db.schema.createIndex('script_drafts_slug').on('script_drafts').columns(['slug', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
