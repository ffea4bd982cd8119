/**
 * Retention rules as data an admin changes (issue 12 item 1): one row per kind of record. Start-up inserts the
 * kinds missing from the agency's reference/<agency>/retention.json (the defaults; a row once there is never
 * overwritten by the file), the purge reads the rows, /admin/retention changes them (each change audited in its
 * transaction). `keep_unit`/`keep_n` are NULL for a kind that goes with another (notes with their contacts).
 * `revision` counts changes, so two admins saving the same rule at once do not overwrite each other unseen.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('retention_rules')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('keep_unit', 'text') // days | months | years
    .addColumn('keep_n', 'integer')
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
