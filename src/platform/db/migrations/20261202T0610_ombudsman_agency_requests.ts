/**
 * The Ombudsman's requests to the agency (issue 10, item 2): an analyst working a case assistance request asks
 * the office holding one of its cited cases a question; the request is a work item in that office's queue, due
 * a number of the office's business days later (src/ombudsman/policy.ts), claimed by one of its staff and
 * answered. `office` is the holding office when asked and moves with the case when the case feed moves it, like
 * notice re-issue requests. The question and the answer may hold personal data: stored, never logged.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('ombudsman_agency_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_number', 'text', (c) => c.notNull()) // the case assistance request ("CA" + 9 digits)
    .addColumn('receipt_number', 'text', (c) => c.notNull()) // the cited case it is about
    .addColumn('office', 'text', (c) => c.notNull()) // whose queue it is in
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'text', (c) => c.notNull()) // staff:<id>
    .addColumn('asked_at', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull()) // YYYY-MM-DD in the office's calendar
    .addColumn('status', 'text', (c) => c.notNull()) // open | claimed | answered
    .addColumn('claimed_by', 'text') // a staff id
    .addColumn('claimed_at', 'text')
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text') // a staff id
    .addColumn('answered_at', 'text')
    .execute();
  // An office's queue by status, oldest due first.
  await db.schema.createIndex('ombudsman_agency_requests_queue').on('ombudsman_agency_requests').columns(['office', 'status', 'due_date']).execute();
  // A case assistance request's questions; a case's (when the feed moves it).
  await db.schema.createIndex('ombudsman_agency_requests_request').on('ombudsman_agency_requests').columns(['request_number', 'asked_at']).execute();
  await db.schema.createIndex('ombudsman_agency_requests_receipt').on('ombudsman_agency_requests').columns(['receipt_number', 'status']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
