/**
 * The supervisor's tools (issue 12): reassigning an agent's open work, reading an agent's day, and the denied
 * access of the supervisor's staff. Authorization comes first in every method, before anything is read. Moving
 * work never writes here: each move is ServiceRequestService.assign (the same method as
 * POST /api/v1/service-requests/{n}/assign) or CallbackService.assign (POST /api/v1/callbacks/{id}/assign), which
 * enforce their rules (the holding office; the callback's skills) and audit each move in its transaction. Reads
 * of an agent's day and of denied access are audited too.
 */
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import type { ServiceRequestService } from '../service-requests/service.ts';
import type { QueueItem } from '../service-requests/views.ts';
import type { CallbackItem, CallbackService } from '../callbacks/service.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize, forbidden, type StaffActor } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { can, type Capability } from '../domain/capabilities.ts';
import { isRole } from '../domain/roles.ts';
import { keysServedBy, parseSkills, skillKey } from '../domain/skills.ts';
import { dateOrInstantToInstant, todayIn } from '../domain/calendar.ts';
import { AGENT_DAY_CAPABILITIES, DAY_ROWS_MAX, DENIED_ACCESS_SCOPES, DENIED_COUNT_CAP, OPEN_ITEMS_MAX, REASSIGN_CAPABILITY, SUPERVISED_ROLES } from './policy.ts';
import * as store from './store.ts';

export interface SupervisionDeps {
  db: Db;
  audit: AuditService;
  serviceRequests: Pick<ServiceRequestService, 'list' | 'assign'>;
  callbacks: Pick<CallbackService, 'list' | 'assign'>;
  timeZone: string;
  clock?: () => Date;
}

/** A staff member as the tools name them. */
export interface Agent { id: string; name: string; role: string; office: string | null; agentId: string; skills: string[] }

/** Why a target may not take an item (the page words it): another office, not Tier 2, skills that do not serve it. */
export type Refusal = 'not-in-office' | 'not-tier2' | 'lacks-skills' | 'same-agent';

export interface OpenItems {
  agent: Agent;
  requests: Array<{ item: QueueItem; targets: Agent[] }>;
  callbacks: Array<{ item: CallbackItem; targets: Agent[] }>;
  /** Who may take every item at once ("move all"). */
  allTargets: Agent[];
  /** More than OPEN_ITEMS_MAX of a kind: only the first are listed and moved. */
  truncated: boolean;
}

export type MoveItem = { kind: 'request' | 'callback'; id: string };

const ID = /^[0-9a-zA-Z-]{1,64}$/;
const toAgent = (r: { id: string; name: string; role: string; office: string | null; agent_id: string; skills: string }): Agent =>
  ({ id: r.id, name: r.name, role: r.role, office: r.office, agentId: r.agent_id, skills: parseSkills(r.skills) });

export class SupervisionService {
  readonly #clock: () => Date;
  constructor(private readonly deps: SupervisionDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  /** The staff a supervisor oversees (active), for a tool's picker; authorized as that tool is. */
  async agents(actor: Actor, tool: 'reassign' | 'day' = 'reassign'): Promise<Agent[]> {
    this.#supervisor(actor, tool === 'reassign' ? [REASSIGN_CAPABILITY] : AGENT_DAY_CAPABILITIES);
    return (await store.activeStaff(this.deps.db, SUPERVISED_ROLES)).map(toAgent);
  }

  // ── reassigning work ────────────────────────────────────────────────────────────────────────────────────

  /** An agent's open work: requests they claimed (office staff), callbacks they hold (Tier 2), and who may take each. */
  async openItems(actor: Actor, agentStaffId: string): Promise<OpenItems> {
    const staff = this.#supervisor(actor, [REASSIGN_CAPABILITY]);
    const agent = await this.#agent(agentStaffId);
    const everyone = (await store.activeStaff(this.deps.db, ['office', 'tier2'])).map(toAgent).filter((a) => a.id !== agent.id);
    const [requests, callbacks] = await Promise.all([
      this.deps.serviceRequests.list(staff, { status: 'claimed', claimedBy: agent.id }, 1, OPEN_ITEMS_MAX),
      this.deps.callbacks.list(staff, undefined, 1, OPEN_ITEMS_MAX, { assignedTo: agent.id }),
    ]);
    const reqs = requests.items.map((item) => ({ item, targets: everyone.filter((a) => refusalFor(a, { kind: 'request', office: item.office }) === null) }));
    const cbs = callbacks.items.map((item) => ({ item, targets: everyone.filter((a) => refusalFor(a, { kind: 'callback', skills: item.skills }) === null) }));
    const all = [...reqs, ...cbs];
    const allTargets = all.length === 0 ? [] : everyone.filter((a) => all.every((x) => x.targets.some((t) => t.id === a.id)));
    return { agent, requests: reqs, callbacks: cbs, allTargets, truncated: requests.total > requests.items.length || callbacks.total > callbacks.items.length };
  }

  /**
   * Moves one item, or every open item of the agent, to `toStaffId`. Every item is checked against the target
   * first; when any may not be taken, nothing moves (400 naming the refusal). Each move is the owning service's
   * assign, audited there. Returns how many moved.
   */
  async reassign(actor: Actor, fromStaffId: string, toStaffId: string, which: MoveItem | 'all', traceId?: string): Promise<{ moved: number; to: Agent }> {
    const staff = this.#supervisor(actor, [REASSIGN_CAPABILITY]);
    const open = await this.openItems(staff, fromStaffId);
    const to = ID.test(toStaffId) ? await store.staffById(this.deps.db, toStaffId) : undefined;
    if (!to || Number(to.disabled) !== 0 || !isRole(to.role)) {
      throw validationError([{ field: 'to', code: 'unknown-agent', detail: 'Choose an active staff member to give the work to.' }], 'Choose an active staff member to give the work to.');
    }
    const target = toAgent(to);
    const chosen: Array<{ kind: 'request'; item: QueueItem } | { kind: 'callback'; item: CallbackItem }> = which === 'all'
      ? [...open.requests.map((r) => ({ kind: 'request' as const, item: r.item })), ...open.callbacks.map((c) => ({ kind: 'callback' as const, item: c.item }))]
      : which.kind === 'request'
        ? open.requests.filter((r) => r.item.referralNumber === which.id).map((r) => ({ kind: 'request' as const, item: r.item }))
        : open.callbacks.filter((c) => c.item.id === which.id).map((c) => ({ kind: 'callback' as const, item: c.item }));
    if (chosen.length === 0) {
      throw new AppError('conflict', which === 'all' ? 'This agent holds no open work now.' : 'This agent no longer holds this item; it was answered, finished or moved meanwhile.');
    }
    for (const c of chosen) {
      const refusal = target.id === open.agent.id ? 'same-agent' : refusalFor(target, c.kind === 'request' ? { kind: 'request', office: c.item.office } : { kind: 'callback', skills: c.item.skills });
      if (refusal) {
        const item = c.kind === 'request' ? { kind: c.kind, id: c.item.referralNumber, office: c.item.office } : { kind: c.kind, id: c.item.id, skills: c.item.skills };
        throw new AppError('invalid-request', `${target.name} may not take ${c.kind === 'request' ? `request ${c.item.referralNumber}` : 'this callback'}: nothing was moved.`, {
          extensions: { errors: [{ field: 'to', code: refusal, detail: refusalDetail(refusal, c) }], refused: { code: refusal, item } },
        });
      }
    }
    let moved = 0;
    for (const c of chosen) {
      if (c.kind === 'request') await this.deps.serviceRequests.assign(staff, c.item.referralNumber, target.id, traceId);
      else await this.deps.callbacks.assign(staff, c.item.id, target.id, traceId, open.agent.id);
      moved++;
    }
    return { moved, to: target };
  }

  // ── an agent's day ──────────────────────────────────────────────────────────────────────────────────────

  /** What one agent did on one date of the agency's calendar: calls, callbacks, service requests. The read is audited. */
  async day(actor: Actor, agentStaffId: string, dateInput: string | undefined, traceId?: string) {
    const staff = this.#supervisor(actor, AGENT_DAY_CAPABILITIES);
    const agent = await this.#agent(agentStaffId);
    const date = dateInput && dateInput !== '' ? dateInput : todayIn(this.deps.timeZone, this.#clock());
    const from = /^\d{4}-\d{2}-\d{2}$/.test(date) ? dateOrInstantToInstant(date, this.deps.timeZone, 'start') : null;
    const to = from ? dateOrInstantToInstant(date, this.deps.timeZone, 'end') : null;
    if (!from || !to) throw validationError([{ field: 'date', code: 'format', detail: 'A date like 2026-12-03.' }], 'Enter the date as year, month and day, like 2026-12-03.');
    const db = this.deps.db;
    const limit = DAY_ROWS_MAX + 1;
    const [calls, attempts, given, transfers, created, answered] = await Promise.all([
      store.callsOf(db, agent.agentId, from, to, limit), store.attemptsBy(db, agent.id, from, to, limit),
      store.callbacksGivenTo(db, agent.id, from, to, limit), store.transfersTo(db, agent.id, from, to, limit),
      store.requestsCreatedBy(db, `staff:${agent.id}`, from, to, limit), store.requestsAnsweredBy(db, agent.id, from, to, limit),
    ]);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'agent-day-read', subject: `staff:${agent.id}`, outcome: 'allowed', traceId: traceId ?? null, detail: { date, calls: calls.length } });
    const cut = <T>(rows: T[]) => ({ rows: rows.slice(0, DAY_ROWS_MAX), more: rows.length > DAY_ROWS_MAX });
    return {
      agent, date, from, to,
      calls: cut(calls.map((c) => ({ ...c, cases: Number(c.cases ?? 0) }))),
      attempts: cut(attempts.map((a) => ({ ...a, n: Number(a.n), skills: parseSkills(a.skills) }))),
      given: cut(given.map((g) => ({ ...g, attempts: Number(g.attempts), skills: parseSkills(g.skills) }))),
      transfers: cut(transfers.map((x) => ({ ...x, skills: parseSkills(x.skills) }))),
      created: cut(created), answered: cut(answered),
    };
  }

  // ── denied access ───────────────────────────────────────────────────────────────────────────────────────

  /** Denied entries of the reader's staff (an administrator: every staff member), newest first, paged. The read is audited. */
  async denied(actor: Actor, filter: { staffId?: string | undefined }, page: number, pageSize: number, traceId?: string) {
    const staff = actor.kind === 'staff' ? actor : authorize(actor, 'read-audit-trail');
    const scope = DENIED_ACCESS_SCOPES.find((s) => can(staff.user.role, s.capability))?.scope;
    if (!scope) throw forbidden(staff, 'read-audit-trail');
    const roles = scope === 'supervised' ? SUPERVISED_ROLES : undefined;
    const staffId = filter.staffId && ID.test(filter.staffId) ? filter.staffId : undefined;
    const { rows, total } = await store.deniedEntries(this.deps.db, { roles, staffId }, (page - 1) * pageSize, pageSize, DENIED_COUNT_CAP);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'denied-access-read', subject: staffId ? `staff:${staffId}` : null, outcome: 'allowed', traceId: traceId ?? null, detail: { scope, page } });
    const reader = scope === 'all-staff' ? await store.activeStaff(this.deps.db, ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman', 'admin']) : await store.activeStaff(this.deps.db, SUPERVISED_ROLES);
    return {
      scope, staff: reader.map(toAgent), page, pageSize, total, capped: total > DENIED_COUNT_CAP,
      items: rows.map((r) => ({
        seq: Number(r.seq), at: r.at, action: r.action, subject: r.subject, traceId: r.trace_id, code: deniedCode(r.detail),
        staff: { id: r.staff_id, name: r.name, role: r.role, office: r.office, agentId: r.agent_id },
      })),
    };
  }

  // ── inside ──────────────────────────────────────────────────────────────────────────────────────────────

  /** The acting supervisor: every capability of `capabilities` held (403, audited by the error handler, otherwise). */
  #supervisor(actor: Actor, capabilities: readonly Capability[]): StaffActor {
    let staff = authorize(actor, capabilities[0]!);
    for (const c of capabilities.slice(1)) staff = authorize(actor, c);
    return staff;
  }

  /** A staff member the supervisor oversees, else 404 (an unknown id and an account outside their staff read the same). */
  async #agent(id: string): Promise<Agent> {
    const row = ID.test(id) ? await store.staffById(this.deps.db, id) : undefined;
    if (!row || !(SUPERVISED_ROLES as readonly string[]).includes(row.role)) throw new AppError('not-found', 'There is no agent with this ID among your staff.');
    return toAgent(row);
  }
}

/** Whether `target` may take an item, by the owning service's rule: the holding office's workers; Tier 2 whose skills serve it. */
export function refusalFor(target: Agent, item: { kind: 'request'; office: string } | { kind: 'callback'; skills: readonly string[] }): Refusal | null {
  if (item.kind === 'request') return target.role === 'office' && target.office === item.office ? null : 'not-in-office';
  if (target.role !== 'tier2') return 'not-tier2';
  return keysServedBy(target.skills).includes(skillKey(parseSkills(JSON.stringify(item.skills)))) ? null : 'lacks-skills';
}

function refusalDetail(r: Refusal, c: { kind: 'request'; item: QueueItem } | { kind: 'callback'; item: CallbackItem }): string {
  if (r === 'same-agent') return 'The work is already theirs; choose someone else.';
  if (c.kind === 'request') return `Request ${c.item.referralNumber} is held by ${c.item.office}: only that office's workers may take it.`;
  if (r === 'not-tier2') return 'Callbacks are taken by Tier 2 officers only.';
  return `Their skills do not serve this callback (it needs ${c.item.skills.join(' + ')}).`;
}

/** The code a denial was recorded with (the error code, or a sign-in's reason), or null. */
function deniedCode(detail: string | null): string | null {
  if (!detail) return null;
  try {
    const d = JSON.parse(detail) as Record<string, unknown>;
    const v = d.code ?? d.reason;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}
