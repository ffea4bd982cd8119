/**
 * The Ombudsman's requests to the agency and letters to the person (issue 10, item 2). An analyst working a case
 * assistance request asks the office holding one of its cited cases a question: a work item in that office's
 * queue, due AGENCY_ANSWER_BUSINESS_DAYS of the office's calendar later, and the request moves to `agency-asked`.
 * One of the office's staff claims it (a conditional UPDATE: of two at once one wins, the other 409) and answers;
 * the answer comes back to the request's history, and when every question of the request is answered the request
 * moves to `answered` (a conditional UPDATE from `agency-asked`). Items move with their case when the case feed
 * moves it, in the feed's transaction. An analyst may write to the person at any stage: the letter goes through
 * the outbox, in the request's language, like the closing letter. Every change commits with its history event and
 * audit entry; questions, answers and letters may hold personal data: stored, never logged or audited.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Database, OmbudsmanAgencyRequestStatus } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import type { Agency } from '../platform/reference.ts';
import type { BusinessCalendar } from '../domain/business-days.ts';
import { can } from '../domain/capabilities.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { letterToPerson } from '../ombudsman/service.ts';
import { notFoundRequest, parseRequestNumber } from '../ombudsman/checks.ts';
import type { CaseAssistanceRow } from '../ombudsman/store.ts';
import { AGENCY_ANSWER_BUSINESS_DAYS, ANSWER_LIMITS, ASK_FROM, ITEM_STATUSES, LETTER_LIMITS, QUESTION_LIMITS, WAITING_STATUSES } from './policy.ts';
import * as store from './store.ts';
import type { AgencyRequestRow } from './store.ts';
import { agencyRequestView, staffIdOf, type AgencyRequestView, type LetterSent, type Page } from './views.ts';

export interface OmbudsmanAgencyDeps {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  idempotency: IdempotencyService;
  /** Each office's business calendar (the service requests' rules hold them). */
  calendars: { calendarFor(office: string): BusinessCalendar };
  agency: Pick<Agency, 'offices' | 'receiptPrefixes' | 'timeZone'>;
  clock?: () => Date;
}

/**
 * Event ids for one transaction: the history is ordered by time, then id, and one transaction's events share
 * their time; these sort in the order they are written.
 */
const eventIds = (): (() => string) => {
  const base = newId();
  let k = 0;
  return () => `${base}.${++k}`;
};

const notFoundItem = () => new AppError('not-found', 'There is no such request from the Ombudsman, or it is not in your office\'s queue.');

export class OmbudsmanAgencyService {
  readonly #clock: () => Date;
  readonly #offices: Set<string>;

  constructor(private readonly deps: OmbudsmanAgencyDeps) {
    this.#clock = deps.clock ?? (() => new Date());
    this.#offices = new Set(deps.agency.offices.map((o) => o.code));
  }

  /** The same service reading another clock (tests of due dates). */
  withClock(clock: () => Date): OmbudsmanAgencyService {
    return new OmbudsmanAgencyService({ ...this.deps, clock });
  }

  // ── the analyst ─────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Asks the office holding one of the request's cited cases a question: 201 with the work item. The case must be
   * cited (400 naming receiptNumber) and held by Switchboard, which knows its office (422); a closed request 409.
   * In one transaction: the item, the request moved to `agency-asked` (unless it is already), its history event
   * and the audit entry.
   */
  async ask(actor: Actor, requestNumber: string, input: { receiptNumber: string; question: string }, idem: IdempotentRequest, traceId?: string): Promise<IdempotentAnswer> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const ca = await this.#caseAssistance(requestNumber);
    const question = (input.question ?? '').trim();
    const receipt = parseReceiptNumber(input.receiptNumber ?? '', this.deps.agency.receiptPrefixes);
    const cited = new Set((JSON.parse(ca.cases) as Array<{ receiptNumber: string }>).map((c) => c.receiptNumber));
    const errors = [];
    if (!receipt || !cited.has(receipt.value)) errors.push({ field: 'receiptNumber', code: 'not-cited', detail: 'Pick one of the cases the request cites.' });
    if (question.length < QUESTION_LIMITS.min || question.length > QUESTION_LIMITS.max) {
      errors.push({ field: 'question', code: 'length', detail: `A question of ${QUESTION_LIMITS.min} to ${QUESTION_LIMITS.max} characters.` });
    }
    if (errors.length) throw validationError(errors, errors[0]!.detail);
    if (!ASK_FROM.includes(ca.status)) throw new AppError('conflict', 'This request is closed: the agency can no longer be asked about it.');
    const c = await store.findCase(this.deps.db, receipt!.value);
    if (!c) {
      throw new AppError('unprocessable', 'Switchboard does not hold this case, so it does not know which office to ask.', {
        extensions: { errors: [{ field: 'receiptNumber', code: 'not-held', detail: 'Switchboard does not hold this case.' }] },
      });
    }
    const now = this.#clock();
    const at = now.toISOString();
    const calendar = this.deps.calendars.calendarFor(c.office);
    const dueDate = calendar.addBusinessDays(calendar.dateAt(now), AGENCY_ANSWER_BUSINESS_DAYS);
    return this.deps.idempotency.run(idem, async (trx) => {
      const ids = eventIds();
      const row: AgencyRequestRow = {
        id: newId(), request_number: ca.request_number, receipt_number: c.receipt_number, office: c.office, question, asked_by: actorLabel(staff), asked_at: at,
        due_date: dueDate, status: 'open', claimed_by: null, claimed_at: null, answer: null, answered_by: null, answered_at: null,
      };
      await store.insert(trx, row);
      await this.#event(trx, ids(), ca.request_number, 'agency-asked', staff, at, { agencyRequestId: row.id, receiptNumber: row.receipt_number, office: row.office, dueDate, question });
      if (ca.status === 'agency-asked') {
        await store.touchCaseAssistance(trx, ca.request_number, at);
      } else {
        const moved = await store.changeCaseAssistanceStatus(trx, ca.request_number, ca.status, { status: 'agency-asked', updated_at: at });
        if (!moved) throw new AppError('conflict', 'This request changed meanwhile; read it again.');
        await this.#event(trx, ids(), ca.request_number, 'status', staff, at, { from: ca.status, to: 'agency-asked' });
      }
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'ombudsman-agency-request-create', subject: `case-assistance:${ca.request_number}`, outcome: 'allowed', traceId: traceId ?? null,
        detail: { agencyRequestId: row.id, office: row.office, receiptNumber: row.receipt_number, dueDate, from: ca.status },
      });
      return { status: 201, body: agencyRequestView(row, await this.#names(trx, [row]), this.#today(row.office)) };
    });
  }

  /** A case assistance request's questions to the agency, oldest first, with their answers (the analyst). */
  async ofRequest(actor: Actor, requestNumber: string): Promise<AgencyRequestView[]> {
    authorize(actor, 'take-case-assistance-requests');
    const ca = await this.#caseAssistance(requestNumber);
    const rows = await store.ofRequest(this.deps.db, ca.request_number);
    const names = await this.#names(this.deps.db, rows);
    return rows.map((r) => agencyRequestView(r, names, this.#today(r.office)));
  }

  /**
   * A letter to the person at any stage: queued in the outbox in the request's language, to the requester's e-mail,
   * else the applicant's; without either it goes by post and the history says so. With its event and audit entry.
   */
  async sendLetter(actor: Actor, requestNumber: string, input: { text: string }, idem: IdempotentRequest, traceId?: string): Promise<IdempotentAnswer> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const ca = await this.#caseAssistance(requestNumber);
    const text = (input.text ?? '').trim();
    if (text.length < LETTER_LIMITS.min || text.length > LETTER_LIMITS.max) {
      throw validationError([{ field: 'text', code: 'length', detail: `A letter of ${LETTER_LIMITS.min} to ${LETTER_LIMITS.max} characters.` }]);
    }
    return this.deps.idempotency.run(idem, async (trx) => {
      const at = this.#clock().toISOString();
      const mail = letterToPerson(ca, 'letter', text);
      if (mail) await this.deps.outbox.enqueue(trx, mail);
      const delivery = mail ? 'email' as const : 'post' as const;
      await store.touchCaseAssistance(trx, ca.request_number, at);
      await this.#event(trx, newId(), ca.request_number, 'letter', staff, at, { letter: delivery, text });
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'case-assistance-letter', subject: `case-assistance:${ca.request_number}`, outcome: 'allowed', traceId: traceId ?? null,
        detail: { letter: delivery, status: ca.status },
      });
      const body: LetterSent = { requestNumber: ca.request_number, delivery, at };
      return { status: 201, body };
    });
  }

  // ── the holding office ──────────────────────────────────────────────────────────────────────────────────

  /**
   * An office's items, oldest due first: waiting (open and claimed) by default, or one status. Office staff of
   * that office and supervisors; office staff of another office 403; an unknown office 404.
   */
  async officeQueue(actor: Actor, office: string, status: string | undefined, page: number, pageSize: number): Promise<Page<AgencyRequestView>> {
    const staff = this.#officeReader(actor);
    if (!this.#offices.has(office)) throw new AppError('not-found', 'There is no office with this code.');
    if (staff.user.role === 'office' && staff.user.office !== office) throw new AppError('forbidden', 'Office staff work their own office\'s queue only.');
    if (status !== undefined && !(ITEM_STATUSES as readonly string[]).includes(status)) {
      throw validationError([{ field: 'status', code: 'enum', detail: `Use one of: ${ITEM_STATUSES.join(', ')}.` }]);
    }
    const statuses: readonly OmbudsmanAgencyRequestStatus[] = status ? [status as OmbudsmanAgencyRequestStatus] : WAITING_STATUSES;
    const { rows, total } = await store.listForOffice(this.deps.db, office, statuses, status === 'answered' ? 'answered-desc' : 'due', page, pageSize);
    const names = await this.#names(this.deps.db, rows);
    const today = this.#today(office);
    return { items: rows.map((r) => agencyRequestView(r, names, today)), page, pageSize, total };
  }

  /** One item (the office holding it, supervisors, the Ombudsman); office staff of another office 404. The read is audited. */
  async get(actor: Actor, id: string, traceId?: string): Promise<AgencyRequestView> {
    const staff = actor.kind === 'staff' && can(actor.user.role, 'take-case-assistance-requests') ? actor : this.#officeReader(actor);
    const row = await this.#visible(staff, id);
    await this.deps.audit.recordNow({
      actor: actorLabel(staff), action: 'ombudsman-agency-request-read', subject: `ombudsman-agency-request:${row.id}`, outcome: 'allowed', traceId: traceId ?? null,
      detail: { requestNumber: row.request_number, office: row.office },
    });
    return this.#view(row);
  }

  /** Claims an item for its office's worker: exactly one claimant wins (409 for the others); the holder claiming again 200. */
  async claim(actor: Actor, id: string, traceId?: string): Promise<AgencyRequestView> {
    const staff = authorize(actor, 'work-office-queue');
    const row = await this.#visible(staff, id);
    const at = this.#clock().toISOString();
    const claimed = await this.deps.db.transaction().execute(async (trx) => {
      const done = await store.claim(trx, row.id, staff.user.office ?? '', staff.user.id, at);
      if (!done) return null;
      await this.#itemAudit(trx, staff, 'ombudsman-agency-request-claim', done, traceId);
      return done;
    });
    if (claimed) return this.#view(claimed);
    const current = (await store.findById(this.deps.db, row.id))!;
    if (current.office !== staff.user.office) throw notFoundItem();
    if (current.status === 'claimed' && current.claimed_by === staff.user.id) return this.#view(current);
    if (current.status === 'claimed') throw new AppError('conflict', 'Someone else has claimed this request.', { extensions: { requestStatus: current.status } });
    throw new AppError('conflict', `This request is ${current.status}; only an open request can be claimed.`, { extensions: { requestStatus: current.status } });
  }

  /**
   * The claimant answers (as long as a service request's answer must be). In one transaction: the answer, an
   * event on the case assistance request with it, and, when every question of that request is answered, the
   * request moved from `agency-asked` to `answered`. The request's row is written first, so two answers to one
   * request at once are serialised and the last one sees the other.
   */
  async answer(actor: Actor, id: string, input: { answer: string }, traceId?: string): Promise<AgencyRequestView> {
    const staff = authorize(actor, 'work-office-queue');
    const row = await this.#visible(staff, id);
    if (row.status === 'answered') throw new AppError('conflict', 'This request is already answered.', { extensions: { requestStatus: row.status } });
    if (row.status !== 'claimed' || row.claimed_by !== staff.user.id) throw new AppError('forbidden', 'Only the person who claimed this request may answer it. Claim it first.');
    const text = (input.answer ?? '').trim();
    if (text.length < ANSWER_LIMITS.min) throw validationError([{ field: 'answer', code: 'too-short', detail: `An answer of at least ${ANSWER_LIMITS.min} characters: say what the office found or did.` }]);
    if (text.length > ANSWER_LIMITS.max) throw validationError([{ field: 'answer', code: 'too-long', detail: `An answer of at most ${ANSWER_LIMITS.max} characters.` }]);
    const at = this.#clock().toISOString();
    const done = await this.deps.db.transaction().execute(async (trx) => {
      const ids = eventIds();
      await store.touchCaseAssistance(trx, row.request_number, at);
      const answered = await store.answer(trx, row.id, staff.user.id, text, at);
      if (!answered) throw new AppError('conflict', 'This request changed while you were answering it. Open it again.');
      await this.#event(trx, ids(), row.request_number, 'agency-answer', staff, at, { agencyRequestId: row.id, receiptNumber: row.receipt_number, office: row.office, answer: text });
      let moved = false;
      if (await store.waitingCount(trx, row.request_number) === 0) {
        moved = (await store.changeCaseAssistanceStatus(trx, row.request_number, 'agency-asked', { status: 'answered', updated_at: at })) !== undefined;
        if (moved) await this.#event(trx, ids(), row.request_number, 'status', staff, at, { from: 'agency-asked', to: 'answered' });
      }
      await this.#itemAudit(trx, staff, 'ombudsman-agency-request-answer', answered, traceId, { requestAnswered: moved });
      return answered;
    });
    return this.#view(done);
  }

  /**
   * The case feed moved cases to other offices: their unanswered items move to the new office's queue in the
   * feed's transaction (a claim does not travel), each with a history event on its request and an audit entry.
   */
  async moveWithCase(trx: Transaction<Database>, moves: ReadonlyArray<{ receiptNumber: string; from: string; to: string }>, actor: Actor, traceId?: string): Promise<number> {
    let moved = 0;
    const at = this.#clock().toISOString();
    for (const m of moves) {
      for (const r of await store.moveWaiting(trx, m.receiptNumber, m.to)) {
        await this.#event(trx, newId(), r.request_number, 'agency-request-moved', actor, at, { agencyRequestId: r.id, receiptNumber: r.receipt_number, from: r.office, to: m.to });
        await this.deps.audit.record(trx, {
          actor: actorLabel(actor), action: 'ombudsman-agency-request-move-with-case', subject: `ombudsman-agency-request:${r.id}`, outcome: 'allowed', traceId: traceId ?? null,
          detail: { requestNumber: r.request_number, from: r.office, to: m.to },
        });
        moved++;
      }
    }
    return moved;
  }

  // ── inside ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Office staff (work-office-queue) or supervisors (watch-queues); anyone else 403. */
  #officeReader(actor: Actor): StaffActor {
    return actor.kind === 'staff' && can(actor.user.role, 'watch-queues') ? actor : authorize(actor, 'work-office-queue');
  }

  async #visible(staff: StaffActor, id: string): Promise<AgencyRequestRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id ?? '') ? await store.findById(this.deps.db, id) : undefined;
    if (!row) throw notFoundItem();
    if (staff.user.role === 'office' && staff.user.office !== row.office) throw notFoundItem();
    return row;
  }

  async #caseAssistance(input: string): Promise<CaseAssistanceRow> {
    const n = parseRequestNumber(input ?? '');
    const row = n ? await store.findCaseAssistance(this.deps.db, n) : undefined;
    if (!row) throw notFoundRequest();
    return row;
  }

  #today(office: string): string {
    return this.#offices.has(office) ? this.deps.calendars.calendarFor(office).dateAt(this.#clock()) : this.#clock().toISOString().slice(0, 10);
  }

  async #view(row: AgencyRequestRow): Promise<AgencyRequestView> {
    return agencyRequestView(row, await this.#names(this.deps.db, [row]), this.#today(row.office));
  }

  async #names(db: Db | Transaction<Database>, rows: readonly AgencyRequestRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.flatMap((r) => [staffIdOf(r.asked_by), r.claimed_by, r.answered_by]).filter((x): x is string => x !== null))];
    return new Map((await store.staffNames(db, ids)).map((s) => [s.id, s.name]));
  }

  async #event(trx: Transaction<Database>, id: string, requestNumber: string, action: string, actor: Actor, at: string, detail: Record<string, unknown>) {
    await store.insertCaseAssistanceEvent(trx, { id, request_number: requestNumber, at, action, actor: actorLabel(actor), detail: JSON.stringify(detail) });
  }

  async #itemAudit(trx: Transaction<Database>, staff: StaffActor, action: string, row: AgencyRequestRow, traceId?: string, detail: Record<string, string | number | boolean | null> = {}) {
    await this.deps.audit.record(trx, {
      actor: actorLabel(staff), action, subject: `ombudsman-agency-request:${row.id}`, outcome: 'allowed', traceId: traceId ?? null,
      detail: { requestNumber: row.request_number, office: row.office, ...detail },
    });
  }
}
