/**
 * Idempotency keys: one row per (scope, key). A request reserves its key as `running` with a lease; the
 * creation it guards writes the final answer into the row in the creation's own transaction (`done`).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('idempotency_keys')
    // Who may replay the answer: "staff:<id>", "client:<id>" or "public:<route>"; the key is the caller's.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    // SHA-256 of the canonical method, route and body: the same key with another body is refused.
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // 'running' | 'done'
    // Who holds a running key (a random id per attempt) and until when; an expired lease may be taken over.
    .addColumn('lease_id', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
