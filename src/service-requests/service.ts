/**
 * Service requests (CONTRACT.md section 10): created by an agent on a call or by the person online, routed to
 * the office holding the case, worked from that office's queue, answered by mail. The rules are data
 * (ServiceRequestRules); each change, its history event and its audit entry commit in one transaction, and an
 * answer commits with its outbox message, so no answer is acknowledged without its mail queued.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { CaseTable, Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { WebhookEvents } from '../webhooks/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import type { ProcessingTimeService } from '../processing-times/service.ts';
import type { Agency } from '../platform/reference.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { formatReferralNumber, newReferralNumber, parseReferralNumber } from '../domain/referral-number.ts';
import type { CaseFacts, ServiceRequestRules } from '../domain/service-request-rules.ts';
import type { Creator } from '../domain/service-request-policy.ts';
import { mergedHistory } from '../case-status/presenter.ts';
import { translator, type Lang } from '../platform/i18n/i18n.ts';
import { longDate } from '../platform/i18n/format.ts';
import { addDays } from '../domain/processing-time.ts';
import * as caseStore from '../cases/store.ts';
import { REOPEN_WINDOW_DAYS, SWEEP_BATCH } from './policy.ts';
import * as store from './store.ts';
import type { QueueFilter, ServiceRequestRow } from './store.ts';
import { applicantEmail, checkReason, duplicate, notFoundReferral, parseArray, parseObject, refusalError, requestFields, responseProblems, verified } from './checks.ts';
import { queueItem, staffIdOf, view, type CaseContext, type Created, type HistoryEntry, type Page, type PublicStatus, type QueueItem, type ServiceRequestView } from './views.ts';

export interface CreateInput {
  receiptNumber: string;
  type: string;
  contactId?: string | undefined;
  details?: string | undefined;
  urgency?: string | undefined;
  expediteCriterion?: string | undefined;
  newAddress?: unknown;
  verification?: { name: string; dateOfBirth: string } | undefined;
}

export interface ServiceRequestDeps {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  idempotency: IdempotencyService;
  rules: ServiceRequestRules;
  processingTimes: Pick<ProcessingTimeService, 'inquiryFor'>;
  agency: Pick<Agency, 'receiptPrefixes' | 'offices' | 'timeZone'>;
  /** Where people reach the public pages (PUBLIC_URL): the answer's mail links to the reopen page. */
  publicUrl: string;
  /** The contact desk: a request made on a call must name a call the agent may act on (else 404). */
  contacts?: { actable(actor: Actor, id: string): Promise<unknown> };
  /** Webhooks out: created, answered and overdue are events, queued in the change's transaction. */
  webhooks?: WebhookEvents;
  clock?: () => Date;
}

type StaffActor = Extract<Actor, { kind: 'staff' }>;

const AGENT_ROLES = ['tier1', 'tier2'] as const;
/** Roles that may read any request (CONTRACT.md section 9: who may see a case); office staff only their office's. */
const READ_ANY_ROLES = ['tier2', 'supervisor', 'ombudsman'] as const;

export class ServiceRequestService {
  readonly #clock: () => Date;
  readonly #offices: Set<string>;

  constructor(private readonly deps: ServiceRequestDeps) {
    this.#clock = deps.clock ?? (() => new Date());
    this.#offices = new Set(deps.agency.offices.map((o) => o.code));
  }

  get rules(): ServiceRequestRules {
    return this.deps.rules;
  }

  /** The same service reading another clock (the demo's past requests; tests of deadlines). */
  withClock(clock: () => Date): ServiceRequestService {
    return new ServiceRequestService({ ...this.deps, clock });
  }

  /**
   * Creates a request: checks the rules (refusals name the rule and what to do instead), then in ONE transaction
   * (with the idempotency key's answer) refuses a duplicate open request, writes the request, its first history
   * event and the audit entry. The unique open slot decides two racing creations: the loser answers 409 with the
   * winner.
   */
  async create(actor: Actor, input: CreateInput, idem: IdempotentRequest, options: { lang?: Lang; traceId?: string } = {}): Promise<IdempotentAnswer> {
    const creator = this.#creatorOf(actor, input);
    const receipt = this.#receipt(input.receiptNumber);
    if (input.contactId !== undefined) {
      if (creator === 'public') throw validationError([{ field: 'contactId', code: 'not-allowed', detail: 'Only an agent names the call a request was made on.' }]);
      await this.deps.contacts?.actable(actor, input.contactId);
    }
    const row = await caseStore.findCase(this.deps.db, receipt);
    if (creator === 'public') {
      if (!row || !verified(row, input.verification!)) {
        throw new AppError('not-found', 'We could not find a case with this receipt number, name and date of birth. Check them against your receipt notice.');
      }
    } else if (!row) {
      throw new AppError('not-found', 'No case with this receipt number has been loaded.');
    }
    const now = this.#clock();
    const facts = await this.#facts(row, input.type);
    const fields = requestFields(input);
    const decision = this.deps.rules.evaluate({ request: { type: input.type, fields }, creator, facts, now });
    if (!decision.ok) throw refusalError(decision);
    const lang: Lang = options.lang ?? 'en';
    try {
      return await this.deps.idempotency.run(idem, async (trx) => {
        const existing = await store.findOpen(trx, receipt, decision.type);
        if (existing) throw duplicate(existing);
        const createdAt = now.toISOString();
        const referralNumber = newReferralNumber();
        await store.insertRequest(trx, {
          referral_number: referralNumber, receipt_number: receipt, type: decision.type, status: 'open', active: 1,
          open_slot: store.openSlot(receipt, decision.type), office: decision.office, priority: decision.priority,
          created_at: createdAt, created_date: decision.createdDate, due_date: decision.dueDate, creator,
          created_by: actorLabel(actor), contact_id: input.contactId ?? null, lang, fields: JSON.stringify(fields),
          claimed_by: null, claimed_at: null, response: null, answered_by: null, answered_at: null, overdue: 0, overdue_at: null,
          reopen_count: 0, reopened_at: null, closed_at: null, form_letter_flag: 0, updated_at: createdAt,
        });
        await this.#event(trx, referralNumber, 'created', actor, createdAt, { office: decision.office, dueDate: decision.dueDate, creator });
        await this.deps.webhooks?.emit(trx, 'service-request.created', { referralNumber, receiptNumber: receipt, type: decision.type, office: decision.office, status: 'open', dueDate: decision.dueDate, createdAt });
        await this.deps.audit.record(trx, {
          actor: actorLabel(actor), action: 'service-request-create', subject: `service-request:${referralNumber}`, outcome: 'allowed',
          purpose: input.contactId ?? null, traceId: options.traceId ?? null,
          detail: { type: decision.type, office: decision.office, dueDate: decision.dueDate, creator, receipt },
        });
        const body: Created = { referralNumber, type: decision.type, status: 'open', office: decision.office, dueDate: decision.dueDate, createdAt };
        return { status: 201, body };
      });
    } catch (err) {
      if (store.isOpenSlotConflict(err)) {
        const existing = await store.findOpen(this.deps.db, receipt, input.type);
        if (existing) throw duplicate(existing);
      }
      throw err;
    }
  }

  /** One request, for staff who may see its case (others: 404 for office staff elsewhere, 403 for roles that never may). */
  async get(actor: Actor, referral: string, traceId?: string): Promise<ServiceRequestView & { history: HistoryEntry[] }> {
    const staff = this.#staff(actor, READ_ANY_ROLES, ['office']);
    const row = await this.#visible(staff, referral);
    const events = await store.eventsOf(this.deps.db, row.referral_number);
    const names = await store.staffByIds(this.deps.db, [
      ...[row.claimed_by, row.answered_by].filter((x): x is string => x !== null),
      ...events.map((e) => staffIdOf(e.actor)).filter((x): x is string => x !== null),
    ]);
    await this.deps.audit.recordNow({
      actor: actorLabel(actor), action: 'service-request-read', subject: `service-request:${row.referral_number}`, outcome: 'allowed', traceId: traceId ?? null,
    });
    return {
      ...view(row, names),
      history: events.map((e) => {
        const id = staffIdOf(e.actor);
        const by = id ? names.get(id) : undefined;
        return { at: e.at, action: e.action, actor: e.actor, by: by ? { id: by.id, name: by.name } : null, detail: e.detail ? JSON.parse(e.detail) as Record<string, unknown> : null };
      }),
    };
  }

  /** The case beside a request, for the response form: its timeline, notices and the person's other requests. */
  async caseContext(actor: Actor, referral: string, traceId?: string): Promise<CaseContext> {
    const staff = this.#staff(actor, READ_ANY_ROLES, ['office']);
    const row = await this.#visible(staff, referral);
    const c = await caseStore.findCase(this.deps.db, row.receipt_number);
    if (!c) throw new AppError('not-found', 'The case of this request is no longer loaded.');
    const others = (await store.requestsOfCase(this.deps.db, row.receipt_number)).filter((r) => r.referral_number !== row.referral_number);
    await this.deps.audit.recordNow({
      actor: actorLabel(actor), action: 'case-read', subject: `case:${row.receipt_number}`, outcome: 'allowed', purpose: row.referral_number, traceId: traceId ?? null,
    });
    return {
      receiptNumber: c.receipt_number, formType: c.form_type, office: c.office, receivedDate: c.received_date, status: c.status,
      timeline: mergedHistory(c).map((h) => ({ date: h.date, status: h.status })),
      notices: parseArray(c.notices) as CaseContext['notices'],
      otherRequests: others.map((r) => ({ referralNumber: r.referral_number, type: r.type, status: r.status, createdAt: r.created_at })),
    };
  }

  /** Status and due date only, for the person: the receipt number must match, else 404 like an unknown referral. */
  async publicStatus(referral: string, receiptInput: string): Promise<PublicStatus> {
    const row = await this.#publicRow(referral, receiptInput);
    return { referralNumber: row.referral_number, status: row.status, dueDate: row.due_date };
  }

  /**
   * "This did not resolve my problem": the person reopens an answered request (verified like an online request).
   * It goes back to the queue with a new due date; the reason is kept in its history.
   */
  async publicReopen(referral: string, input: { receiptNumber: string; verification: { name: string; dateOfBirth: string }; reason: string }, traceId?: string): Promise<PublicStatus> {
    const row = await this.#publicRow(referral, input.receiptNumber);
    const c = await caseStore.findCase(this.deps.db, row.receipt_number);
    if (!c || !verified(c, input.verification)) throw notFoundReferral();
    const updated = await this.#reopen(row, { kind: 'anonymous' }, input.reason, traceId);
    return { referralNumber: updated.referral_number, status: updated.status, dueDate: updated.due_date };
  }

  /** An agent reopens an answered request for the caller (the answer did not resolve it). */
  async reopen(actor: Actor, referral: string, reason: string, traceId?: string): Promise<ServiceRequestView> {
    this.#staff(actor, AGENT_ROLES, []);
    const row = await this.#find(referral);
    const updated = await this.#reopen(row, actor, reason, traceId);
    return view(updated, await this.#names([updated]));
  }

  /** An office's queue: oldest due first; filters by kind, status, overdue and "claimed by me". */
  async queue(actor: Actor, office: string, filter: Omit<QueueFilter, 'office'> & { mine?: boolean }, page: number, pageSize: number): Promise<Page<QueueItem>> {
    const staff = this.#staff(actor, ['supervisor'], ['office']);
    if (!this.#offices.has(office)) throw new AppError('not-found', 'There is no office with this code.');
    if (staff.user.role === 'office' && staff.user.office !== office) throw new AppError('forbidden', 'Office staff work their own office\'s queue only.');
    const { mine, ...rest } = filter;
    return this.#page({ ...rest, office, ...(mine ? { claimedBy: staff.user.id } : {}) }, page, pageSize);
  }

  /** Requests across offices for supervisors (the overdue view, flagged answers), oldest due first. */
  async list(actor: Actor, filter: QueueFilter, page: number, pageSize: number): Promise<Page<QueueItem>> {
    this.#staff(actor, ['supervisor'], []);
    return this.#page(filter, page, pageSize);
  }

  /** Active requests per office, overdue or not (the supervisor's overview). */
  async overview(actor: Actor): Promise<Array<{ office: string; active: number; overdue: number }>> {
    this.#staff(actor, ['supervisor'], []);
    const counts = await store.activeCounts(this.deps.db);
    const by = new Map<string, { office: string; active: number; overdue: number }>();
    for (const c of counts) {
      const e = by.get(c.office) ?? { office: c.office, active: 0, overdue: 0 };
      e.active += c.n;
      if (c.overdue) e.overdue += c.n;
      by.set(c.office, e);
    }
    return [...by.values()].sort((a, b) => b.overdue - a.overdue || a.office.localeCompare(b.office));
  }

  /** Claims a request for its office's worker: exactly one claimant wins; the holder claiming again is fine. */
  async claim(actor: Actor, referral: string, traceId?: string): Promise<{ view: ServiceRequestView; changed: boolean }> {
    const staff = this.#staff(actor, [], ['office']);
    const row = await this.#visible(staff, referral);
    const now = this.#now();
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const claimed = await store.transition(trx, row.referral_number, { from: ['open', 'reopened'], claimedBy: null, office: staff.user.office! }, {
        status: 'claimed', claimed_by: staff.user.id, claimed_at: now, updated_at: now,
      });
      if (!claimed) return null;
      await this.#event(trx, claimed.referral_number, 'claimed', actor, now, null);
      await this.#audit(trx, actor, 'service-request-claim', claimed, traceId);
      return claimed;
    });
    if (result) return { view: view(result, await this.#names([result])), changed: true };
    const current = await this.#find(referral);
    if (current.status === 'claimed' && current.claimed_by === staff.user.id) return { view: view(current, await this.#names([current])), changed: false };
    if (current.office !== staff.user.office) throw notFoundReferral();
    if (current.status === 'claimed') throw new AppError('conflict', 'Someone else has claimed this request.', { extensions: { requestStatus: current.status } });
    throw new AppError('conflict', `This request is ${current.status}; only an open or reopened request can be claimed.`, { extensions: { requestStatus: current.status } });
  }

  /** The claimant gives a request back to the office's queue (someone else may claim it); the due date stays. */
  async release(actor: Actor, referral: string, traceId?: string): Promise<ServiceRequestView> {
    const staff = this.#staff(actor, [], ['office']);
    const row = await this.#visible(staff, referral);
    if (row.status !== 'claimed') throw new AppError('conflict', `This request is ${row.status}; only a claimed request can be given back.`, { extensions: { requestStatus: row.status } });
    if (row.claimed_by !== staff.user.id) throw new AppError('forbidden', 'Only the person who holds this request may give it back. A supervisor can reassign it.');
    const now = this.#now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const released = await store.transition(trx, row.referral_number, { from: ['claimed'], claimedBy: staff.user.id }, {
        status: row.reopen_count > 0 ? 'reopened' : 'open', claimed_by: null, claimed_at: null, updated_at: now,
      });
      if (!released) throw new AppError('conflict', 'This request changed meanwhile. Look at it again.');
      await this.#event(trx, released.referral_number, 'released', actor, now, null);
      await this.#audit(trx, actor, 'service-request-release', released, traceId);
      return released;
    });
    return view(updated, await this.#names([updated]));
  }

  /**
   * The claimant answers. The answer must say something (long enough, not the same words as the answer that was
   * reopened); the person is told by mail, queued in the same transaction.
   */
  async respond(actor: Actor, referral: string, response: string, traceId?: string): Promise<ServiceRequestView> {
    const staff = this.#staff(actor, [], ['office']);
    const row = await this.#visible(staff, referral);
    if (row.status !== 'claimed' || row.claimed_by !== staff.user.id) {
      if (row.status === 'answered' || row.status === 'closed') throw new AppError('conflict', `This request is already ${row.status}.`, { extensions: { requestStatus: row.status } });
      throw new AppError('forbidden', 'Only the person who claimed this request may answer it. Claim it first.');
    }
    const text = response.trim();
    const errors = responseProblems(text, row.response);
    if (errors.length) throw validationError(errors, errors[0]!.detail);
    const c = await caseStore.findCase(this.deps.db, row.receipt_number);
    const email = c ? applicantEmail(c) : null;
    const now = this.#now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const answered = await store.transition(trx, row.referral_number, { from: ['claimed'], claimedBy: staff.user.id }, {
        status: 'answered', active: 0, open_slot: null, response: text, answered_by: staff.user.id, answered_at: now, updated_at: now,
      });
      if (!answered) throw new AppError('conflict', 'This request changed while you were answering it. Open it again.');
      let mailed = false;
      if (email) {
        await this.deps.outbox.enqueue(trx, this.#answerMail(answered, email, text));
        mailed = true;
      }
      await this.#event(trx, answered.referral_number, 'answered', actor, now, { mailed });
      await this.deps.webhooks?.emit(trx, 'service-request.answered', { referralNumber: answered.referral_number, receiptNumber: answered.receipt_number, type: answered.type, office: answered.office, status: answered.status, answeredAt: now });
      await this.#audit(trx, actor, 'service-request-respond', answered, traceId, { mailed });
      return answered;
    });
    return view(updated, await this.#names([updated]));
  }

  /** A supervisor gives a request to a worker of its office (the claim moves to them). */
  async assign(actor: Actor, referral: string, userId: string, traceId?: string): Promise<ServiceRequestView> {
    this.#staff(actor, ['supervisor'], []);
    const row = await this.#find(referral);
    const worker = (await store.staffByIds(this.deps.db, [userId])).get(userId);
    if (!worker || worker.disabled || worker.role !== 'office' || worker.office !== row.office) {
      throw validationError([{ field: 'userId', code: 'not-in-office', detail: `Must be an active office account of ${row.office}, the office that holds this request.` }],
        `A request can only be assigned to an active office account of ${row.office}.`);
    }
    const now = this.#now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const assigned = await store.transition(trx, row.referral_number, { from: store.ACTIVE_STATUSES, office: row.office }, {
        status: 'claimed', claimed_by: userId, claimed_at: now, updated_at: now,
      });
      if (!assigned) return null;
      await this.#event(trx, assigned.referral_number, 'assigned', actor, now, { to: userId, from: row.claimed_by });
      await this.#audit(trx, actor, 'service-request-assign', assigned, traceId, { to: userId });
      return assigned;
    });
    if (!updated) throw new AppError('conflict', 'Only an open, claimed or reopened request can be assigned; this one changed or is finished.');
    return view(updated, await this.#names([updated]));
  }

  /** Moves a request to another office's queue, due date unchanged (office staff of the holding office, supervisor). */
  async transfer(actor: Actor, referral: string, input: { office: string; reason: string }, traceId?: string): Promise<ServiceRequestView> {
    const staff = this.#staff(actor, ['supervisor'], ['office']);
    const row = await this.#visible(staff, referral);
    const office = input.office.trim().toUpperCase();
    if (!this.#offices.has(office)) throw validationError([{ field: 'office', code: 'unknown-office', detail: 'Must be an office code of the agency, e.g. NBC.' }]);
    if (office === row.office) throw validationError([{ field: 'office', code: 'same-office', detail: 'The request is already at this office.' }]);
    const reason = checkReason(input.reason);
    const now = this.#now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const moved = await store.transition(trx, row.referral_number, { from: store.ACTIVE_STATUSES, office: row.office }, {
        office, status: row.status === 'claimed' ? 'open' : row.status, claimed_by: null, claimed_at: null, updated_at: now,
      });
      if (!moved) return null;
      await this.#event(trx, moved.referral_number, 'transferred', actor, now, { from: row.office, to: office, reason });
      await this.#audit(trx, actor, 'service-request-transfer', moved, traceId, { from: row.office, to: office });
      return moved;
    });
    if (!updated) throw new AppError('conflict', 'Only an open, claimed or reopened request can be transferred; this one changed or is finished.');
    return view(updated, await this.#names([updated]));
  }

  /** A reviewer (supervisor) flags an answer that is a bare form letter, or takes the flag back. */
  async review(actor: Actor, referral: string, input: { formLetter: boolean; note?: string | undefined }, traceId?: string): Promise<ServiceRequestView> {
    this.#staff(actor, ['supervisor'], []);
    const row = await this.#find(referral);
    if (row.response === null) throw new AppError('conflict', 'This request has not been answered yet: there is no answer to review.');
    const note = input.note?.trim() ? checkReason(input.note, 'note') : null;
    const now = this.#now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const flagged = await store.transition(trx, row.referral_number, { from: ['answered', 'closed', 'reopened', 'claimed', 'open'] }, {
        form_letter_flag: input.formLetter ? 1 : 0, updated_at: now,
      });
      await this.#event(trx, row.referral_number, input.formLetter ? 'flagged' : 'unflagged', actor, now, note ? { note } : null);
      await this.#audit(trx, actor, input.formLetter ? 'service-request-flag' : 'service-request-unflag', flagged ?? row, traceId);
      return flagged ?? row;
    });
    return view(updated, await this.#names([updated]));
  }

  /**
   * The case feed moved a case to `office`: its open requests move with it in the feed's transaction, each with a
   * history event and an audit entry. A claim does not travel (the new office claims afresh); due dates stay.
   */
  async moveWithCase(trx: Transaction<Database>, moves: ReadonlyArray<{ receiptNumber: string; from: string; to: string }>, actor: Actor, traceId?: string): Promise<number> {
    let moved = 0;
    const now = this.#now();
    for (const m of moves) {
      for (const r of await store.openRequestsNotAt(trx, m.receiptNumber, m.to)) {
        const after = await store.transition(trx, r.referral_number, { from: [r.status] }, {
          office: m.to, status: r.status === 'claimed' ? 'open' : r.status, claimed_by: null, claimed_at: null, updated_at: now,
        });
        if (!after) continue;
        await this.#event(trx, r.referral_number, 'moved-with-case', actor, now, { from: r.office, to: m.to });
        await this.#audit(trx, actor, 'service-request-move-with-case', after, traceId, { from: r.office, to: m.to });
        moved++;
      }
    }
    return moved;
  }

  /**
   * The deadline job: marks active requests past their due date (in each office's own calendar) as overdue, and
   * closes answered ones whose reopen window has passed. Each request is marked by exactly one sweep, however
   * many instances run it at once (the conditional UPDATE decides), with its event and audit entry in the same
   * transaction. Safe to run at any time and after any restart: it only looks at the database.
   */
  async sweep(traceId?: string): Promise<{ overdue: number; closed: number }> {
    const at = this.#clock();
    const now = at.toISOString();
    const system: Actor = { kind: 'system' };
    let overdue = 0;
    for (const office of this.#offices) {
      const today = this.deps.rules.calendarFor(office).dateAt(at);
      for (;;) {
        const n = await this.deps.db.transaction().execute(async (trx) => {
          const marked = await store.markOverdue(trx, office, today, now, SWEEP_BATCH);
          for (const r of marked) {
            await this.#event(trx, r.referral_number, 'overdue', system, now, { dueDate: r.due_date });
            await this.deps.webhooks?.emit(trx, 'service-request.overdue', { referralNumber: r.referral_number, receiptNumber: r.receipt_number, type: r.type, office: r.office, status: r.status, dueDate: r.due_date });
            await this.#audit(trx, system, 'service-request-overdue', r, traceId, { dueDate: r.due_date });
          }
          return marked.length;
        });
        overdue += n;
        if (n < SWEEP_BATCH) break;
      }
    }
    let closed = 0;
    const before = addDays(now.slice(0, 10), -REOPEN_WINDOW_DAYS) + now.slice(10);
    for (;;) {
      const n = await this.deps.db.transaction().execute(async (trx) => {
        const done = await store.closeAnswered(trx, before, now, SWEEP_BATCH);
        for (const r of done) {
          await this.#event(trx, r.referral_number, 'closed', system, now, null);
          await this.#audit(trx, system, 'service-request-close', r, traceId);
        }
        return done.length;
      });
      closed += n;
      if (n < SWEEP_BATCH) break;
    }
    return { overdue, closed };
  }

  /** Which kinds a creator may file (the online forms, an agent's menu). */
  kindsFor(creator: Creator) {
    return this.deps.rules.kindsFor(creator);
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────────────────────

  async #reopen(row: ServiceRequestRow, actor: Actor, reasonInput: string, traceId?: string): Promise<ServiceRequestRow> {
    if (row.status === 'closed') {
      throw new AppError('unprocessable', `This request was closed ${REOPEN_WINDOW_DAYS} days after its answer. Make a new request instead.`, { extensions: { requestStatus: row.status } });
    }
    if (row.status !== 'answered') throw new AppError('conflict', 'Only an answered request can be reopened; this one is still being worked on.', { extensions: { requestStatus: row.status } });
    const reason = checkReason(reasonInput);
    const kind = this.deps.rules.kind(row.type);
    if (!kind) throw new AppError('unprocessable', 'This kind of request is no longer offered. Make a new request.');
    const at = this.#clock();
    const now = at.toISOString();
    const { dueDate } = this.deps.rules.dueDate(kind, row.office, at);
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const reopened = await store.transition(trx, row.referral_number, { from: ['answered'] }, {
          status: 'reopened', active: 1, open_slot: store.openSlot(row.receipt_number, row.type), due_date: dueDate, claimed_by: null, claimed_at: null,
          overdue: 0, overdue_at: null, reopen_count: row.reopen_count + 1, reopened_at: now, updated_at: now,
        });
        if (!reopened) throw new AppError('conflict', 'This request changed meanwhile. Look at it again.');
        await this.#event(trx, row.referral_number, 'reopened', actor, now, { reason, dueDate, previousDueDate: row.due_date });
        await this.#audit(trx, actor, 'service-request-reopen', reopened, traceId, { dueDate });
        return reopened;
      });
    } catch (err) {
      if (store.isOpenSlotConflict(err)) {
        const existing = await store.findOpen(this.deps.db, row.receipt_number, row.type);
        if (existing) throw duplicate(existing);
      }
      throw err;
    }
  }

  #answerMail(row: ServiceRequestRow, to: string, response: string) {
    const lang: Lang = row.lang === 'es' ? 'es' : 'en';
    const t = translator(lang);
    const referral = formatReferralNumber(row.referral_number);
    const link = `${this.deps.publicUrl}/service-requests/status?referralNumber=${row.referral_number}&receiptNumber=${row.receipt_number}${lang === 'es' ? '&lang=es' : ''}`;
    return {
      to, lang, template: 'service-request-answered', subjectRef: row.referral_number,
      subject: t('mail.serviceRequestAnswered.subject', { referral }),
      bodyText: t('mail.serviceRequestAnswered.body', {
        referral, receipt: row.receipt_number, kind: this.deps.rules.kind(row.type)?.title[lang] ?? row.type, response, link,
        days: REOPEN_WINDOW_DAYS, until: longDate(addDays(this.#now().slice(0, 10), REOPEN_WINDOW_DAYS), lang),
      }),
    };
  }

  async #facts(row: CaseTable, type: string): Promise<CaseFacts> {
    const applicant = parseObject(row.applicant);
    return {
      office: row.office,
      decided: row.decided_date !== null,
      protectedCategory: typeof applicant.protectedCategory === 'string' ? applicant.protectedCategory : row.protected_category,
      receivedDate: row.received_date,
      history: mergedHistory(row).map((h) => ({ date: h.date, status: h.status })),
      notices: (parseArray(row.notices) as Array<{ date?: unknown }>).filter((n) => typeof n.date === 'string').map((n) => ({ date: n.date as string })),
      ...(this.deps.rules.needsInquiry(type) ? { inquiry: await this.deps.processingTimes.inquiryFor(row) } : {}),
    };
  }

  #creatorOf(actor: Actor, input: CreateInput): Creator {
    if (actor.kind === 'staff') {
      if (actor.user.role === 'tier1' || actor.user.role === 'tier2') return actor.user.role;
      throw new AppError('forbidden', 'Service requests are made by Tier 1 and Tier 2 agents, or by the person online.');
    }
    if (actor.kind === 'client') throw new AppError('forbidden', 'API clients may not make service requests.');
    if (!input.verification) {
      throw new AppError('unauthenticated', 'Sign in as an agent, or send "verification" with the applicant\'s name and date of birth to make the request yourself.');
    }
    return 'public';
  }

  #receipt(input: string): string {
    const r = parseReceiptNumber(input, this.deps.agency.receiptPrefixes);
    if (!r) throw new AppError('invalid-receipt-number', 'A receipt number is 3 letters followed by 10 digits, like EAC2590012345.');
    return r.value;
  }

  #staff(actor: Actor, roles: readonly string[], officeRoles: readonly string[]): StaffActor {
    if (actor.kind !== 'staff') {
      if (actor.kind === 'client') throw new AppError('forbidden', 'This endpoint is for staff, not API clients.');
      throw new AppError('unauthenticated', 'Sign in first: POST /api/v1/auth/login, then send the token as a bearer token.');
    }
    const role = actor.user.role;
    if (!roles.includes(role) && !officeRoles.includes(role)) throw new AppError('forbidden', 'Your role may not do this.');
    return actor;
  }

  async #find(referral: string): Promise<ServiceRequestRow> {
    const parsed = parseReferralNumber(referral);
    const row = parsed.ok ? await store.findRequest(this.deps.db, parsed.value) : undefined;
    if (!row) throw notFoundReferral();
    return row;
  }

  /** The request if this staff member may see it; office staff see their office's requests only (else 404). */
  async #visible(staff: StaffActor, referral: string): Promise<ServiceRequestRow> {
    const row = await this.#find(referral);
    if (staff.user.role === 'office' && row.office !== staff.user.office) throw notFoundReferral();
    return row;
  }

  async #publicRow(referral: string, receiptInput: string): Promise<ServiceRequestRow> {
    const parsed = parseReferralNumber(referral);
    const receipt = parseReceiptNumber(receiptInput ?? '', this.deps.agency.receiptPrefixes);
    const row = parsed.ok && receipt ? await store.findRequest(this.deps.db, parsed.value) : undefined;
    if (!row || row.receipt_number !== receipt?.value) throw notFoundReferral();
    return row;
  }

  async #page(filter: QueueFilter, page: number, pageSize: number): Promise<Page<QueueItem>> {
    const { rows, total } = await store.listRequests(this.deps.db, filter, page, pageSize);
    const names = await this.#names(rows);
    return { items: rows.map((r) => queueItem(r, names)), page, pageSize, total };
  }

  #names(rows: readonly ServiceRequestRow[]) {
    return store.staffByIds(this.deps.db, rows.flatMap((r) => [r.claimed_by, r.answered_by]).filter((x): x is string => x !== null));
  }

  async #event(trx: Transaction<Database>, referralNumber: string, action: string, actor: Actor, at: string, detail: Record<string, unknown> | null) {
    await store.insertEvent(trx, { id: newId(), referral_number: referralNumber, at, action, actor: actor.kind === 'anonymous' ? 'public' : actorLabel(actor), detail: detail ? JSON.stringify(detail) : null });
  }

  async #audit(trx: Transaction<Database>, actor: Actor, action: string, row: ServiceRequestRow, traceId?: string, detail?: Record<string, unknown>) {
    await this.deps.audit.record(trx, {
      actor: actor.kind === 'anonymous' ? 'public' : actorLabel(actor), action, subject: `service-request:${row.referral_number}`, outcome: 'allowed',
      traceId: traceId ?? null, detail: { office: row.office, status: row.status, ...detail },
    });
  }

  #now(): string {
    return this.#clock().toISOString();
  }
}
