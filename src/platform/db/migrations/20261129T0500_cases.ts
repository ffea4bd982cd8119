/** Case data and the public side: cases, published and computed processing times, visa bulletins, rate-limit counters. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('cases')
    .addColumn('receipt_number', 'text', (c) => c.primaryKey())
    .addColumn('form_type', 'text', (c) => c.notNull())
    // '' when the feed gives no category, so group keys never hold NULL.
    .addColumn('form_category', 'text', (c) => c.notNull())
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('field_office', 'text')
    .addColumn('received_date', 'text', (c) => c.notNull())
    .addColumn('decided_date', 'text')
    .addColumn('decision_days', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_date', 'text', (c) => c.notNull())
    .addColumn('status_at', 'text')
    .addColumn('priority_date', 'text')
    .addColumn('preference_category', 'text')
    .addColumn('chargeability', 'text')
    .addColumn('military', 'integer', (c) => c.notNull())
    .addColumn('protected_category', 'text')
    .addColumn('premium_eligible', 'integer', (c) => c.notNull())
    .addColumn('a_number', 'text')
    .addColumn('applicant', 'text', (c) => c.notNull())
    .addColumn('representative', 'text')
    .addColumn('history', 'text', (c) => c.notNull())
    .addColumn('local_history', 'text', (c) => c.notNull())
    .addColumn('notices', 'text', (c) => c.notNull())
    .addColumn('rfes', 'text', (c) => c.notNull())
    .addColumn('feed_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_decisions').on('cases').columns(['form_type', 'office', 'form_category', 'decided_date']).execute();
  await db.schema.createIndex('cases_office').on('cases').columns(['office', 'received_date']).execute();
  await db.schema.createIndex('cases_a_number').on('cases').column('a_number').execute();

  await db.schema.createTable('processing_times')
    .addColumn('form_type', 'text', (c) => c.notNull())
    .addColumn('form_category', 'text', (c) => c.notNull())
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('months80', 'real', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('processing_times_pk', ['form_type', 'form_category', 'office'])
    .execute();

  // Computed figures, cached per group and day; a feed change deletes the rows of the groups it touched.
  await db.schema.createTable('processing_time_cache')
    .addColumn('form_type', 'text', (c) => c.notNull())
    .addColumn('form_category', 'text', (c) => c.notNull())
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('today', 'text', (c) => c.notNull())
    .addColumn('months80', 'real')
    .addColumn('decisions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('processing_time_cache_pk', ['form_type', 'form_category', 'office'])
    .execute();

  await db.schema.createTable('visa_bulletins')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('final_action', 'text', (c) => c.notNull())
    .addColumn('dates_for_filing', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute();

  // Shared rate-limit counters, so several instances on one PostgreSQL database enforce one limit.
  await db.schema.createTable('rate_limit_counters')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_counters_pk', ['bucket', 'window_start'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
