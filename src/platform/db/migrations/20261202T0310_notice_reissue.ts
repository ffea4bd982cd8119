/**
 * Notice re-issue requests (CONTRACT.md section 9): Tier 2 asks the office holding a case to re-issue one of its
 * notices; the office works them from its queue and closes one by issuing the duplicate. `open_slot` holds
 * "<receipt> <noticeId>" while a request is open and NULL once done: its unique index is the rule "one open
 * request per case and notice", enforced by the database on SQLite and across PostgreSQL instances alike.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('notice_reissue_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('receipt_number', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text', (c) => c.notNull())
    // The office that held the case when the request was made: whose queue it is in.
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | done
    .addColumn('open_slot', 'text')
    // Why the person needs the notice again, in the agent's words (may hold PII; never logged).
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull()) // staff:<id>
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    // The duplicate notice that closed the request.
    .addColumn('duplicate_notice_id', 'text')
    .execute();
  await db.schema.createIndex('notice_reissue_requests_open_slot').unique().on('notice_reissue_requests').column('open_slot').execute();
  // An office's queue by status, oldest first (with a stable tie-break).
  await db.schema.createIndex('notice_reissue_requests_queue').on('notice_reissue_requests').columns(['office', 'status', 'created_at', 'id']).execute();
  // A case's requests (its timeline).
  await db.schema.createIndex('notice_reissue_requests_receipt').on('notice_reissue_requests').columns(['receipt_number', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
