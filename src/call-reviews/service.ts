/**
 * Ombudsman call reviews (CONTRACT.md section 11): the Ombudsman finds a Contact Center call from what the person
 * remembers (about when, the phone number used, the staff ID or name) or by the call record's reference, and asks
 * the agency to review it. Calls older than 90 days are refused (`review-window-closed`). The call, and its
 * recording reference, are held from any retention purge until the review closes; review, hold and audit entry
 * commit together.
 */
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { normalisePhone } from '../domain/phone-number.ts';
import { parseContactReference } from '../domain/contact-reference.ts';
import { newReviewNumber, parseReviewNumber } from '../domain/review-number.ts';
import { normaliseName } from '../service-requests/checks.ts';
import { MATCH_HOURS, REVIEW_WINDOW_DAYS, TEXT_LIMITS } from './policy.ts';
import * as store from './store.ts';
import type { CallReviewRow } from './store.ts';

export interface CallReviewDeps {
  db: Db;
  audit: AuditService;
  idempotency: IdempotencyService;
  clock?: () => Date;
}

export interface ReviewInput {
  callTime?: string | undefined;
  callerPhone?: string | undefined;
  agentId?: string | undefined;
  agentName?: string | undefined;
  /** Exactly the call record's reference, instead of time and phone. */
  reference?: string | undefined;
  concern: string;
}

export interface ReviewView {
  reviewNumber: string;
  status: 'open' | 'closed';
  contact: { reference: string; startedAt: string; endedAt: string | null; agentId: string | null; callerPhone: string | null; tier: string | null; disposition: string | null; recordingUri: string | null };
  concern: string;
  outcome?: string;
  createdAt: string;
  closedAt: string | null;
}

/** A review in the list: its number, state, the concern, and the call (when, who took it). */
export interface ReviewListItem {
  reviewNumber: string;
  status: 'open' | 'closed';
  concern: string;
  createdAt: string;
  closedAt: string | null;
  contact: { reference: string; startedAt: string; agentId: string | null; agentName: string | null };
}

/** The review's record for the pages: the API's view, with the call's id, what the Ombudsman was told, and who asked and closed. */
export interface ReviewRecord extends ReviewView {
  contactId: string;
  agentName: string | null;
  asked: { callTime: string | null; phone: string | null; agent: string | null; byReference: boolean };
  requestedBy: string | null;
  closedBy: string | null;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

export class CallReviewService {
  readonly #clock: () => Date;

  constructor(private readonly deps: CallReviewDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  withClock(clock: () => Date): CallReviewService {
    return new CallReviewService({ ...this.deps, clock });
  }

  /**
   * Finds the call and opens its review. By time and phone: calls from that number starting within 2 hours of
   * `callTime`, closest first, narrowed by the staff ID or name when given. None: 404. Found but older than 90
   * days: 422 review-window-closed (the person is told the window, not sent away without a reason).
   */
  async request(actor: Actor, input: ReviewInput, idem: IdempotentRequest, traceId?: string): Promise<IdempotentAnswer> {
    const staff = authorize(actor, 'request-call-review');
    const errors: FieldError[] = [];
    const concern = (input.concern ?? '').trim();
    if (concern.length < TEXT_LIMITS.min || concern.length > TEXT_LIMITS.max) {
      errors.push({ field: 'concern', code: 'length', detail: `What the person says went wrong on the call, ${TEXT_LIMITS.min} to ${TEXT_LIMITS.max} characters.` });
    }
    let call: { id: string; reference: string; started_at: string } | undefined;
    const now = this.#clock();
    if (input.reference !== undefined && input.reference !== '') {
      const reference = parseContactReference(input.reference);
      if (!reference) errors.push({ field: 'reference', code: 'invalid', detail: 'A call reference is 12 digits, as on the call record.' });
      if (errors.length) throw validationError(errors);
      call = await store.callByReference(this.deps.db, reference!);
    } else {
      const at = typeof input.callTime === 'string' && /[zZ]|[+-]\d{2}:?\d{2}$/.test(input.callTime) ? Date.parse(input.callTime) : NaN;
      if (Number.isNaN(at)) errors.push({ field: 'callTime', code: 'invalid', detail: 'When the call was, as an instant with its offset, e.g. 2026-11-20T14:30:00-05:00.' });
      const phone = normalisePhone(input.callerPhone ?? '');
      if (!phone) errors.push({ field: 'callerPhone', code: 'invalid-phone', detail: 'The phone number the person called from, with its area code.' });
      if (input.agentId !== undefined && input.agentId !== '' && !/^\d{6}$/.test(input.agentId.trim())) {
        errors.push({ field: 'agentId', code: 'invalid', detail: 'A staff ID is six digits.' });
      }
      if (errors.length) throw validationError(errors);
      const found = await store.callsFromPhoneBetween(this.deps.db, phone!, new Date(at - MATCH_HOURS * HOUR).toISOString(), new Date(at + MATCH_HOURS * HOUR).toISOString());
      const agentId = input.agentId?.trim();
      const agentName = input.agentName?.trim() ? normaliseName(input.agentName) : null;
      call = found
        .filter((c) => (!agentId || c.agent_id === agentId) && (!agentName || (c.agent_name !== null && normaliseName(c.agent_name) === agentName)))
        .sort((a, b) => Math.abs(Date.parse(a.started_at) - at) - Math.abs(Date.parse(b.started_at) - at))[0];
    }
    if (errors.length) throw validationError(errors);
    if (!call) throw new AppError('not-found', 'No call matches: from that phone number within 2 hours of that time (and with that staff member, if named), or with that reference.');
    if (now.getTime() - Date.parse(call.started_at) > REVIEW_WINDOW_DAYS * DAY) {
      throw new AppError('review-window-closed', `This call started on ${call.started_at.slice(0, 10)}, more than ${REVIEW_WINDOW_DAYS} days ago; the agency reviews calls made within the last ${REVIEW_WINDOW_DAYS} days.`, {
        extensions: { contactStartedAt: call.started_at },
      });
    }
    const found = call;
    return this.deps.idempotency.run(idem, async (trx) => {
      let reviewNumber = newReviewNumber();
      while (await store.reviewNumberTaken(trx, reviewNumber)) reviewNumber = newReviewNumber();
      const createdAt = now.toISOString();
      await store.insertReview(trx, {
        review_number: reviewNumber, contact_id: found.id, status: 'open', concern, outcome: null,
        asked_call_time: input.callTime ?? null, asked_phone: input.callerPhone ?? null, asked_agent: input.agentId ?? input.agentName ?? null,
        requested_by: actorLabel(staff), created_at: createdAt, closed_at: null, closed_by: null,
      });
      const reason = `call-review:${reviewNumber}`;
      await store.addHold(trx, { id: newId(), record_kind: 'contact', record_id: found.id, reason, created_at: createdAt, released_at: null });
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'call-review-request', subject: `call-review:${reviewNumber}`, outcome: 'allowed', purpose: `contact:${found.id}`, traceId: traceId ?? null,
        detail: { byReference: input.reference !== undefined && input.reference !== '' },
      });
      const c = (await store.callById(trx, found.id))!;
      return { status: 201, body: { reviewNumber, contact: { reference: c.reference, startedAt: c.started_at, agentId: c.agent_id } } };
    });
  }

  /** One review, for the Ombudsman and supervisors (the agent's supervisor sees it on their view). */
  async get(actor: Actor, reviewInput: string, traceId?: string): Promise<ReviewView> {
    const staff = authorize(actor, 'review-calls');
    const row = await this.#find(reviewInput);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'call-review-read', subject: `call-review:${row.review_number}`, outcome: 'allowed', traceId: traceId ?? null });
    return this.#view(row);
  }

  /** The reviews, open first then closed, newest first (the Ombudsman's list; supervisors' open reviews); the read is audited. */
  async list(actor: Actor, q: { status?: 'open' | 'closed' | undefined; page: number; pageSize: number }, traceId?: string): Promise<{ items: ReviewListItem[]; page: number; pageSize: number; total: number }> {
    const staff = authorize(actor, 'review-calls');
    const { rows, total } = await store.listReviews(this.deps.db, q.status, q.page, q.pageSize);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'call-review-list', subject: null, outcome: 'allowed', traceId: traceId ?? null, detail: { status: q.status ?? null, page: q.page, found: total } });
    return {
      items: rows.map((r) => ({
        reviewNumber: r.review_number, status: r.status, concern: r.concern, createdAt: r.created_at, closedAt: r.closed_at,
        contact: { reference: r.reference, startedAt: r.started_at, agentId: r.agent_id, agentName: r.agent_name },
      })),
      page: q.page, pageSize: q.pageSize, total,
    };
  }

  /** One review as its page shows it (read as `get`, audited the same way). */
  async record(actor: Actor, reviewInput: string, traceId?: string): Promise<ReviewRecord> {
    const staff = authorize(actor, 'review-calls');
    const row = await this.#find(reviewInput);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'call-review-read', subject: `call-review:${row.review_number}`, outcome: 'allowed', traceId: traceId ?? null });
    const staffId = (label: string | null) => (label?.startsWith('staff:') ? label.slice(6) : null);
    const [view, agentName, names] = await Promise.all([
      this.#view(row), store.agentNameOf(this.deps.db, row.contact_id),
      store.staffNames(this.deps.db, [staffId(row.requested_by), staffId(row.closed_by)].filter((x): x is string => x !== null)),
    ]);
    return {
      ...view, contactId: row.contact_id, agentName,
      asked: { callTime: row.asked_call_time, phone: row.asked_phone, agent: row.asked_agent, byReference: row.asked_phone === null && row.asked_call_time === null },
      requestedBy: names.get(staffId(row.requested_by) ?? '') ?? null, closedBy: names.get(staffId(row.closed_by) ?? '') ?? null,
    };
  }

  /** Closes the review with its outcome and lifts the hold on the call, in one transaction. A second close: 409. */
  async close(actor: Actor, reviewInput: string, outcomeInput: string, traceId?: string): Promise<ReviewView> {
    const staff = authorize(actor, 'request-call-review');
    const row = await this.#find(reviewInput);
    const outcome = (outcomeInput ?? '').trim();
    if (outcome.length < TEXT_LIMITS.min || outcome.length > TEXT_LIMITS.max) {
      throw validationError([{ field: 'outcome', code: 'length', detail: `What the review found and what was done, ${TEXT_LIMITS.min} to ${TEXT_LIMITS.max} characters.` }]);
    }
    const now = this.#clock().toISOString();
    const closed = await this.deps.db.transaction().execute(async (trx) => {
      const done = await store.closeReview(trx, row.review_number, { outcome, closed_at: now, closed_by: actorLabel(staff) });
      if (!done) throw new AppError('conflict', 'This review is already closed.');
      await store.releaseHolds(trx, `call-review:${row.review_number}`, now);
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'call-review-close', subject: `call-review:${row.review_number}`, outcome: 'allowed', purpose: `contact:${row.contact_id}`, traceId: traceId ?? null,
      });
      return done;
    });
    return this.#view(closed);
  }

  /** True while a call is held by an open review (what a retention purge must honour). */
  isHeld(contactId: string): Promise<boolean> {
    return store.isHeld(this.deps.db, 'contact', contactId);
  }

  async #find(input: string): Promise<CallReviewRow> {
    const n = parseReviewNumber(input ?? '');
    const row = n ? await store.findReview(this.deps.db, n) : undefined;
    if (!row) throw new AppError('not-found', 'There is no call review with this number.');
    return row;
  }

  async #view(row: CallReviewRow): Promise<ReviewView> {
    const c = await store.callById(this.deps.db, row.contact_id);
    if (!c) throw new AppError('not-found', 'The call of this review is gone.');
    return {
      reviewNumber: row.review_number, status: row.status,
      contact: { reference: c.reference, startedAt: c.started_at, endedAt: c.ended_at, agentId: c.agent_id, callerPhone: c.caller_phone, tier: c.tier, disposition: c.disposition, recordingUri: c.recording_uri },
      concern: row.concern, ...(row.outcome !== null ? { outcome: row.outcome } : {}), createdAt: row.created_at, closedAt: row.closed_at,
    };
  }
}
