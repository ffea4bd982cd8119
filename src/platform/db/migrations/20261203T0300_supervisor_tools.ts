/**
 * The supervisor's tools (src/supervision/): who holds an open callback, and the indexes the tools read by.
 * - `escalations.assigned_to` / `assigned_at`: the Tier 2 officer holding an open callback (the one who tried it
 *   first, or whom a supervisor gave it to) and since when; NULL while it waits in the skills queue.
 * - Each read of "an agent's day" is one index range per kind: calls by (agent_id, started_at) already exist;
 *   attempts by (staff_id, at), callbacks given by (assigned_to, assigned_at), requests created by
 *   (created_by, created_at), answered by (answered_by, answered_at) and live transfers taken by (to_staff_id,
 *   created_at) are added here.
 * - An agent's open items: claimed requests by (claimed_by, status), held callbacks by (assigned_to, status, due_at).
 * - Denied access: partial indexes over the denied entries of the audit trail only (a small share of a large table;
 *   queries name `outcome = 'denied'` as a literal so SQLite may use them): newest first, and per actor.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('escalations').addColumn('assigned_to', 'text').execute();
  await db.schema.alterTable('escalations').addColumn('assigned_at', 'text').execute();
  await db.schema.createIndex('escalations_assignee').on('escalations').columns(['assigned_to', 'status', 'due_at']).execute();
  await db.schema.createIndex('escalations_assigned_day').on('escalations').columns(['assigned_to', 'assigned_at']).execute();
  await db.schema.createIndex('escalations_to_staff').on('escalations').columns(['to_staff_id', 'created_at']).execute();
  await db.schema.createIndex('callback_attempts_staff').on('callback_attempts').columns(['staff_id', 'at']).execute();
  await db.schema.createIndex('service_requests_holder').on('service_requests').columns(['claimed_by', 'status']).execute();
  await db.schema.createIndex('service_requests_creator').on('service_requests').columns(['created_by', 'created_at']).execute();
  await db.schema.createIndex('service_requests_answerer').on('service_requests').columns(['answered_by', 'answered_at']).execute();
  await sql`create index audit_log_denied on audit_log (seq) where outcome = 'denied'`.execute(db);
  await sql`create index audit_log_denied_actor on audit_log (actor, seq) where outcome = 'denied'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
