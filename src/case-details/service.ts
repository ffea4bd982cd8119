/**
 * Case details and notices (CONTRACT.md section 9): the whole case for the staff who may see it (every read audited
 * with its purpose), an RFE's text for the office holding the case, Tier 2's notice re-issue requests to that
 * office's queue, and the duplicate notice the office issues. Who may do what is the capability matrix, asked
 * through authorize(); office staff of another office are answered 404, exactly like an unknown receipt number.
 * A duplicate notice, its history entry, the re-issue request it closes and its audit entry commit together.
 */
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import type { Agency } from '../platform/reference.ts';
import type { Transaction } from 'kysely';
import type { CaseTable, Database, NoticeReissueStatus } from '../platform/db/schema.ts';
import type { Capability } from '../domain/capabilities.ts';
import { can } from '../domain/capabilities.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { todayIn } from '../domain/calendar.ts';
import * as caseStore from '../cases/store.ts';
import { statusColumns } from '../case-status/document.ts';
import type { StatusVocabulary } from '../case-status/presenter.ts';
import { requestsOfCase } from '../service-requests/store.ts';
import * as store from './store.ts';
import {
  applicantOf, caseActions, caseNotFound, checkNoticeType, checkReissueReason, duplicateEntry, historyOf, invalidReceipt, localEntries,
  noticesOf, representativeOf, requireNotice, rfeNotFound, rfesOf,
} from './checks.ts';
import {
  newestFirst, reissueQueueItem, reissueView, type CaseView, type DuplicateIssued, type Page, type ReissueQueueItem, type RfeView,
  type TimelineEntry, type TimelineSource,
} from './views.ts';

export interface CaseDetailsDeps {
  db: Db;
  audit: AuditService;
  idempotency: IdempotencyService;
  agency: Pick<Agency, 'receiptPrefixes' | 'offices' | 'timeZone'>;
  /** More entries for a case's timeline (contacts, callbacks), added in the wiring. */
  timelineSources?: TimelineSource[];
  /** When given, a duplicate notice re-renders the case's public status document in its transaction. */
  presentation?: StatusVocabulary;
  /** Called in a duplicate notice's transaction: the case's public status changed (status-change alerts). */
  onStatusChange?: (trx: Transaction<Database>, receiptNumbers: string[], actor: Actor, traceId?: string) => Promise<unknown>;
  /** The contact desk: a request made on a call must name a call the officer may act on (else 404). */
  contacts?: { actable(actor: Actor, id: string): Promise<unknown> };
  clock?: () => Date;
}

/** Who asks and why, for the audit trail. */
export interface ReadContext {
  /** A contact or work-item id the read is for (`?purpose=`). */
  purpose?: string | null | undefined;
  traceId?: string | undefined;
}

/** How often a duplicate notice re-reads a case whose local history another writer changed meanwhile. */
const APPEND_ATTEMPTS = 5;

export class CaseDetailsService {
  readonly #clock: () => Date;
  readonly #offices: Set<string>;

  constructor(private readonly deps: CaseDetailsDeps) {
    this.#clock = deps.clock ?? (() => new Date());
    this.#offices = new Set(deps.agency.offices.map((o) => o.code));
  }

  /**
   * The whole case (tier2, supervisor, ombudsman, the holding office): applicant with the full A-number, history
   * merged with Switchboard's entries, notices, RFEs without their text, the timeline, and the caller's actions.
   * Every read is audited with its purpose; so is every refusal.
   */
  async getCase(actor: Actor, receiptInput: string, ctx: ReadContext = {}): Promise<CaseView> {
    const { staff, row } = await this.#visibleCase(actor, receiptInput, 'view-case-details', 'case-read', ctx);
    const history = historyOf(row);
    const last = history[history.length - 1];
    const notices = noticesOf(row);
    const rfes = rfesOf(row).map((r) => ({ id: r.id, date: r.date }));
    const timeline = await this.#timeline(row, history, notices, rfes);
    await this.deps.audit.recordNow({
      actor: actorLabel(actor), action: 'case-read', subject: `case:${row.receipt_number}`, outcome: 'allowed', purpose: ctx.purpose ?? null, traceId: ctx.traceId ?? null,
    });
    return {
      receiptNumber: row.receipt_number, formType: row.form_type, formCategory: row.form_category, office: row.office, fieldOffice: row.field_office,
      receivedDate: row.received_date, decidedDate: row.decided_date, status: last?.status ?? row.status, statusDate: last?.date ?? row.status_date,
      applicant: applicantOf(row), representative: representativeOf(row), military: row.military === 1, protectedCategory: row.protected_category,
      priorityDate: row.priority_date, preferenceCategory: row.preference_category, chargeability: row.chargeability,
      premiumProcessingEligible: row.premium_eligible === 1, history, notices, rfes, timeline,
      actions: caseActions(staff.user.role, staff.user.office, row.office),
    };
  }

  /** One RFE with its text: office staff of the office holding the case only (others of other offices 404; other roles 403). */
  async getRfe(actor: Actor, receiptInput: string, rfeId: string, ctx: ReadContext = {}): Promise<RfeView> {
    const { row } = await this.#visibleCase(actor, receiptInput, 'view-rfe', 'rfe-read', ctx);
    const rfe = rfesOf(row).find((r) => r.id === rfeId);
    if (!rfe) throw rfeNotFound();
    await this.deps.audit.recordNow({
      actor: actorLabel(actor), action: 'rfe-read', subject: `case:${row.receipt_number}`, outcome: 'allowed', purpose: ctx.purpose ?? null, traceId: ctx.traceId ?? null,
      detail: { rfeId: rfe.id },
    });
    return { receiptNumber: row.receipt_number, id: rfe.id, date: rfe.date, text: rfe.text };
  }

  /**
   * Tier 2 asks the office holding the case to re-issue a notice: 201 with the request, in that office's queue.
   * One open request per case and notice (409 with the existing one); the database's unique slot decides races.
   */
  async requestReissue(actor: Actor, receiptInput: string, input: { noticeId: string; reason: string; contactId?: string | undefined }, idem: IdempotentRequest, ctx: ReadContext = {}): Promise<IdempotentAnswer> {
    const { row } = await this.#visibleCase(actor, receiptInput, 'request-notice-reissue', 'notice-reissue-request', ctx);
    const reason = checkReissueReason(input.reason);
    const notice = requireNotice(noticesOf(row), input.noticeId);
    if (input.contactId?.trim()) await this.deps.contacts?.actable(actor, input.contactId.trim());
    const receipt = row.receipt_number;
    try {
      return await this.deps.idempotency.run(idem, async (trx) => {
        const existing = await store.findOpenReissue(trx, receipt, notice.id);
        if (existing) throw duplicateReissue(existing);
        const createdAt = this.#clock().toISOString();
        const r: store.ReissueRow = {
          id: newId(), receipt_number: receipt, notice_id: notice.id, office: row.office, status: 'open', open_slot: store.reissueSlot(receipt, notice.id),
          reason, contact_id: input.contactId?.trim() || null, requested_by: actorLabel(actor), created_at: createdAt, done_at: null, done_by: null, duplicate_notice_id: null,
        };
        await store.insertReissue(trx, r);
        await this.deps.audit.record(trx, {
          actor: actorLabel(actor), action: 'notice-reissue-request', subject: `case:${receipt}`, outcome: 'allowed', purpose: ctx.purpose ?? r.contact_id ?? null,
          traceId: ctx.traceId ?? null, detail: { requestId: r.id, noticeId: notice.id, office: r.office },
        });
        return { status: 201, body: reissueView(r) };
      });
    } catch (err) {
      if (store.isReissueSlotConflict(err)) {
        const existing = await store.findOpenReissue(this.deps.db, receipt, notice.id);
        if (existing) throw duplicateReissue(existing);
      }
      throw err;
    }
  }

  /** An office's re-issue requests in one status (open by default), oldest first: office staff of that office, supervisors. */
  async reissueQueue(actor: Actor, office: string, status: NoticeReissueStatus, page: number, pageSize: number): Promise<Page<ReissueQueueItem>> {
    const staff = actor.kind === 'staff' && can(actor.user.role, 'watch-queues') ? actor : authorize(actor, 'work-office-queue');
    if (!this.#offices.has(office)) throw new AppError('not-found', 'There is no office with this code.');
    if (staff.user.role === 'office' && staff.user.office !== office) throw new AppError('forbidden', 'Office staff work their own office\'s queue only.');
    const { rows, total } = await store.listReissues(this.deps.db, office, status, page, pageSize);
    return { items: rows.map(reissueQueueItem), page, pageSize, total };
  }

  /**
   * The office holding the case issues a duplicate of one of its notices. In one transaction: the duplicate and
   * its `duplicate-notice-was-mailed` status go into the case's local history (kept across feed re-sends; the
   * public status shows "Duplicate Notice Was Mailed"), the open re-issue request for that notice is done, and
   * the audit entry is written.
   */
  async issueNotice(actor: Actor, receiptInput: string, input: { type: string; noticeId: string }, idem: IdempotentRequest, ctx: ReadContext = {}): Promise<IdempotentAnswer> {
    const { staff, row } = await this.#visibleCase(actor, receiptInput, 'issue-duplicate-notice', 'duplicate-notice-issue', ctx);
    const type = checkNoticeType(input.type);
    const original = requireNotice(noticesOf(row), input.noticeId);
    const receipt = row.receipt_number;
    return this.deps.idempotency.run(idem, async (trx) => {
      const at = this.#clock();
      const now = at.toISOString();
      const date = todayIn(this.deps.agency.timeZone, at);
      const noticeId = `DUP-${newId()}`;
      const entry = duplicateEntry({ date, at: now, noticeId, of: original.id, by: actorLabel(staff) });
      let appended = false;
      for (let i = 0; i < APPEND_ATTEMPTS && !appended; i++) {
        const current = this.deps.presentation ? await caseStore.findCase(trx, receipt) : undefined;
        const previous = current ? current.local_history : await store.localHistoryOf(trx, receipt);
        if (previous === undefined) throw caseNotFound();
        const next = JSON.stringify([...localEntries(previous), entry]);
        // The public status shows the duplicate at once: its document is rendered again with the new entry.
        const status = current && this.deps.presentation
          ? { feedHash: current.feed_hash, columns: statusColumns({ ...current, local_history: next }, this.deps.presentation) }
          : undefined;
        appended = await store.replaceLocalHistory(trx, receipt, previous, next, now, status);
      }
      if (!appended) throw new AppError('conflict', 'This case is being changed by someone else right now. Try again.');
      const done = await store.markReissueDone(trx, receipt, original.id, { doneAt: now, doneBy: actorLabel(staff), duplicateNoticeId: noticeId });
      await this.deps.audit.record(trx, {
        actor: actorLabel(actor), action: 'duplicate-notice-issue', subject: `case:${receipt}`, outcome: 'allowed', purpose: ctx.purpose ?? done?.id ?? null,
        traceId: ctx.traceId ?? null, detail: { noticeId, of: original.id, type, reissueRequest: done?.id ?? null },
      });
      await this.deps.onStatusChange?.(trx, [receipt], actor, ctx.traceId);
      const body: DuplicateIssued = { noticeId, type, of: original.id, date, receiptNumber: receipt };
      return { status: 201, body };
    });
  }

  /**
   * The case feed moved cases to other offices: their open re-issue requests move to the new office's queue in
   * the feed's transaction, each with an audit entry. Returns how many moved.
   */
  async moveWithCase(trx: Transaction<Database>, moves: ReadonlyArray<{ receiptNumber: string; from: string; to: string }>, actor: Actor, traceId?: string): Promise<number> {
    let moved = 0;
    for (const m of moves) {
      for (const r of await store.moveOpenReissues(trx, m.receiptNumber, m.to)) {
        await this.deps.audit.record(trx, {
          actor: actorLabel(actor), action: 'notice-reissue-move-with-case', subject: `case:${m.receiptNumber}`, outcome: 'allowed', traceId: traceId ?? null,
          detail: { requestId: r.id, from: r.office, to: m.to },
        });
        moved++;
      }
    }
    return moved;
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The case if this actor holds `capability` and may see it: a refusal is audited here with the case as its
   * subject (403 for a role that may not; 404, like an unknown receipt, for office staff of another office).
   */
  async #visibleCase(actor: Actor, receiptInput: string, capability: Capability, action: string, ctx: ReadContext): Promise<{ staff: StaffActor; row: CaseTable }> {
    const receipt = parseReceiptNumber(receiptInput, this.deps.agency.receiptPrefixes);
    const subject = receipt ? `case:${receipt.value}` : null;
    const deny = async (code: string) => this.deps.audit.recordNow({
      actor: actorLabel(actor), action, subject, outcome: 'denied', purpose: ctx.purpose ?? null, traceId: ctx.traceId ?? null, detail: { code, capability },
    });
    let staff: StaffActor;
    try {
      staff = authorize(actor, capability);
    } catch (err) {
      if (err instanceof AppError && err.status === 403 && !err.audited) {
        await deny(err.code);
        throw new AppError(err.code, err.detail, { extensions: err.extensions, audited: true });
      }
      throw err;
    }
    if (!receipt) throw invalidReceipt();
    const row = await caseStore.findCase(this.deps.db, receipt.value);
    if (!row) throw caseNotFound();
    if (staff.user.role === 'office' && staff.user.office !== row.office) {
      await deny('not-found');
      throw caseNotFound();
    }
    return { staff, row };
  }

  async #timeline(row: CaseTable, history: CaseView['history'], notices: CaseView['notices'], rfes: CaseView['rfes']): Promise<TimelineEntry[]> {
    const tz = this.deps.agency.timeZone;
    const dateOf = (instant: string) => todayIn(tz, new Date(instant));
    const receipt = row.receipt_number;
    const [requests, reissues, ...more] = await Promise.all([
      requestsOfCase(this.deps.db, receipt),
      store.reissuesOfCase(this.deps.db, receipt),
      ...(this.deps.timelineSources ?? []).map((source) => source(receipt)),
    ]);
    const entries: TimelineEntry[] = [
      ...history.map((h) => ({ date: h.date, at: h.at, kind: 'status', ref: h.status, detail: { source: h.source } })),
      ...notices.map((n) => ({ date: n.date, at: null, kind: 'notice', ref: n.id, detail: { type: n.type, of: n.of, source: n.source } })),
      ...rfes.map((r) => ({ date: r.date, at: null, kind: 'rfe', ref: r.id, detail: {} })),
      ...requests.map((r) => ({
        date: dateOf(r.created_at), at: r.created_at, kind: 'service-request', ref: r.referral_number,
        detail: { type: r.type, status: r.status, office: r.office, dueDate: r.due_date },
      })),
      ...reissues.map((r) => ({
        date: dateOf(r.created_at), at: r.created_at, kind: 'notice-reissue-request', ref: r.id,
        detail: { noticeId: r.notice_id, status: r.status, office: r.office, duplicateNoticeId: r.duplicate_notice_id },
      })),
      ...more.flat(),
    ];
    return newestFirst(entries);
  }
}

function duplicateReissue(existing: store.ReissueRow): AppError {
  return new AppError('conflict', `This notice already has an open re-issue request at ${existing.office}, made ${existing.created_at.slice(0, 10)}.`, {
    extensions: { existing: reissueView(existing) },
  });
}
