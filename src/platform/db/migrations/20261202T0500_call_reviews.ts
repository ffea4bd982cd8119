/**
 * Ombudsman call reviews (CONTRACT.md section 11): the Ombudsman asks the agency to review a Contact Center call
 * made within the last 90 days. A call under review is held from any retention purge until the review closes:
 * `retention_holds` names what is held and why, for the purge job to honour.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('call_reviews')
    // 10 digits with a Damm check digit (src/domain/review-number.ts).
    .addColumn('review_number', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | closed
    .addColumn('concern', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    // What the Ombudsman was told, as given: the approximate time, the phone used, the staff ID or name.
    .addColumn('asked_call_time', 'text')
    .addColumn('asked_phone', 'text')
    .addColumn('asked_agent', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .execute();
  await db.schema.createIndex('call_reviews_contact').on('call_reviews').columns(['contact_id']).execute();
  await db.schema.createIndex('call_reviews_status').on('call_reviews').columns(['status', 'created_at']).execute();

  await db.schema.createTable('retention_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_kind', 'text', (c) => c.notNull()) // contact | recording
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull()) // call-review:<number>
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .execute();
  await db.schema.createIndex('retention_holds_record').on('retention_holds').columns(['record_kind', 'record_id', 'released_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
