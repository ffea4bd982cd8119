/**
 * Status-change alerts for the public (CONTRACT.md section 6a; src/alerts/). `alert_subscriptions`: one row per
 * subject (a case's receipt number, or a service request's referral number), channel and address, so a repeated
 * sign-up finds its row instead of adding one. `token_hash` is the SHA-256 of the secret in the confirmation and
 * unsubscribe links (the secret itself is never stored: it is an HMAC of the row's id under a stored key, so each
 * alert can carry the unsubscribe link again). `last_sent_status` is the public status the person last knew of
 * (at sign-up, at confirmation, then at each alert): an alert goes out only when the status differs from it.
 * The outbox gains `headers` (JSON, nullable): List-Unsubscribe and List-Unsubscribe-Post on alerts (RFC 8058).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('alert_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull()) // case | service-request
    .addColumn('subject', 'text', (c) => c.notNull()) // receipt number or referral number
    .addColumn('channel', 'text', (c) => c.notNull()) // email | sms
    .addColumn('address', 'text', (c) => c.notNull()) // e-mail lower-cased, or E.164 (PII: never logged or audited)
    .addColumn('language', 'text', (c) => c.notNull()) // en | es
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | confirmed | unsubscribed
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('last_sent_status', 'text')
    .addUniqueConstraint('alert_subscriptions_key', ['subject_kind', 'subject', 'channel', 'address'])
    .execute();
  // The feed's lookup per batch (confirmed subscribers of these receipt numbers) uses the unique key's prefix;
  // the report counts sign-ups by creation instant.
  await db.schema.createIndex('alert_subscriptions_created').on('alert_subscriptions').columns(['created_at']).execute();
  await db.schema.alterTable('outbox').addColumn('headers', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
