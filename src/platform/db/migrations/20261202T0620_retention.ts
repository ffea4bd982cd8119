/**
 * Retention (src/retention/): the purge finds calls by when they ended (contacts 3 years, recording references 90
 * days after), so `contacts` gains an index on `ended_at`. Feedback (`feedback_created`) and drafts
 * (`case_assistance_drafts_updated`) are indexed on their dates already; holds on `retention_holds_record`.
 * No scheduler table: each purge statement decides which instance removes a record (ADR 0013).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('contacts_ended').on('contacts').columns(['ended_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
