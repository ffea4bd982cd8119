/**
 * Escalation to Tier 2 and callbacks (CONTRACT.md section 8). Tier 1 escalates a call with a reason and urgency:
 * a live transfer when a Tier 2 officer with the skills (the caller's language; military for a military case) is
 * free, otherwise a callback due within 72 hours (urgent) or by the regular rule (reference/<agency>/contact-center.json),
 * with a text or e-mail now and a reminder before the call. Two failed attempts close a callback as missed and tell
 * the caller how to reach Tier 2 again: no silent drop. Reaching the caller opens the officer's own call, linked.
 */
import type { Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { Db } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { WebhookEvents } from '../webhooks/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import type { Agency } from '../platform/reference.ts';
import type { ContactService } from '../contacts/service.ts';
import type { ContactRow } from '../contacts/store.ts';
import type { ContactEventView, ContactSummary, HistoryItem } from '../contacts/views.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { normalisePhone } from '../domain/phone-number.ts';
import { formatContactReference } from '../domain/contact-reference.ts';
import { businessCalendar, US_FEDERAL, type BusinessCalendar } from '../domain/business-days.ts';
import { keysServedBy, parseSkills, skillKey, skillsNeeded } from '../domain/skills.ts';
import { translator, type Lang } from '../platform/i18n/i18n.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import * as caseStore from '../cases/store.ts';
import * as contactStore from '../contacts/store.ts';
import type { ContactCenterPolicy } from '../contacts/policy.ts';
import { MAX_CALL_HOURS, TEXT_LIMITS } from '../contacts/policy.ts';
import { MISSED_SHOWN_DAYS } from './policy.ts';
import { IDLE_TIMEOUT_MS } from '../staff/policy.ts';
import * as store from './store.ts';
import type { EscalationRow } from './store.ts';

export interface CallbackDeps {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  idempotency: IdempotencyService;
  contacts: ContactService;
  policy: ContactCenterPolicy;
  agency: Pick<Agency, 'receiptPrefixes' | 'timeZone' | 'shortName' | 'contactCenterPhone'>;
  /** Webhooks out: a callback closed as missed is an event, queued in the attempt's transaction. */
  webhooks?: WebhookEvents;
  clock?: () => Date;
}

export type CallWindow = string | { from: string; to: string };

export interface EscalateInput {
  reason: string;
  urgency: string;
  receiptNumber?: string | undefined;
  callback?: { phone?: string | undefined; window?: CallWindow | undefined } | undefined;
  /** How the caller is told of the callback: a text to the callback phone (the default) or an e-mail. */
  notify?: { channel: 'sms' | 'email'; to?: string | undefined } | undefined;
}

export const OUTCOMES = ['reached', 'no-answer', 'voicemail', 'wrong-number'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type CallbackStatus = 'due' | 'overdue' | 'missed' | 'done';

export interface CallbackItem {
  id: string; contactId: string; phone: string | null; language: string; skills: string[]; urgency: string; window: CallWindow | null;
  dueAt: string; attempts: number; status: CallbackStatus; reason: string; receiptNumber: string | null; createdAt: string;
  /** The staff id of the Tier 2 officer holding it (who tried it first, or whom a supervisor gave it to); null in the skills queue. */
  assignedTo: string | null;
}

export interface CallbackDetail extends CallbackItem {
  attemptLog: Array<{ n: number; at: string; outcome: string; staffId: string }>;
  /** The call that asked for it: what the caller said, what was verified, what was made. */
  contact: ContactSummary & { notes: string | null; events: ContactEventView[]; cases: Array<{ receiptNumber: string; verified: boolean }> };
  /** Earlier calls of the same caller and cases: the whole story, so nobody asks it again. */
  history: HistoryItem[];
  reachedContactId: string | null;
  actions: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WINDOW_LABEL_MAX = 100;

export class CallbackService {
  readonly #clock: () => Date;
  readonly #calendar: BusinessCalendar;

  constructor(private readonly deps: CallbackDeps) {
    this.#clock = deps.clock ?? (() => new Date());
    this.#calendar = businessCalendar(US_FEDERAL, deps.agency.timeZone);
  }

  withClock(clock: () => Date): CallbackService {
    return new CallbackService({ ...this.deps, contacts: this.deps.contacts.withClock(clock), clock });
  }

  /** When a callback made now is due: 72 hours when urgent; else the end of live help on the Nth business day. */
  dueAt(urgency: 'urgent' | 'regular', at: Date = this.#clock()): string {
    const c = this.deps.policy.callbacks;
    if (urgency === 'urgent') return new Date(at.getTime() + c.urgentHours * 3_600_000).toISOString();
    const date = this.#calendar.dueDate(at, c.regularBusinessDays);
    const [h, m] = c.closesAt.split(':').map(Number);
    return DateTime.fromISO(date, { zone: this.deps.agency.timeZone }).set({ hour: h!, minute: m! }).toUTC().toISO()!;
  }

  /**
   * Tier 1 escalates its open call. A free Tier 2 officer with the skills takes it live (the call is theirs to act
   * on too); when none is, a callback is promised and the caller told by text or e-mail, in one transaction.
   */
  async escalate(actor: Actor, contactId: string, input: EscalateInput, idem: IdempotentRequest, traceId?: string): Promise<IdempotentAnswer> {
    authorize(actor, 'escalate-to-tier2');
    const { staff, row: contact } = await this.deps.contacts.actable(actor, contactId, { open: true });
    const errors: FieldError[] = [];
    const reason = (input.reason ?? '').trim();
    if (reason.length < TEXT_LIMITS.reason.min || reason.length > TEXT_LIMITS.reason.max) {
      errors.push({ field: 'reason', code: 'length', detail: `Why Tier 2 is needed, ${TEXT_LIMITS.reason.min} to ${TEXT_LIMITS.reason.max} characters.` });
    }
    if (input.urgency !== 'urgent' && input.urgency !== 'regular') errors.push({ field: 'urgency', code: 'invalid', detail: '"urgent" or "regular".' });
    let receipt: string | null = null;
    if (input.receiptNumber !== undefined && input.receiptNumber !== '') {
      const r = parseReceiptNumber(input.receiptNumber, this.deps.agency.receiptPrefixes);
      if (!r) throw new AppError('invalid-receipt-number', 'A receipt number is 3 letters followed by 10 digits, like EAC2590012345.');
      receipt = r.value;
    }
    const phone = input.callback?.phone !== undefined ? normalisePhone(input.callback.phone) : contact.caller_phone;
    if (!phone) errors.push({ field: 'callback.phone', code: 'invalid-phone', detail: 'The number to call back, with its area code.' });
    const urgency = input.urgency as 'urgent' | 'regular';
    const at = this.#clock();
    const now = at.toISOString();
    const dueAt = errors.length ? now : this.dueAt(urgency, at);
    const window = this.#window(input.callback?.window, now, dueAt, errors);
    const notify = this.#notify(input.notify, phone, errors);
    if (errors.length) throw validationError(errors);

    // Without a receipt number, the case verified on the call (the officer needs "military" for a military case).
    receipt ??= (await contactStore.casesOf(this.deps.db, contact.id)).find((k) => k.verified === 1)?.receipt_number ?? null;
    const c = receipt ? await caseStore.findCase(this.deps.db, receipt) : undefined;
    const skills = skillsNeeded(contact.language, c?.military === 1);
    const key = skillKey(skills);
    const liveSince = new Date(at.getTime() - IDLE_TIMEOUT_MS).toISOString();
    const free = (await store.freeOfficers(this.deps.db, now, liveSince)).filter((o) => keysServedBy(parseSkills(o.skills)).includes(key));

    return this.deps.idempotency.run(idem, async (trx) => {
      let officer: (typeof free)[number] | undefined;
      for (const o of free) {
        if (await store.takeOfficer(trx, o.id, contact.id, now)) {
          officer = o;
          break;
        }
      }
      const id = newId();
      const row: EscalationRow = {
        id, contact_id: contact.id, mode: officer ? 'transfer' : 'callback', reason, urgency, receipt_number: receipt, language: contact.language,
        skills: JSON.stringify(skills), skill_key: key, phone, call_window: window ? JSON.stringify(window.given) : null, window_start: window?.start ?? null,
        due_at: officer ? now : dueAt, status: officer ? 'done' : 'open', attempts: 0, failed_attempts: 0, last_attempt_at: null,
        to_staff_id: officer?.id ?? null, reached_contact_id: null, notify_channel: officer ? null : notify!.channel, notify_address: officer ? null : notify!.to,
        created_by: staff.user.id, created_at: now, closed_at: officer ? now : null, updated_at: now,
      };
      await store.insertEscalation(trx, row);
      if (officer) {
        await contactStore.setEscalatedTo(trx, contact.id, officer.id);
        await this.deps.contacts.event(trx, contact.id, 'transferred', staff, now, { escalationId: id, toAgentId: officer.agent_id, urgency });
      } else {
        await this.#tellScheduled(trx, row, contact);
        await this.deps.contacts.event(trx, contact.id, 'escalated', staff, now, { escalationId: id, mode: 'callback', urgency, dueAt });
      }
      await this.#audit(trx, staff, officer ? 'escalation-transfer' : 'escalation-callback', row, traceId, { urgency, skills: key });
      return {
        status: 201,
        body: { id, mode: row.mode, dueAt: row.due_at, status: officer ? 'done' : 'due', skills, ...(officer ? { toAgentId: officer.agent_id } : {}) },
      };
    });
  }

  /**
   * Callbacks by status, soonest due first: a Tier 2 officer sees those their skills serve, a supervisor all.
   * `assignedTo` narrows to those one officer holds: 'me' for a Tier 2 officer's own, any staff id for a supervisor.
   */
  async list(actor: Actor, status: CallbackStatus | undefined, page: number, pageSize: number, options: { assignedTo?: string | undefined } = {}) {
    const staff = this.#reader(actor);
    const skillKeys = staff.user.role === 'tier2' ? keysServedBy(parseSkills(await store.staffSkills(this.deps.db, staff.user.id))) : undefined;
    const assignedTo = options.assignedTo === 'me' ? staff.user.id : staff.user.role === 'tier2' ? (options.assignedTo === undefined ? undefined : staff.user.id) : options.assignedTo;
    const now = this.#now();
    const { rows, total } = await store.listCallbacks(this.deps.db, { status: status ? [status] : ['due', 'overdue'], skillKeys, assignedTo, now }, page, pageSize);
    return { items: rows.map((r) => this.#item(r, now)), page, pageSize, total };
  }

  /** One callback with the call that asked for it and the caller's earlier calls. */
  async get(actor: Actor, id: string): Promise<CallbackDetail> {
    const staff = this.#reader(actor);
    const row = await this.#visible(staff, id);
    const now = this.#now();
    const db = this.deps.db;
    const contact = await this.#contactRow(row.contact_id);
    const view = await this.deps.contacts.view(staff, contact);
    const history = await this.deps.contacts.historyFor(staff, contact);
    const attempts = await store.attemptsOf(db, row.id);
    const item = this.#item(row, now);
    return {
      ...item,
      attemptLog: attempts.map((a) => ({ n: a.n, at: a.at, outcome: a.outcome, staffId: a.staff_id })),
      contact: {
        ...view, notes: view.notes, events: view.events, cases: view.cases.map((c) => ({ receiptNumber: c.receiptNumber, verified: c.verified })),
      },
      history, reachedContactId: row.reached_contact_id,
      actions: staff.user.role === 'tier2' && row.status === 'open' ? ['record-attempt'] : [],
    };
  }

  /**
   * Records a call-back attempt. `reached` finishes the callback and opens the officer's own call with the caller
   * (linked to the cases of the first call). A failure counts; the last allowed failure closes it as missed and
   * tells the caller how to reach Tier 2 again. Two officers recording at once: one wins, the other gets 409.
   */
  async attempt(actor: Actor, id: string, outcomeInput: string, traceId?: string) {
    const staff = authorize(actor, 'call-back-callers');
    const row = await this.#visible(staff, id);
    if (!(OUTCOMES as readonly string[]).includes(outcomeInput)) {
      throw validationError([{ field: 'outcome', code: 'invalid', detail: `One of ${OUTCOMES.join(', ')}.` }]);
    }
    const outcome = outcomeInput as Outcome;
    if (row.status !== 'open') throw new AppError('conflict', `This callback is ${row.status === 'done' ? 'done' : 'closed as missed'}; no more attempts are recorded.`);
    const now = this.#now();
    const contact = await this.#contactRow(row.contact_id);
    const failedNow = outcome === 'reached' ? row.failed_attempts : row.failed_attempts + 1;
    const missed = outcome !== 'reached' && failedNow >= this.deps.policy.callbacks.failedAttemptsToMiss;
    return this.deps.db.transaction().execute(async (trx) => {
      let reached: ContactRow | null = null;
      if (outcome === 'reached') {
        reached = await this.deps.contacts.insertContact(trx, staff, { source: 'callback', phone: row.phone ?? contact.caller_phone ?? '', language: row.language, callbackId: row.id }, traceId);
        await this.#linkCasesOf(trx, contact, reached, now);
      }
      const after = await store.recordAttempt(trx, row, { id: newId(), escalation_id: row.id, n: row.attempts + 1, at: now, staff_id: staff.user.id, outcome }, {
        failed_attempts: failedNow, last_attempt_at: now, updated_at: now,
        // The officer who tried first holds it for the next try (a supervisor may give it to someone else).
        ...(outcome !== 'reached' && !missed && !row.assigned_to ? { assigned_to: staff.user.id, assigned_at: now } : {}),
        ...(outcome === 'reached' ? { status: 'done' as const, closed_at: now, to_staff_id: staff.user.id, reached_contact_id: reached!.id } : {}),
        ...(missed ? { status: 'missed' as const, closed_at: now } : {}),
      });
      if (!after) throw new AppError('conflict', 'Someone recorded an attempt on this callback at the same moment. Look at it again.');
      await this.deps.contacts.event(trx, contact.id, 'callback-attempt', staff, now, { escalationId: row.id, n: after.attempts, outcome, ...(missed ? { missed: true } : {}) });
      if (missed) await this.#tellMissed(trx, after, contact);
      if (missed) await this.deps.webhooks?.emit(trx, 'callback.missed', { callbackId: after.id, contactReference: contact.reference, urgency: after.urgency, attempts: after.attempts, missedAt: now });
      if (after.status !== 'open') await this.deps.outbox.withdraw(trx, `escalation:${row.id}`, 'callback-reminder');
      await this.#audit(trx, staff, 'callback-attempt', after, traceId, { outcome, n: after.attempts, status: after.status });
      return {
        n: after.attempts, outcome, at: now, status: this.#item(after, now).status, attempts: after.attempts,
        ...(reached ? { contactId: reached.id, reference: reached.reference } : {}),
      };
    });
  }

  /**
   * A supervisor gives an open callback to a Tier 2 officer who may take it: an active Tier 2 account whose skills
   * serve the callback's (the same rule as the officer's queue). Audited; of two moves at once, one wins (409).
   * `expectedFrom` (a staff id, or null for the skills queue), when given, must still be its holder.
   */
  async assign(actor: Actor, id: string, userId: string, traceId?: string, expectedFrom?: string | null): Promise<CallbackItem> {
    const staff = authorize(actor, 'reassign-work');
    const row = await this.#visible(staff, id);
    if (row.status !== 'open') throw new AppError('conflict', `This callback is ${row.status === 'done' ? 'done' : 'closed as missed'}; only an open callback can be given to someone.`);
    const from = row.assigned_to ?? null;
    if (expectedFrom !== undefined && expectedFrom !== from) throw new AppError('conflict', 'This callback changed hands meanwhile. Look at it again.');
    const officer = /^[0-9a-zA-Z-]{1,64}$/.test(userId) ? await store.officerForCallback(this.deps.db, userId) : undefined;
    if (!officer || officer.role !== 'tier2' || Number(officer.disabled) !== 0) {
      throw validationError([{ field: 'userId', code: 'not-tier2', detail: 'Must be an active Tier 2 account.' }], 'A callback can only be given to an active Tier 2 officer.');
    }
    if (!keysServedBy(parseSkills(officer.skills)).includes(row.skill_key)) {
      throw validationError([{ field: 'userId', code: 'lacks-skills', detail: `This officer's skills do not serve this callback (it needs ${JSON.parse(row.skills).join(' + ')}).` }],
        'A callback can only be given to an officer whose skills serve it.');
    }
    if (from === officer.id) return this.#item(row, this.#now());
    const now = this.#now();
    const after = await this.deps.db.transaction().execute(async (trx) => {
      const moved = await store.assignCallback(trx, row.id, from, officer.id, now);
      if (!moved) return null;
      await this.#audit(trx, staff, 'callback-assign', moved, traceId, { to: officer.id, from });
      return moved;
    });
    if (!after) throw new AppError('conflict', 'This callback changed meanwhile (attempted, closed or given to someone else). Look at it again.');
    return this.#item(after, now);
  }

  /** A Tier 2 officer says whether they can take a live transfer now. */
  async setPresence(actor: Actor, status: string, traceId?: string): Promise<{ status: string }> {
    const staff = authorize(actor, 'call-back-callers');
    if (status !== 'available' && status !== 'away') throw validationError([{ field: 'status', code: 'invalid', detail: '"available" or "away".' }]);
    const now = this.#now();
    await this.deps.db.transaction().execute(async (trx) => {
      await store.setPresence(trx, staff.user.id, status, now);
      await this.deps.audit.record(trx, { actor: actorLabel(staff), action: 'presence-set', subject: `staff:${staff.user.id}`, outcome: 'allowed', traceId: traceId ?? null, detail: { status } });
    });
    return { status };
  }

  async presenceOf(actor: Actor): Promise<{ status: string; contactId: string | null }> {
    const staff = authorize(actor, 'handle-contacts');
    const p = await store.presenceOf(this.deps.db, staff.user.id);
    return { status: p?.status ?? 'away', contactId: p?.contact_id ?? null };
  }

  /** The supervisor's view: agents and what they are doing, callbacks due, overdue and missed by skill. */
  async overview(actor: Actor) {
    authorize(actor, 'watch-queues');
    const now = this.#now();
    const at = Date.parse(now);
    const [agents, counts, overdue, missed] = await Promise.all([
      store.allPresence(this.deps.db, new Date(at - MAX_CALL_HOURS * 3_600_000).toISOString()),
      store.callbackCounts(this.deps.db, now, new Date(at - MISSED_SHOWN_DAYS * 86_400_000).toISOString()),
      store.listCallbacks(this.deps.db, { status: ['overdue'], now }, 1, 20), store.listCallbacks(this.deps.db, { status: ['missed'], now }, 1, 20),
    ]);
    return {
      at: now,
      agents: agents.map((a) => ({ id: a.id, name: a.name, role: a.role, agentId: a.agent_id, skills: parseSkills(a.skills), status: a.status ?? 'away', onCall: a.contact_id !== null || Number(a.open_calls) > 0, since: a.updated_at })),
      callbacks: counts,
      overdue: { items: overdue.rows.map((r) => this.#item(r, now)), total: overdue.total },
      missed: { items: missed.rows.map((r) => this.#item(r, now)), total: missed.total },
    };
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────────────────────

  #reader(actor: Actor): StaffActor {
    if (actor.kind === 'staff' && actor.user.role === 'supervisor') return authorize(actor, 'watch-queues');
    return authorize(actor, 'call-back-callers');
  }

  /** The callback if `staff` may see it: supervisors all; a Tier 2 officer those their skills serve (else 404). */
  async #visible(staff: StaffActor, id: string): Promise<EscalationRow> {
    const row = await store.findEscalation(this.deps.db, id);
    if (!row || row.mode !== 'callback') throw new AppError('not-found', 'There is no callback with this id.');
    if (staff.user.role === 'tier2') {
      const keys = keysServedBy(parseSkills(await store.staffSkills(this.deps.db, staff.user.id)));
      if (!keys.includes(row.skill_key)) throw new AppError('not-found', 'There is no callback with this id for your skills.');
    }
    return row;
  }

  async #contactRow(id: string): Promise<ContactRow> {
    const c = await contactStore.findContact(this.deps.db, id);
    if (!c) throw new AppError('not-found', 'The call of this callback is gone.');
    return c;
  }

  async #linkCasesOf(trx: Transaction<Database>, from: ContactRow, to: ContactRow, at: string) {
    for (const c of await contactStore.casesOf(trx, from.id)) await contactStore.linkCase(trx, to.id, c.receipt_number, false, at);
  }

  #item(r: EscalationRow, now: string): CallbackItem {
    const status: CallbackStatus = r.status === 'open' ? (r.due_at < now ? 'overdue' : 'due') : r.status;
    return {
      id: r.id, contactId: r.contact_id, phone: r.phone, language: r.language, skills: JSON.parse(r.skills) as string[], urgency: r.urgency,
      window: r.call_window ? JSON.parse(r.call_window) as CallWindow : null, dueAt: r.due_at, attempts: Number(r.attempts), status,
      reason: r.reason, receiptNumber: r.receipt_number, createdAt: r.created_at, assignedTo: r.assigned_to ?? null,
    };
  }

  #window(w: CallWindow | undefined, now: string, dueAt: string, errors: FieldError[]): { given: CallWindow; start: string | null } | null {
    if (w === undefined || w === null || w === '') return null;
    if (typeof w === 'string') {
      const label = w.trim();
      if (label.length > WINDOW_LABEL_MAX) errors.push({ field: 'callback.window', code: 'too-long', detail: `A window the caller names, at most ${WINDOW_LABEL_MAX} characters, or {"from","to"} instants.` });
      return { given: label, start: null };
    }
    const from = typeof w.from === 'string' ? Date.parse(w.from) : NaN;
    const to = typeof w.to === 'string' ? Date.parse(w.to) : NaN;
    if (Number.isNaN(from) || Number.isNaN(to) || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(w.from) || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(w.to)) {
      errors.push({ field: 'callback.window', code: 'invalid', detail: '"from" and "to" are ISO 8601 instants with their offset.' });
      return null;
    }
    if (from >= to) errors.push({ field: 'callback.window.to', code: 'before-from', detail: '"to" must be after "from".' });
    if (to <= Date.parse(now)) errors.push({ field: 'callback.window.to', code: 'in-the-past', detail: 'The window must end in the future.' });
    if (from >= Date.parse(dueAt)) errors.push({ field: 'callback.window.from', code: 'after-due', detail: `The window must start before the callback is due (${dueAt}).` });
    return { given: { from: new Date(from).toISOString(), to: new Date(to).toISOString() }, start: new Date(from).toISOString() };
  }

  #notify(n: EscalateInput['notify'], phone: string | null, errors: FieldError[]): { channel: 'sms' | 'email'; to: string } | null {
    if (!n || n.channel === 'sms') {
      const to = n?.to !== undefined ? normalisePhone(n.to) : phone;
      if (!to) errors.push({ field: 'notify.to', code: 'invalid-phone', detail: 'A phone number that can take a text message.' });
      return to ? { channel: 'sms', to } : null;
    }
    if (n.channel === 'email') {
      if (n.to && EMAIL.test(n.to.trim())) return { channel: 'email', to: n.to.trim() };
      errors.push({ field: 'notify.to', code: 'invalid-email', detail: 'An e-mail address like name@example.org.' });
      return null;
    }
    errors.push({ field: 'notify.channel', code: 'invalid', detail: '"sms" or "email".' });
    return null;
  }

  #texts(row: EscalationRow, contact: ContactRow) {
    const lang: Lang = row.language === 'es' ? 'es' : 'en';
    const zone = this.deps.agency.timeZone;
    const w = row.call_window ? JSON.parse(row.call_window) as CallWindow : null;
    const window = !w ? '' : typeof w === 'string'
      ? (lang === 'es' ? ` (horario pedido: ${w})` : ` (the window you asked for: ${w})`)
      : (lang === 'es' ? `, entre ${longDateTime(w.from, lang, zone)} y ${longDateTime(w.to, lang, zone)}` : `, between ${longDateTime(w.from, lang, zone)} and ${longDateTime(w.to, lang, zone)}`);
    return {
      lang, t: translator(lang),
      vars: { agency: this.deps.agency.shortName, phone: row.phone ?? '', due: longDateTime(row.due_at, lang, zone), window, reference: formatContactReference(contact.reference) },
    };
  }

  async #tellScheduled(trx: Transaction<Database>, row: EscalationRow, contact: ContactRow) {
    const { lang, t, vars } = this.#texts(row, contact);
    const base = { channel: row.notify_channel!, to: row.notify_address!, lang, subjectRef: `escalation:${row.id}` };
    await this.deps.outbox.enqueue(trx, { ...base, template: 'callback-scheduled', subject: t('mail.callbackScheduled.subject', vars), bodyText: t('mail.callbackScheduled.body', vars) });
    const before = this.deps.policy.callbacks.reminderHoursBefore * 3_600_000;
    const remindAt = Date.parse(row.window_start ?? row.due_at) - before;
    // A reminder only when it comes well after the first message (else the first one is the reminder).
    if (remindAt > Date.parse(row.created_at) + before / 2) {
      await this.deps.outbox.enqueue(trx, {
        ...base, template: 'callback-reminder', notBefore: new Date(remindAt).toISOString(),
        subject: t('mail.callbackReminder.subject', vars), bodyText: t('mail.callbackReminder.body', vars),
      });
    }
  }

  async #tellMissed(trx: Transaction<Database>, row: EscalationRow, contact: ContactRow) {
    if (!row.notify_channel || !row.notify_address) return;
    const { lang, t, vars } = this.#texts(row, contact);
    const all = { ...vars, contactCenter: this.deps.agency.contactCenterPhone, hours: this.deps.policy.liveHelp[lang] };
    await this.deps.outbox.enqueue(trx, {
      channel: row.notify_channel, to: row.notify_address, lang, subjectRef: `escalation:${row.id}`, template: 'callback-missed',
      subject: t('mail.callbackMissed.subject', all), bodyText: t('mail.callbackMissed.body', all),
    });
  }

  async #audit(trx: Transaction<Database>, actor: Actor, action: string, row: EscalationRow, traceId?: string, detail?: Record<string, string | number | boolean | null>) {
    await this.deps.audit.record(trx, {
      actor: actorLabel(actor), action, subject: `escalation:${row.id}`, outcome: 'allowed', purpose: `contact:${row.contact_id}`, traceId: traceId ?? null,
      ...(detail ? { detail } : {}),
    });
  }

  #now(): string {
    return this.#clock().toISOString();
  }
}
