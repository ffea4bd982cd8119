/** Staff accounts, sign-in, sessions. Every change and every sign-in writes an audit entry in the same transaction. */
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { actorLabel, type Actor, type StaffUser } from '../platform/actor.ts';
import { generatePassword, newId, newSecret, secureRandomInt, sha256 } from '../platform/ids.ts';
import { MIN_PASSWORD_LENGTH, type PasswordHasher } from '../platform/passwords.ts';
import { checkRoleOffice, isRole, type Role } from '../domain/roles.ts';
import { makeAgentId } from '../domain/agent-id.ts';
import { DEFAULT_SKILLS, SKILLS, canonicalSkills, isSkill, type Skill } from '../domain/skills.ts';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, IDLE_WARNING_MS, LAST_SEEN_WRITE_INTERVAL_MS, THROTTLE } from './policy.ts';
import * as store from './store.ts';

export interface NewStaff {
  email: string;
  name: string;
  role: string;
  office?: string | null | undefined;
  /** Omitted or empty: one is generated and returned once. */
  password?: string | undefined;
  /** Languages and "military" (src/domain/skills.ts); omitted: English. */
  skills?: readonly string[] | undefined;
}

export interface SignInResult {
  token: string;
  /** When the new session ends if it is not used: the idle end at issue time (never past the absolute end). */
  expiresAt: string;
  user: StaffUser;
}

/** When a session ends, as of `checkedAt` (the server's clock). */
export interface SessionTimes {
  /** The end if the session is not used again: the earlier of the two ends below. */
  expiresAt: string;
  /** Last seen plus IDLE_TIMEOUT_MINUTES. */
  idleExpiresAt: string;
  /** Sign-in plus ABSOLUTE_TIMEOUT_HOURS: the session ends then however busy it is. */
  absoluteExpiresAt: string;
  /** When signed-in pages warn: IDLE_WARNING_MINUTES before `expiresAt`. */
  warnAt: string;
  checkedAt: string;
}

export interface LiveSession {
  user: StaffUser;
  sessionId: string;
  kind: 'api' | 'browser';
  times: SessionTimes;
}

/** Why a session is not live: signed out or revoked, idle too long, past its absolute end, or a disabled account. */
export type SessionEnd = 'unknown' | 'revoked' | 'idle' | 'absolute' | 'disabled';

/** A session's state read without touching it (no write, the idle end does not move). */
export type SessionCheck = ({ live: true } & LiveSession) | { live: false; reason: SessionEnd };

type SessionRow = NonNullable<Awaited<ReturnType<typeof store.findSession>>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

function toUser(row: { id: string; email: string; name: string; role: string; office: string | null; agent_id: string }): StaffUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role as Role, office: row.office, agentId: row.agent_id };
}

/** An account as the admin's pages show it. */
export interface StaffAccount extends StaffUser {
  skills: Skill[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function toAccount(row: Parameters<typeof toUser>[0] & { skills: string; disabled: number; created_at: string; updated_at: string }): StaffAccount {
  let skills: Skill[] = [...DEFAULT_SKILLS];
  try { skills = canonicalSkills(JSON.parse(row.skills) as string[]); } catch { /* an unreadable value reads as the default */ }
  return { ...toUser(row), skills, disabled: Number(row.disabled) !== 0, createdAt: row.created_at, updatedAt: row.updated_at };
}

export class StaffService {
  /** A real Argon2 hash of a random password: verified against when the e-mail is unknown, so timing says nothing. */
  #decoyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly officeCodes: readonly string[],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Creates an account with a fresh public agent ID. Returns the generated password when none was given. */
  async addUser(input: NewStaff, actor: Actor, traceId?: string): Promise<StaffUser & { password?: string }> {
    const errors: FieldError[] = [];
    const email = normaliseEmail(input.email ?? '');
    if (!EMAIL.test(email)) errors.push({ field: 'email', code: 'invalid', detail: 'Enter an e-mail address like name@agency.gov.' });
    const name = (input.name ?? '').trim();
    if (!name) errors.push({ field: 'name', code: 'required', detail: 'Enter the person\'s name.' });
    const office = input.office?.trim().toUpperCase() || null;
    if (!isRole(input.role)) {
      errors.push({ field: 'role', code: 'invalid', detail: 'Role must be one of tier1, tier2, office, supervisor, ombudsman, admin.' });
    } else {
      const officeProblem = checkRoleOffice(input.role, office, this.officeCodes);
      if (officeProblem) errors.push({ field: 'office', code: officeProblem, detail: officeDetail(officeProblem, this.officeCodes) });
    }
    const generated = !input.password;
    const password = input.password || generatePassword();
    const badSkill = (input.skills ?? []).find((k) => !isSkill(k));
    if (badSkill !== undefined) errors.push({ field: 'skills', code: 'unknown-skill', detail: `Skills are ${SKILLS.join(', ')}.` });
    if (password.length < MIN_PASSWORD_LENGTH) errors.push({ field: 'password', code: 'too-short', detail: `The password must have at least ${MIN_PASSWORD_LENGTH} characters.` });
    if (errors.length) throw validationError(errors);

    const passwordHash = await this.hasher.hash(password);
    const now = this.clock().toISOString();
    const user = await this.db.transaction().execute(async (trx) => {
      if (await store.findStaffByEmail(trx, email)) throw new AppError('conflict', 'An account with this e-mail address already exists.');
      let agentId = makeAgentId(secureRandomInt);
      while (await store.agentIdTaken(trx, agentId)) agentId = makeAgentId(secureRandomInt);
      const row = {
        id: newId(), email, name, role: input.role, office, agent_id: agentId, skills: JSON.stringify(input.skills?.length ? canonicalSkills(input.skills) : DEFAULT_SKILLS),
        password_hash: passwordHash, disabled: 0, created_at: now, updated_at: now,
      };
      await store.insertStaff(trx, row);
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'staff-add', subject: `staff:${row.id}`, outcome: 'allowed', traceId, detail: { role: row.role, office } });
      return toUser(row);
    });
    return generated ? { ...user, password } : user;
  }

  /** Disables an account and revokes its sessions: the next request it makes is refused. */
  async disableUser(email: string, actor: Actor, traceId?: string): Promise<StaffUser> {
    return this.db.transaction().execute(async (trx) => {
      const row = await store.findStaffByEmail(trx, normaliseEmail(email));
      if (!row) throw new AppError('not-found', 'No account has this e-mail address.');
      const now = this.clock().toISOString();
      await store.updateStaff(trx, row.id, { disabled: 1, updated_at: now });
      await store.revokeSessionsOf(trx, row.id, now);
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'staff-disable', subject: `staff:${row.id}`, outcome: 'allowed', traceId });
      return toUser(row);
    });
  }

  /** Changes an account's role (and office). Sessions stay, but every request re-reads the role. */
  async setRole(email: string, role: string, office: string | null | undefined, actor: Actor, traceId?: string): Promise<StaffUser> {
    const code = office?.trim().toUpperCase() || null;
    if (!isRole(role)) throw validationError([{ field: 'role', code: 'invalid', detail: 'Role must be one of tier1, tier2, office, supervisor, ombudsman, admin.' }]);
    const problem = checkRoleOffice(role, code, this.officeCodes);
    if (problem) throw validationError([{ field: 'office', code: problem, detail: officeDetail(problem, this.officeCodes) }]);
    return this.db.transaction().execute(async (trx) => {
      const row = await store.findStaffByEmail(trx, normaliseEmail(email));
      if (!row) throw new AppError('not-found', 'No account has this e-mail address.');
      await store.updateStaff(trx, row.id, { role, office: code, updated_at: this.clock().toISOString() });
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'staff-set-role', subject: `staff:${row.id}`, outcome: 'allowed', traceId, detail: { from: row.role, to: role, office: code } });
      return toUser({ ...row, role, office: code });
    });
  }

  /**
   * Sets an account's skills (languages and "military", src/domain/skills.ts): which callbacks and live transfers
   * a Tier 2 officer takes. At least one language. Takes effect on the next transfer or callback list.
   */
  async setSkills(email: string, skills: readonly string[], actor: Actor, traceId?: string): Promise<StaffUser & { skills: Skill[] }> {
    const unknown = skills.filter((k) => !isSkill(k));
    if (unknown.length) throw validationError([{ field: 'skills', code: 'unknown-skill', detail: `Unknown skill "${unknown[0]}"; skills are ${SKILLS.join(', ')}.` }]);
    const wanted = canonicalSkills(skills);
    if (!wanted.some((k) => k !== 'military')) throw validationError([{ field: 'skills', code: 'language-required', detail: 'Give at least one language (en, es); "military" adds to a language.' }]);
    return this.db.transaction().execute(async (trx) => {
      const row = await store.findStaffByEmail(trx, normaliseEmail(email));
      if (!row) throw new AppError('not-found', 'No account has this e-mail address.');
      await store.updateStaff(trx, row.id, { skills: JSON.stringify(wanted), updated_at: this.clock().toISOString() });
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'staff-set-skills', subject: `staff:${row.id}`, outcome: 'allowed', traceId, detail: { from: row.skills, to: wanted.join(',') } });
      return { ...toUser(row), skills: wanted };
    });
  }

  /** Enables a disabled account again. Its old sessions stay ended: the person signs in afresh. */
  async enableUser(email: string, actor: Actor, traceId?: string): Promise<StaffUser> {
    return this.db.transaction().execute(async (trx) => {
      const row = await store.findStaffByEmail(trx, normaliseEmail(email));
      if (!row) throw new AppError('not-found', 'No account has this e-mail address.');
      await store.updateStaff(trx, row.id, { disabled: 0, updated_at: this.clock().toISOString() });
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'staff-enable', subject: `staff:${row.id}`, outcome: 'allowed', traceId });
      return toUser(row);
    });
  }

  /** Ends every session of an account: its browser sessions and its API bearer tokens. Returns how many were open. */
  async endSessions(email: string, actor: Actor, traceId?: string): Promise<StaffUser & { ended: number }> {
    return this.db.transaction().execute(async (trx) => {
      const row = await store.findStaffByEmail(trx, normaliseEmail(email));
      if (!row) throw new AppError('not-found', 'No account has this e-mail address.');
      const ended = await store.revokeAllSessionsOf(trx, row.id, this.clock().toISOString());
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'staff-end-sessions', subject: `staff:${row.id}`, outcome: 'allowed', traceId, detail: { ended } });
      return { ...toUser(row), ended };
    });
  }

  /** One page of accounts (by name) matching the filter, and how many match. */
  async list(filter: store.StaffFilter, page: number, size: number): Promise<{ items: StaffAccount[]; total: number }> {
    const { rows, total } = await store.listStaff(this.db, filter, (page - 1) * size, size);
    return { items: rows.map(toAccount), total };
  }

  /** One account with its skills and state, and its sessions still open (browser and API), or null. */
  async account(id: string): Promise<(StaffAccount & { openSessions: { browser: number; api: number } }) | null> {
    const row = await store.findStaffById(this.db, id);
    if (!row) return null;
    const now = this.clock();
    const idleBefore = now.getTime() - IDLE_TIMEOUT_MS;
    const open = (await store.openSessionsOf(this.db, id, now.toISOString())).filter((s) => Date.parse(s.last_seen_at || '1970-01-01T00:00:00.000Z') > idleBefore);
    return { ...toAccount(row), openSessions: { browser: open.filter((s) => s.kind === 'browser').length, api: open.filter((s) => s.kind === 'api').length } };
  }

  /**
   * Signs in with e-mail and password. The same 401 whether the e-mail exists or not; repeated failures
   * for one account or from one address answer 429 with Retry-After until the window passes.
   */
  async signIn(emailInput: string, password: string, kind: 'api' | 'browser', address: string, traceId?: string): Promise<SignInResult> {
    const email = normaliseEmail(emailInput);
    const now = this.clock();
    const accountKey = `account:${sha256(email)}`;
    const addressKey = `address:${address}`;
    try {
      await this.checkThrottle(accountKey, THROTTLE.perAccount, now);
      await this.checkThrottle(addressKey, THROTTLE.perAddress, now);
    } catch (err) {
      await this.audit.recordNow({ actor: 'anonymous', action: 'sign-in', subject: accountKey, outcome: 'denied', traceId, detail: { reason: 'throttled', kind } });
      throw err;
    }

    const row = await store.findStaffByEmail(this.db, email);
    const ok = row ? await this.hasher.verify(row.password_hash, password) : await this.decoyVerify(password);
    const nowIso = now.toISOString();
    if (!row || !ok || row.disabled) {
      await this.db.transaction().execute(async (trx) => {
        await store.insertFailure(trx, { id: newId(), throttle_key: accountKey, at: nowIso });
        await store.insertFailure(trx, { id: newId(), throttle_key: addressKey, at: nowIso });
        await this.audit.record(trx, {
          actor: row ? `staff:${row.id}` : 'anonymous', action: 'sign-in', subject: row ? `staff:${row.id}` : accountKey, outcome: 'denied', traceId,
          detail: { reason: !row ? 'unknown-account' : row.disabled ? 'account-disabled' : 'wrong-password', kind },
        });
      });
      throw new AppError('unauthenticated', 'The e-mail address or password is not correct.', { audited: true });
    }
    const token = newSecret();
    const absoluteEnd = new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString();
    const expiresAt = sessionTimes(nowIso, nowIso, absoluteEnd, now).expiresAt;
    await this.db.transaction().execute(async (trx) => {
      await store.insertSession(trx, { id: sha256(token), staff_id: row.id, kind, created_at: nowIso, expires_at: absoluteEnd, revoked_at: null, last_seen_at: nowIso });
      await store.clearFailures(trx, accountKey);
      await this.audit.record(trx, { actor: `staff:${row.id}`, action: 'sign-in', subject: `staff:${row.id}`, outcome: 'allowed', traceId, detail: { kind } });
    });
    return { token, expiresAt, user: toUser(row) };
  }

  /**
   * The live session's account for a token, re-read on every request; null when revoked, idle too long, past its
   * absolute end, or its account is disabled. This is a use of the session: it moves the idle end, writing
   * `last_seen_at` only when the stored value is at least LAST_SEEN_WRITE_INTERVAL_SECONDS old (one point read
   * per request, at most one small write a minute per session).
   */
  async resolveSession(token: string): Promise<LiveSession | null> {
    const now = this.clock();
    const row = await store.findSession(this.db, sha256(token));
    const state = row ? sessionState(row, now) : null;
    if (!row || !state || state.live === false) return null;
    let lastSeen = row.last_seen_at;
    if (now.getTime() - Date.parse(lastSeen) >= LAST_SEEN_WRITE_INTERVAL_MS) {
      const nowIso = now.toISOString();
      if (await store.touchSession(this.db, row.session_id, nowIso, new Date(now.getTime() - LAST_SEEN_WRITE_INTERVAL_MS + 1).toISOString(), new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString())) lastSeen = nowIso;
    }
    return { user: toUser(row), sessionId: row.session_id, kind: row.kind, times: sessionTimes(row.session_created_at, lastSeen, row.expires_at, now) };
  }

  /**
   * A session's state by its id (`actor.sessionId`), read without touching it: no write, the idle end does not
   * move. For whatever runs without the person acting: a status poll, a long-lived stream (server-sent events)
   * that must end when the session does.
   */
  async checkSession(sessionId: string): Promise<SessionCheck> {
    const row = await store.findSession(this.db, sessionId);
    if (!row) return { live: false, reason: 'unknown' };
    const state = sessionState(row, this.clock());
    return state.live ? { live: true, user: toUser(row), sessionId: row.session_id, kind: row.kind, times: state.times } : state;
  }

  /** checkSession for a bearer token or cookie value. */
  async checkToken(token: string): Promise<SessionCheck> {
    return this.checkSession(sha256(token));
  }

  /**
   * "Stay signed in": moves a live session's idle end to now plus IDLE_TIMEOUT_MINUTES (never past its absolute
   * end), writing at once whatever the write interval. Returns the new ends, or the reason it has ended.
   */
  async keepAlive(sessionId: string): Promise<SessionCheck> {
    const now = this.clock();
    const nowIso = now.toISOString();
    const check = await this.checkSession(sessionId);
    if (!check.live) return check;
    // staleBefore just after now: any stored value older than now is moved (the interval does not apply).
    await store.touchSession(this.db, sessionId, nowIso, new Date(now.getTime() + 1).toISOString(), new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString());
    return this.checkSession(sessionId);
  }

  /** Ends a session. */
  async signOut(sessionId: string, actor: Actor, traceId?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await store.revokeSession(trx, sessionId, this.clock().toISOString());
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'sign-out', subject: actorLabel(actor), outcome: 'allowed', traceId });
    });
  }

  /** Deletes expired sessions and sign-in failures older than the throttle window. */
  async pruneExpired(): Promise<void> {
    const now = this.clock().getTime();
    await store.pruneSessions(this.db, new Date(now).toISOString(), new Date(now - IDLE_TIMEOUT_MS).toISOString());
    await store.pruneFailures(this.db, new Date(now - THROTTLE.windowMs).toISOString());
  }

  /** Active office accounts of an office, by name: {id, name, agentId}. */
  async officeAccounts(office: string): Promise<Array<{ id: string; name: string; agentId: string }>> {
    return (await store.activeOfficeAccounts(this.db, office)).map((r) => ({ id: r.id, name: r.name, agentId: r.agent_id }));
  }

  /** Names of staff accounts by id (unknown ids are left out). */
  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    return new Map((await store.namesByIds(this.db, unique)).map((r) => [r.id, r.name]));
  }

  async count(): Promise<number> {
    return store.countStaff(this.db);
  }

  private async checkThrottle(key: string, limit: number, now: Date): Promise<void> {
    const since = new Date(now.getTime() - THROTTLE.windowMs).toISOString();
    const failures = await store.failuresSince(this.db, key, since);
    if (failures.length >= limit) {
      const oldest = Date.parse(failures[failures.length - limit]!.at);
      const retryAfter = Math.max(1, Math.ceil((oldest + THROTTLE.windowMs - now.getTime()) / 1000));
      throw new AppError('rate-limited', 'Too many failed sign-in attempts. Wait before trying again.', { headers: { 'retry-after': String(retryAfter) } });
    }
  }

  private async decoyVerify(password: string): Promise<false> {
    this.#decoyHash ??= this.hasher.hash(newSecret());
    await this.hasher.verify(await this.#decoyHash, password);
    return false;
  }
}

/** The ends of a session: idle = last seen + idle timeout; absolute = the earlier of its stored end and sign-in + 12 h. */
function sessionTimes(createdAt: string, lastSeenAt: string, expiresAt: string, now: Date): SessionTimes {
  const idle = Date.parse(lastSeenAt) + IDLE_TIMEOUT_MS;
  const absolute = Math.min(Date.parse(expiresAt), Date.parse(createdAt) + ABSOLUTE_TIMEOUT_MS);
  const iso = (ms: number) => new Date(ms).toISOString();
  const end = Math.min(idle, absolute);
  return { expiresAt: iso(end), idleExpiresAt: iso(idle), absoluteExpiresAt: iso(absolute), warnAt: iso(end - IDLE_WARNING_MS), checkedAt: now.toISOString() };
}

/** Whether a session is live at `now`: not revoked, account enabled, before its absolute end and its idle end. */
function sessionState(row: SessionRow, now: Date): { live: true; times: SessionTimes } | { live: false; reason: SessionEnd } {
  if (row.revoked_at !== null) return { live: false, reason: 'revoked' };
  if (row.disabled || !isRole(row.role)) return { live: false, reason: 'disabled' };
  // An unparsable last_seen_at (the migration's empty default) counts as long idle.
  const times = sessionTimes(row.session_created_at, row.last_seen_at || '1970-01-01T00:00:00.000Z', row.expires_at, now);
  const t = now.getTime();
  if (t >= Date.parse(times.absoluteExpiresAt)) return { live: false, reason: 'absolute' };
  if (t >= Date.parse(times.idleExpiresAt)) return { live: false, reason: 'idle' };
  return { live: true, times };
}

function officeDetail(problem: 'office-required' | 'office-not-allowed' | 'office-unknown', codes: readonly string[]): string {
  switch (problem) {
    case 'office-required': return `Office staff need an office: one of ${codes.join(', ')}.`;
    case 'office-not-allowed': return 'Only the office role belongs to an office.';
    case 'office-unknown': return `Unknown office; use one of ${codes.join(', ')}.`;
  }
}
