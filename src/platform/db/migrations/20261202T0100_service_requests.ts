/**
 * Service requests (CONTRACT.md section 10) and the history of each. `open_slot` holds "<receipt> <type>" while
 * a request is open (any status but answered and closed) and NULL after: its unique index is the rule "one open
 * request per case and type", enforced by the database on SQLite and across PostgreSQL instances alike.
 * `active` is 1 while the request is in an office's work (open, claimed, reopened): the queue reads only those.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('service_requests')
    // 15 random digits with a check digit (src/domain/referral-number.ts): cannot be guessed or walked.
    .addColumn('referral_number', 'text', (c) => c.primaryKey())
    .addColumn('receipt_number', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | claimed | answered | closed | reopened
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('open_slot', 'text')
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull()) // high | normal | low
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    // tier1 | tier2 | public, and who: "staff:<id>" or "public"
    .addColumn('creator', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    // The language the person is answered in (en | es).
    .addColumn('lang', 'text', (c) => c.notNull())
    // JSON: the request's own fields (details, urgency, expediteCriterion, newAddress, …). May hold PII.
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('response', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('overdue_at', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull())
    .addColumn('reopened_at', 'text')
    .addColumn('closed_at', 'text')
    // A reviewer's flag: the answer was a bare form letter.
    .addColumn('form_letter_flag', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_requests_open_slot').unique().on('service_requests').column('open_slot').execute();
  // The office queue: active requests of an office, oldest due first (with a stable tie-break), and the same
  // order under each filter the queue offers (kind, who holds it, overdue), so a page and its count read one
  // index range whatever the filter (measured in docs/performance.md). The overdue one also serves the sweep.
  const order = ['due_date', 'created_at', 'referral_number'];
  await db.schema.createIndex('service_requests_queue').on('service_requests').columns(['office', 'active', ...order]).execute();
  await db.schema.createIndex('service_requests_queue_type').on('service_requests').columns(['office', 'active', 'type', ...order]).execute();
  await db.schema.createIndex('service_requests_queue_holder').on('service_requests').columns(['office', 'active', 'claimed_by', ...order]).execute();
  await db.schema.createIndex('service_requests_queue_overdue').on('service_requests').columns(['office', 'active', 'overdue', ...order]).execute();
  // An office's answered and closed requests (the queue with ?status=), and across offices for supervisors.
  await db.schema.createIndex('service_requests_office_status').on('service_requests').columns(['office', 'status', ...order]).execute();
  await db.schema.createIndex('service_requests_active').on('service_requests').columns(['active', 'overdue', ...order]).execute();
  await db.schema.createIndex('service_requests_receipt').on('service_requests').columns(['receipt_number', 'created_at']).execute();
  // The closing sweep: answered requests by answer time.
  await db.schema.createIndex('service_requests_answered').on('service_requests').columns(['status', 'answered_at']).execute();

  await db.schema.createTable('service_request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_number', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    // created | claimed | assigned | answered | transferred | moved-with-case | reopened | overdue | closed | flagged
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    // JSON: what changed (offices, due dates, a reason). No PII beyond what the request itself holds.
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('service_request_events_by_request').on('service_request_events').columns(['referral_number', 'at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
