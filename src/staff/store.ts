/** All SQL of staff accounts, sessions and the sign-in throttle. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StaffTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export type StaffRow = StaffTable;

export const findStaffByEmail = (db: Executor, email: string) =>
  db.selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirst();

export const agentIdTaken = async (db: Executor, agentId: string) =>
  (await db.selectFrom('staff').select('id').where('agent_id', '=', agentId).executeTakeFirst()) !== undefined;

export const insertStaff = (db: Executor, row: StaffRow) => db.insertInto('staff').values(row).execute();

export const updateStaff = (db: Executor, id: string, changes: Partial<Pick<StaffRow, 'role' | 'office' | 'disabled' | 'skills' | 'updated_at'>>) =>
  db.updateTable('staff').set(changes).where('id', '=', id).execute();

export const countStaff = async (db: Executor) =>
  Number((await db.selectFrom('staff').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

export const insertSession = (db: Executor, row: Database['sessions']) => db.insertInto('sessions').values(row).execute();

/**
 * The session and its account, whatever its state (the service decides whether it is live): one point read by
 * primary key on the hot path of every staff request.
 */
export const findSession = (db: Executor, id: string) =>
  db.selectFrom('sessions').innerJoin('staff', 'staff.id', 'sessions.staff_id')
    .select(['sessions.id as session_id', 'sessions.kind', 'sessions.created_at as session_created_at', 'sessions.expires_at', 'sessions.revoked_at', 'sessions.last_seen_at',
      'staff.id', 'staff.email', 'staff.name', 'staff.role', 'staff.office', 'staff.agent_id', 'staff.disabled'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();

/**
 * Moves a live session's `last_seen_at` to `now` when the stored value is older than `staleBefore`; a revoked
 * session, or one idle since `idleBefore` or at or past its absolute end, is never revived. Returns whether it wrote.
 */
export const touchSession = async (db: Executor, id: string, now: string, staleBefore: string, idleBefore: string) =>
  Number((await db.updateTable('sessions').set({ last_seen_at: now })
    .where('id', '=', id).where('revoked_at', 'is', null).where('expires_at', '>', now)
    .where('last_seen_at', '<', staleBefore).where('last_seen_at', '>', idleBefore)
    .executeTakeFirst()).numUpdatedRows) > 0;

export const revokeSession = (db: Executor, id: string, now: string) =>
  db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();

export const revokeSessionsOf = (db: Executor, staffId: string, now: string) =>
  db.updateTable('sessions').set({ revoked_at: now }).where('staff_id', '=', staffId).where('revoked_at', 'is', null).execute();

/** Failures recorded for a throttle key since `since`, oldest first. */
export const failuresSince = (db: Executor, key: string, since: string) =>
  db.selectFrom('login_failures').select('at').where('throttle_key', '=', key).where('at', '>', since).orderBy('at').execute();

export const insertFailure = (db: Executor, row: Database['login_failures']) => db.insertInto('login_failures').values(row).execute();

export const clearFailures = (db: Executor, key: string) => db.deleteFrom('login_failures').where('throttle_key', '=', key).execute();

export const pruneFailures = (db: Executor, before: string) => db.deleteFrom('login_failures').where('at', '<=', before).execute();

/** Deletes sessions past their absolute end, and those idle since `idleBefore` (both ended). */
export const pruneSessions = (db: Executor, expiredBefore: string, idleBefore: string) =>
  db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', expiredBefore), eb('last_seen_at', '<=', idleBefore)])).execute();

/** Active office accounts of one office, by name (whom a supervisor may give that office's work to). */
export const activeOfficeAccounts = (db: Executor, office: string) =>
  db.selectFrom('staff').select(['id', 'name', 'agent_id']).where('role', '=', 'office').where('office', '=', office)
    .where('disabled', '=', 0).orderBy('name').orderBy('id').execute();

/** Names of staff accounts by id. */
export const namesByIds = (db: Executor, ids: readonly string[]) =>
  db.selectFrom('staff').select(['id', 'name']).where('id', 'in', [...ids]).execute();

/** What the admin's account list filters by: words in the name or e-mail, a role, an office, enabled or disabled. */
export interface StaffFilter {
  words?: string | undefined;
  role?: string | undefined;
  office?: string | undefined;
  disabled?: boolean | undefined;
}

/** A LIKE pattern matching `words` anywhere, with the pattern characters taken literally (escape '\\'). */
const containing = (words: string) => `%${words.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filtered(db: Executor, f: StaffFilter) {
  let q = db.selectFrom('staff');
  if (f.words) {
    const p = containing(f.words);
    q = q.where(sql<boolean>`(lower(staff.name) like ${p} escape '\\' or staff.email like ${p} escape '\\')`);
  }
  if (f.role) q = q.where('staff.role', '=', f.role);
  if (f.office) q = q.where('staff.office', '=', f.office);
  if (f.disabled !== undefined) q = q.where('staff.disabled', '=', f.disabled ? 1 : 0);
  return q;
}

/** One page of accounts matching the filter, by name, and how many match. */
export async function listStaff(db: Executor, f: StaffFilter, offset: number, limit: number) {
  const rows = await filtered(db, f).select(['id', 'email', 'name', 'role', 'office', 'agent_id', 'skills', 'disabled', 'created_at', 'updated_at'])
    .orderBy('name').orderBy('id').limit(limit).offset(offset).execute();
  const total = Number((await filtered(db, f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { rows, total };
}

export const findStaffById = (db: Executor, id: string) =>
  db.selectFrom('staff').select(['id', 'email', 'name', 'role', 'office', 'agent_id', 'skills', 'disabled', 'created_at', 'updated_at']).where('id', '=', id).executeTakeFirst();

/** Sessions of an account not revoked and before their absolute end, by kind (the idle end is the service's to judge). */
export const openSessionsOf = (db: Executor, staffId: string, now: string) =>
  db.selectFrom('sessions').select(['kind', 'last_seen_at']).where('staff_id', '=', staffId).where('revoked_at', 'is', null).where('expires_at', '>', now).execute();

/** Revokes every open session of an account; returns how many it ended. */
export const revokeAllSessionsOf = async (db: Executor, staffId: string, now: string) =>
  Number((await db.updateTable('sessions').set({ revoked_at: now }).where('staff_id', '=', staffId).where('revoked_at', 'is', null).executeTakeFirst()).numUpdatedRows);
