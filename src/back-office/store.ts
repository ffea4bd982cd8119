/**
 * The back office's own reads. The staff capability has no "accounts of an office" listing yet, so the assign
 * picker reads it here (read only; StaffService is the place for it once one exists). The service re-checks
 * every assignment, so this list only spares the supervisor from typing an id.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

export interface StaffName {
  id: string;
  name: string;
  agentId: string;
}

/** Active office accounts of one office, by name (whom a supervisor may assign a request of that office to). */
export async function officeAccounts(db: Kysely<Database>, office: string): Promise<StaffName[]> {
  const rows = await db.selectFrom('staff').select(['id', 'name', 'agent_id']).where('role', '=', 'office').where('office', '=', office)
    .where('disabled', '=', 0).orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, agentId: r.agent_id }));
}

/** Names of staff accounts by id (a history's "assigned to"). */
export async function staffNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
