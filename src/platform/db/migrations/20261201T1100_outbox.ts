/** The outbox: mail (and later SMS) written in the same transaction as the change it tells about, delivered by a worker. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull()) // 'email' | 'sms'
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    // What the message is about, by identifier (a referral number), never by name.
    .addColumn('subject_ref', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // 'pending' | 'sending' | 'sent' | 'failed'
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    // A short, PII-free reason for the last failure (an SMTP status code and class, never the server's text).
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('message_id', 'text')
    .execute();
  // The worker's claim: due pending rows, oldest due first; the admin list: by state, newest first.
  await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_state_created').on('outbox').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('outbox_claimed').on('outbox').columns(['state', 'claimed_until']).execute();
}

/** Forward-only, like every migration. */
export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
