/**
 * Webhooks out (src/webhooks/): the endpoints admins register. Deliveries are outbox rows (channel 'webhook',
 * `to_address` the endpoint's id, `subject_ref` the event id, `template` the event type), so they share the
 * outbox's claims, retries and backoff (ADR 0009); `response_code` is the receiver's last HTTP status.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    // Space-separated event types it wants (webhooks/policy.ts WEBHOOK_EVENTS).
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // The signing secret: HMAC needs it in clear, so it is stored as given and shown once, on creation.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema.alterTable('outbox').addColumn('response_code', 'integer').execute();
  // An endpoint's delivery log, newest first.
  await db.schema.createIndex('outbox_channel_to_created').on('outbox').columns(['channel', 'to_address', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
