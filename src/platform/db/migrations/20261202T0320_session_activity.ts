/**
 * Session activity: `last_seen_at`, when the session was last used (written at most once a minute; see
 * src/staff/policy.ts). A session is live while it is not revoked, was created less than 12 hours ago and was
 * last seen less than 30 minutes ago. Existing sessions count as last seen when they were created. The column
 * is NOT NULL with an empty default (text order puts '' before every instant, so an unset value reads as long
 * idle: such a session is ended, never kept).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`update sessions set last_seen_at = created_at`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
