/**
 * Ombudsman case assistance requests (DHS Form 7001; CONTRACT.md section 11). The person (or someone filing for
 * them with their consent or a G-28) submits online; cited referral numbers and call references are checked
 * against what Switchboard holds, and the person is told when the agency's own time has not run out or the
 * Ombudsman cannot help: advice, never a refusal. Analysts work the queue oldest first against the service
 * targets (reviewed within 30 days, acted on within 90): assignment, notes, status changes, and a letter through
 * the outbox on closure. Every change commits with its history event and audit entry; reads are audited. What the
 * person wrote is PII: stored, shown to analysts, never logged or written to the audit trail.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { CaseTable, Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService, OutgoingMessage } from '../outbox/service.ts';
import type { WebhookEvents } from '../webhooks/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import type { ProcessingTimeService } from '../processing-times/service.ts';
import type { Agency } from '../platform/reference.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { todayIn } from '../domain/calendar.ts';
import { addDays } from '../domain/processing-time.ts';
import { translator, type Lang } from '../platform/i18n/i18n.ts';
import { isOpenStatus } from '../service-requests/store.ts';
import { ACT_WITHIN_DAYS, DRAFT_KEEP_DAYS, NOTE_LIMITS, REVIEW_WITHIN_DAYS, STATUSES, type CaseAssistanceStatus } from './policy.ts';
import { adviceFor, checkTransition, newRequestNumber, notFoundRequest, parseRequestNumber, readInput, type CaseAssistanceInput, type Person } from './checks.ts';
import * as store from './store.ts';
import type { CaseAssistanceRow } from './store.ts';
import { detailView, queueItem, type CallCheck, type CaseAssistanceView, type Created, type Eligibility, type Page, type QueueItem, type ReferralCheck } from './views.ts';

export interface CaseAssistanceDeps {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  idempotency: IdempotencyService;
  processingTimes: Pick<ProcessingTimeService, 'inquiryFor'>;
  agency: Pick<Agency, 'receiptPrefixes' | 'forms' | 'timeZone' | 'name'>;
  clock?: () => Date;
  /** The documents kept in a draft move to its request in the sending transaction (src/ombudsman-documents/). */
  documents?: { attachDraft(trx: Transaction<Database>, draftHash: string, requestNumber: string): Promise<number> };
  /** Webhooks out: a request received is an event, queued in the submission's transaction. */
  webhooks?: WebhookEvents;
}

export class CaseAssistanceService {
  readonly #clock: () => Date;

  constructor(private readonly deps: CaseAssistanceDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  /** The same service reading another clock (the demo's past requests; tests of the service targets). */
  withClock(clock: () => Date): CaseAssistanceService {
    return new CaseAssistanceService({ ...this.deps, clock });
  }

  #today(): string {
    return todayIn(this.deps.agency.timeZone, this.#clock());
  }

  /** Reads a body (400 naming each bad field; `consent` when filing for someone else without it). */
  read(body: unknown): CaseAssistanceInput {
    return readInput(body, this.deps.agency, this.#today());
  }

  /** The advice before submitting (the public form shows it) and at intake: nothing is stored. */
  async assess(input: CaseAssistanceInput): Promise<Eligibility> {
    const receipts = new Set(input.cases.map((c) => c.receiptNumber));
    const verifiedRequests: Array<{ referralNumber: string; dueDate: string; open: boolean }> = [];
    for (const a of input.priorActions) {
      if (!a.referralNumber) continue;
      const sr = await store.findServiceRequest(this.deps.db, a.referralNumber);
      if (sr && receipts.has(sr.receipt_number)) verifiedRequests.push({ referralNumber: sr.referral_number, dueDate: sr.due_date, open: isOpenStatus(sr.status) });
    }
    const cases = await store.casesByReceipts(this.deps.db, [...receipts]);
    const within: string[] = [];
    for (const c of cases as CaseTable[]) {
      const inquiry = await this.deps.processingTimes.inquiryFor(c);
      if (!inquiry.decided && !inquiry.outsideNormalProcessingTime) within.push(c.receipt_number);
    }
    const advice = adviceFor(input, { today: this.#today(), verifiedRequests, casesWithinProcessingTime: within });
    return { priorActionVerified: verifiedRequests.length > 0, advice };
  }

  /** Submits a request (public): stored with its advice, its service targets and its first history event. */
  async submit(actor: Actor, body: unknown, idem: IdempotentRequest, options: { lang?: Lang; traceId?: string } = {}): Promise<IdempotentAnswer> {
    const input = this.read(body);
    const eligibility = await this.assess(input);
    const now = this.#clock();
    const createdAt = now.toISOString();
    const createdDate = todayIn(this.deps.agency.timeZone, now);
    const label = actor.kind === 'anonymous' ? 'public' : actorLabel(actor);
    return this.deps.idempotency.run(idem, async (trx) => {
      let requestNumber = newRequestNumber();
      while (await store.requestNumberTaken(trx, requestNumber)) requestNumber = newRequestNumber();
      await this.insert(trx, requestNumber, input, eligibility, { createdAt, createdDate, lang: options.lang ?? 'en', actor: label });
      await this.deps.audit.record(trx, {
        actor: label, action: 'case-assistance-submit', subject: `case-assistance:${requestNumber}`, outcome: 'allowed', traceId: options.traceId ?? null,
        detail: { cases: input.cases.length, priorActions: input.priorActions.length, forSomeoneElse: input.forSomeoneElse, priorActionVerified: eligibility.priorActionVerified, advice: eligibility.advice.join(',') },
      });
      const answer: Created = { requestNumber, eligibility };
      return { status: 201, body: answer };
    });
  }

  /** Writes a new request and its first event in the caller's transaction (also the public form's submission). */
  async insert(trx: Transaction<Database>, requestNumber: string, input: CaseAssistanceInput, eligibility: Eligibility, at: { createdAt: string; createdDate: string; lang: Lang; actor: string }): Promise<void> {
    await store.insertRequest(trx, {
      request_number: requestNumber, status: 'received', created_at: at.createdAt, created_date: at.createdDate,
      review_by: addDays(at.createdDate, REVIEW_WITHIN_DAYS), act_by: addDays(at.createdDate, ACT_WITHIN_DAYS), lang: at.lang,
      requester: JSON.stringify(input.requester), applicant: JSON.stringify(input.applicant),
      for_someone_else: input.forSomeoneElse ? 1 : 0, consent: input.consent ? 1 : 0, g28_on_file: input.g28OnFile ? 1 : 0,
      cases: JSON.stringify(input.cases), prior_actions: JSON.stringify(input.priorActions), reasons: input.reasons,
      prior_action_verified: eligibility.priorActionVerified ? 1 : 0, advice: JSON.stringify(eligibility.advice),
      assigned_to: null, outcome: null, updated_at: at.createdAt, closed_at: null,
    });
    await store.insertEvent(trx, { id: newId(), request_number: requestNumber, at: at.createdAt, action: 'received', actor: at.actor, detail: JSON.stringify({ advice: eligibility.advice }) });
    await this.deps.webhooks?.emit(trx, 'ombudsman-request.received', { requestNumber, receiptNumbers: input.cases.map((c) => c.receiptNumber), receivedAt: at.createdAt });
  }

  /**
   * Starts a draft of the public form: the token is the only key to it (24 random bytes, in the resume link);
   * only its hash is stored. Drafts hold what was typed so far, strings only.
   */
  async startDraft(lang: Lang, traceId?: string): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const at = this.#clock().toISOString();
    const hash = draftHash(token);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.insertDraft(trx, { token_hash: hash, data: '{}', lang, created_at: at, updated_at: at, submitted_as: null });
      await this.deps.audit.record(trx, { actor: 'public', action: 'case-assistance-draft-start', subject: `case-assistance-draft:${hash.slice(0, 16)}`, outcome: 'allowed', traceId: traceId ?? null });
    });
    return token;
  }

  /** A draft by its token: what was typed, and the request number once submitted; null when unknown or forgotten. */
  async draft(token: string): Promise<{ values: Record<string, string>; lang: Lang; submittedAs: string | null } | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(token ?? '')) return null;
    const row = await store.findDraft(this.deps.db, draftHash(token));
    if (!row || Date.parse(row.updated_at) < this.#clock().getTime() - DRAFT_KEEP_DAYS * 86_400_000) return null;
    return { values: JSON.parse(row.data) as Record<string, string>, lang: row.lang, submittedAs: row.submitted_as };
  }

  /** Keeps what was typed on a step (merged into the draft); a submitted draft no longer changes. */
  async saveDraft(token: string, values: Record<string, string>, traceId?: string): Promise<void> {
    const current = await this.draft(token);
    if (!current) throw new AppError('not-found', 'This draft is not there any more; start again.');
    if (current.submittedAs) return;
    const hash = draftHash(token);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.saveDraft(trx, hash, JSON.stringify({ ...current.values, ...values }), this.#clock().toISOString());
      await this.deps.audit.record(trx, { actor: 'public', action: 'case-assistance-draft-save', subject: `case-assistance-draft:${hash.slice(0, 16)}`, outcome: 'allowed', traceId: traceId ?? null });
    });
  }

  /**
   * Submits a draft as a request: the draft's own hash is the idempotency key, so a second submit (a double
   * click, a reload) answers the same request number; the draft is marked submitted in the same transaction.
   */
  async submitDraft(token: string, body: unknown, lang: Lang, traceId?: string): Promise<Created> {
    const hash = draftHash(token);
    const input = this.read(body);
    const eligibility = await this.assess(input);
    const now = this.#clock();
    const answer = await this.deps.idempotency.run({ key: hash, scope: 'public:ombudsman-draft', requestHash: hash }, async (trx) => {
      let requestNumber = newRequestNumber();
      while (await store.requestNumberTaken(trx, requestNumber)) requestNumber = newRequestNumber();
      await this.insert(trx, requestNumber, input, eligibility, { createdAt: now.toISOString(), createdDate: todayIn(this.deps.agency.timeZone, now), lang, actor: 'public' });
      await store.markDraftSubmitted(trx, hash, requestNumber, now.toISOString());
      const documents = (await this.deps.documents?.attachDraft(trx, hash, requestNumber)) ?? 0;
      await this.deps.audit.record(trx, {
        actor: 'public', action: 'case-assistance-submit', subject: `case-assistance:${requestNumber}`, outcome: 'allowed', purpose: `case-assistance-draft:${hash.slice(0, 16)}`, traceId: traceId ?? null,
        detail: { cases: input.cases.length, priorActions: input.priorActions.length, forSomeoneElse: input.forSomeoneElse, priorActionVerified: eligibility.priorActionVerified, advice: eligibility.advice.join(','), documents },
      });
      const created: Created = { requestNumber, eligibility };
      return { status: 201, body: created };
    });
    return JSON.parse(answer.body) as Created;
  }

  /** The analyst queue, oldest first: one status, or all but closed. */
  async list(actor: Actor, status: string | undefined, page: number, pageSize: number, traceId?: string): Promise<Page<QueueItem>> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    if (status !== undefined && !STATUSES.includes(status as CaseAssistanceStatus)) {
      throw validationError([{ field: 'status', code: 'enum', detail: `Use one of: ${STATUSES.join(', ')}.` }]);
    }
    const { rows, total } = await store.listRequests(this.deps.db, status as CaseAssistanceStatus | undefined, page, pageSize);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'case-assistance-list', subject: null, outcome: 'allowed', purpose: 'ombudsman-queue', traceId: traceId ?? null, detail: { status: status ?? null, page } });
    const names = await this.#names(rows);
    return { items: rows.map((r) => queueItem(r, names)), page, pageSize, total };
  }

  /** One request with its cited referral numbers and call references checked against what Switchboard holds (audited read). */
  async get(actor: Actor, requestNumber: string, traceId?: string): Promise<CaseAssistanceView> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const row = await this.#find(requestNumber);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'case-assistance-read', subject: `case-assistance:${row.request_number}`, outcome: 'allowed', purpose: 'ombudsman-case-assistance', traceId: traceId ?? null });
    return this.#view(row);
  }

  /** Assigns the request to an Ombudsman analyst (400 naming userId for anyone else). */
  async assign(actor: Actor, requestNumber: string, userId: string, traceId?: string): Promise<CaseAssistanceView> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const row = await this.#find(requestNumber);
    const analyst = await store.staffById(this.deps.db, userId ?? '');
    if (!analyst || analyst.role !== 'ombudsman' || analyst.disabled) {
      throw validationError([{ field: 'userId', code: 'invalid', detail: 'Assign the request to an active Ombudsman analyst.' }]);
    }
    const at = this.#clock().toISOString();
    const done = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await store.assign(trx, row.request_number, analyst.id, at);
      if (!updated) throw new AppError('conflict', 'This request is closed.');
      await this.#event(trx, row.request_number, 'assigned', staff, at, { userId: analyst.id });
      await this.#audit(trx, staff, 'case-assistance-assign', row.request_number, traceId, { userId: analyst.id });
      return updated;
    });
    return this.#view(done);
  }

  /** The analysts a request may be assigned to. */
  async analysts(actor: Actor): Promise<Array<{ id: string; name: string }>> {
    authorize(actor, 'take-case-assistance-requests');
    return store.analysts(this.deps.db);
  }

  /** Adds an analyst's note to the request's history. */
  async note(actor: Actor, requestNumber: string, textInput: string, traceId?: string): Promise<CaseAssistanceView> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const row = await this.#find(requestNumber);
    const text = (textInput ?? '').trim();
    if (text.length < NOTE_LIMITS.min || text.length > NOTE_LIMITS.max) throw validationError([{ field: 'text', code: 'length', detail: `A note of ${NOTE_LIMITS.min} to ${NOTE_LIMITS.max} characters.` }]);
    const at = this.#clock().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await store.touch(trx, row.request_number, at);
      await this.#event(trx, row.request_number, 'note', staff, at, { text });
      await this.#audit(trx, staff, 'case-assistance-note', row.request_number, traceId);
    });
    return this.#view((await store.findRequest(this.deps.db, row.request_number))!);
  }

  /**
   * Moves the request on (received → in-review → agency-asked → answered → closed; policy.ts STATUS_FLOW). Closing
   * needs the outcome, which is the letter to the person, queued in the outbox in the same transaction (to the
   * requester's e-mail, else the applicant's; without either the letter goes by post and the history says so).
   */
  async changeStatus(actor: Actor, requestNumber: string, input: { status: string; outcome?: string | undefined }, traceId?: string): Promise<CaseAssistanceView> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const row = await this.#find(requestNumber);
    const to = input.status as CaseAssistanceStatus;
    if (!STATUSES.includes(to)) throw validationError([{ field: 'status', code: 'enum', detail: `Use one of: ${STATUSES.join(', ')}.` }]);
    const outcome = (input.outcome ?? '').trim();
    if (to === 'closed' && (outcome.length < 10 || outcome.length > NOTE_LIMITS.max)) {
      throw validationError([{ field: 'outcome', code: 'required', detail: `Closing needs the outcome, the letter to the person: 10 to ${NOTE_LIMITS.max} characters.` }]);
    }
    checkTransition(row.status, to);
    const at = this.#clock().toISOString();
    const done = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await store.changeStatus(trx, row.request_number, row.status, {
        status: to, updated_at: at, ...(to === 'closed' ? { outcome, closed_at: at } : {}),
      });
      if (!updated) throw new AppError('conflict', 'This request changed meanwhile; read it again.');
      let letter: 'email' | 'post' | null = null;
      if (to === 'closed') {
        const mail = letterToPerson(updated, 'closed', outcome);
        letter = mail ? 'email' : 'post';
        if (mail) await this.deps.outbox.enqueue(trx, mail);
      }
      await this.#event(trx, row.request_number, 'status', staff, at, { from: row.status, to, ...(letter ? { letter } : {}) });
      await this.#audit(trx, staff, 'case-assistance-status', row.request_number, traceId, { from: row.status, to, ...(letter ? { letter } : {}) });
      return updated;
    });
    return this.#view(done);
  }

  async #find(input: string): Promise<CaseAssistanceRow> {
    const n = parseRequestNumber(input ?? '');
    const row = n ? await store.findRequest(this.deps.db, n) : undefined;
    if (!row) throw notFoundRequest();
    return row;
  }

  async #names(rows: readonly CaseAssistanceRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.assigned_to).filter((x): x is string => x !== null))];
    return new Map((await store.staffNames(this.deps.db, ids)).map((s) => [s.id, s.name]));
  }

  async #view(row: CaseAssistanceRow): Promise<CaseAssistanceView> {
    const db = this.deps.db;
    const cited = new Set((JSON.parse(row.cases) as Array<{ receiptNumber: string }>).map((c) => c.receiptNumber));
    const actions = JSON.parse(row.prior_actions) as Array<{ referralNumber?: string; callReference?: string }>;
    const referrals = new Map<string, ReferralCheck>();
    for (const n of new Set(actions.map((a) => a.referralNumber).filter((x): x is string => !!x))) {
      const sr = await store.findServiceRequest(db, n);
      if (!sr) { referrals.set(n, { referralNumber: n, found: false, belongsToCitedCase: false }); continue; }
      const history = (await store.serviceRequestEvents(db, n)).map((e) => ({ at: e.at, action: e.action }));
      referrals.set(n, {
        referralNumber: n, found: true, belongsToCitedCase: cited.has(sr.receipt_number), receiptNumber: sr.receipt_number, type: sr.type,
        status: sr.status, office: sr.office, dueDate: sr.due_date, createdAt: sr.created_at, history,
      });
    }
    const refs = [...new Set(actions.map((a) => a.callReference).filter((x): x is string => !!x))];
    const found = await store.callsByReferences(db, refs);
    const about = await store.receiptsOfCalls(db, found.map((c) => c.id));
    const calls = new Map<string, CallCheck>(refs.map((r) => [r, { reference: r, found: false, aboutCitedCase: false }]));
    for (const c of found) {
      calls.set(c.reference, {
        reference: c.reference, found: true, aboutCitedCase: about.some((a) => a.contact_id === c.id && cited.has(a.receipt_number)),
        startedAt: c.started_at, agentId: c.agent_id, tier: c.tier, disposition: c.disposition,
      });
    }
    return detailView(row, await this.#names([row]), await store.eventsOf(db, row.request_number), referrals, calls);
  }

  async #event(trx: Transaction<Database>, requestNumber: string, action: string, actor: Actor, at: string, detail: Record<string, unknown> | null) {
    await store.insertEvent(trx, { id: newId(), request_number: requestNumber, at, action, actor: actorLabel(actor), detail: detail ? JSON.stringify(detail) : null });
  }

  async #audit(trx: Transaction<Database>, actor: Actor, action: string, requestNumber: string, traceId?: string, detail?: Record<string, string | number | boolean | null>) {
    await this.deps.audit.record(trx, { actor: actorLabel(actor), action, subject: `case-assistance:${requestNumber}`, outcome: 'allowed', traceId: traceId ?? null, ...(detail ? { detail } : {}) });
  }
}

/** A draft's key in the database: the SHA-256 of its token (the documents of a draft are kept under it too). */
export const draftHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * A letter to the person, in the request's language, to the requester's e-mail, else the applicant's; null when
 * neither gave one (the letter goes by post). The closing letter carries the outcome; a letter at any other stage
 * (src/ombudsman-agency/) the analyst's text.
 */
export function letterToPerson(row: CaseAssistanceRow, kind: 'closed' | 'letter', text: string): OutgoingMessage | null {
  const to = (JSON.parse(row.requester) as Person).email ?? (JSON.parse(row.applicant) as Person).email;
  if (!to) return null;
  const t = translator(row.lang);
  const cases = (JSON.parse(row.cases) as Array<{ receiptNumber: string }>).map((c) => c.receiptNumber).join(', ');
  return {
    to, lang: row.lang, template: `ombudsman-case-assistance-${kind}`, subjectRef: row.request_number,
    subject: t(`ombudsman.mail.${kind}.subject`, { number: row.request_number }),
    bodyText: t(`ombudsman.mail.${kind}.body`, { number: row.request_number, cases, ...(kind === 'closed' ? { outcome: text } : { text }) }),
  };
}
