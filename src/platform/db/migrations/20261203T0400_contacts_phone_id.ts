/**
 * The contacts-by-phone index gains the call's id, `(caller_phone, started_at, id)`, so a report refresh finds a
 * linked call's previous call about the same case from the index alone: it walks the phone's calls backwards from
 * the call (the id breaks ties of one instant) and stops at the first one linked to that case (src/reports/store.ts,
 * replaceRollups). Everything the old `(caller_phone, started_at)` index served, this one serves.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('contacts_phone_id').on('contacts').columns(['caller_phone', 'started_at', 'id']).execute();
  await db.schema.dropIndex('contacts_phone').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
