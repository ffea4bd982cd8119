/** Applies the timestamped, forward-only migrations in order. */
import { Migrator, type Migration, type MigrationResult } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/20261129T0400_foundation.ts';

/** Every migration, keyed by its timestamped name. Add new ones at the end; never edit a landed one. */
export const MIGRATIONS: Record<string, Migration> = {
  '20261129T0400_foundation': foundation,
};

/** Applies pending migrations; returns the names applied. Throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r: MigrationResult) => r.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
