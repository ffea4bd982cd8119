/**
 * Telephony (CONTRACT.md section 8a): one row per call that reached the voice webhooks, keyed by the platform's
 * CallSid, carrying what the phone menu learnt across its steps (the caller's language, the receipt number asked
 * about, the queue the call was put in) so that the status callback's contact record knows them, and `recorded_at`
 * once that record is stored. The contact record itself lives in `contacts` (once per CallSid, its external_id).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('telephony_calls')
    .addColumn('call_sid', 'text', (c) => c.primaryKey())
    .addColumn('caller_phone', 'text') // the From parameter as sent
    .addColumn('called_phone', 'text') // the To parameter as sent
    .addColumn('language', 'text') // en | es, once chosen
    .addColumn('receipt_number', 'text') // the last receipt number whose status was read back
    .addColumn('outcome', 'text') // status-heard | queued | ended-in-menu
    .addColumn('tier', 'text') // tier1 | tier2, once queued
    .addColumn('queue', 'text') // e.g. tier1-es, tier2-military-en
    .addColumn('started_at', 'text', (c) => c.notNull()) // the first webhook's time
    .addColumn('enqueued_at', 'text')
    .addColumn('last_step_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text') // when the status callback stored the contact record
    .execute();
  await db.schema.createIndex('telephony_calls_queue').on('telephony_calls').columns(['queue', 'enqueued_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
