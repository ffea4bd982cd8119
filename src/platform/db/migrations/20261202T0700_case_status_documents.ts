/**
 * The case's public status document (issue 11 item 1, docs/adr/0015-prepared-status-document.md), prepared when
 * the case is written rather than per lookup: `status_api` is the exact body of GET /case-status/{receiptNumber},
 * `status_document` the presented case in English and Spanish (the pages, the legacy form, the IVR read-back and
 * "Prepare for my call"), `status_vocabulary` the version of the reference data they were rendered with. NULL
 * (older rows, or a feed write that raced a local-history change) means "render from the row".
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('status_vocabulary', 'text').execute();
  await db.schema.alterTable('cases').addColumn('status_api', 'text').execute();
  await db.schema.alterTable('cases').addColumn('status_document', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const c of ['status_document', 'status_api', 'status_vocabulary']) await db.schema.alterTable('cases').dropColumn(c).execute();
}
