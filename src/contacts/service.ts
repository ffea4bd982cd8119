/**
 * The contact desk (CONTRACT.md section 8): an agent opens a call, verifies the caller against a case (three
 * failures for one receipt number lock it for a day, on any call), links cases, notes what was said, and ends the
 * call with a disposition. Ending gives the call record the caller is read and can be sent by text or e-mail through
 * the outbox, and looked up later on the public side. Records from a telephony platform load once per external id.
 * Only the agent who opened a call, or the Tier 2 officer it went to, may act on it; others get 404.
 */
import type { Transaction } from 'kysely';
import type { Db, DialectName } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import type { Agency } from '../platform/reference.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { can } from '../domain/capabilities.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { formatContactReference, newContactReference, parseContactReference } from '../domain/contact-reference.ts';
import { normalisePhone } from '../domain/phone-number.ts';
import { formatReferralNumber } from '../domain/referral-number.ts';
import { dateOrInstantToInstant } from '../domain/calendar.ts';
import { translator, type Lang } from '../platform/i18n/i18n.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import * as caseStore from '../cases/store.ts';
import { verified as callerMatches } from '../service-requests/checks.ts';
import * as escalationStore from '../callbacks/store.ts';
import { MAX_CALL_HOURS, MAX_RECORDS_PER_LOAD, TEXT_LIMITS, type ContactCenterPolicy } from './policy.ts';
import * as store from './store.ts';
import type { ContactFilter, ContactRow } from './store.ts';
import { callRecord, eventView, summary, type CallRecord, type ContactSummary, type ContactView, type HistoryItem } from './views.ts';

export interface ContactDeps {
  db: Db;
  dialect: DialectName;
  audit: AuditService;
  outbox: OutboxService;
  idempotency: IdempotencyService;
  policy: ContactCenterPolicy;
  agency: Pick<Agency, 'receiptPrefixes' | 'timeZone' | 'shortName' | 'contactCenterPhone' | 'ombudsman'>;
  /** Where people reach the public pages (PUBLIC_URL): the call record links to its public page. */
  publicUrl: string;
  clock?: () => Date;
}

export interface PlatformRecord {
  externalId?: unknown; startedAt?: unknown; endedAt?: unknown; callerPhone?: unknown; agentId?: unknown; tier?: unknown;
  recordingUri?: unknown; disposition?: unknown;
}

export type SendTo = { channel: 'sms' | 'email'; to: string };

export interface LoadResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; code: string; detail: string }>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class ContactService {
  readonly #clock: () => Date;

  constructor(private readonly deps: ContactDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  get policy(): ContactCenterPolicy {
    return this.deps.policy;
  }

  /** The same service reading another clock (the demo's past calls; tests of the 24-hour lock). */
  withClock(clock: () => Date): ContactService {
    return new ContactService({ ...this.deps, clock });
  }

  /** Opens a call for the agent (Tier 1 or Tier 2): its reference is what the caller writes down. */
  async open(actor: Actor, input: { channel: string; callerPhone: string; language: string }, idem: IdempotentRequest, traceId?: string): Promise<IdempotentAnswer> {
    const staff = authorize(actor, 'handle-contacts');
    const errors: FieldError[] = [];
    if (input.channel !== 'phone') errors.push({ field: 'channel', code: 'invalid', detail: 'The channel of a call opened at the desk is "phone".' });
    const phone = normalisePhone(input.callerPhone);
    if (!phone) errors.push({ field: 'callerPhone', code: 'invalid-phone', detail: 'A phone number with its area code, e.g. +1 202 555 0143 or (202) 555-0143.' });
    if (input.language !== 'en' && input.language !== 'es') errors.push({ field: 'language', code: 'invalid', detail: 'The language is "en" or "es".' });
    if (errors.length) throw validationError(errors);
    return this.deps.idempotency.run(idem, async (trx) => {
      const row = await this.insertContact(trx, staff, { source: 'desk', phone: phone!, language: input.language, callbackId: null }, traceId);
      return { status: 201, body: { id: row.id, reference: row.reference, startedAt: row.started_at, agentId: row.agent_id } };
    });
  }

  /**
   * Writes a new call for `staff` in the caller's transaction, with its first event and audit entry (the desk's
   * open, and a Tier 2 officer reaching a caller back). A Tier 2 officer who was free is busy with it now.
   */
  async insertContact(trx: Transaction<Database>, staff: StaffActor, c: { source: 'desk' | 'callback'; phone: string; language: string; callbackId: string | null }, traceId?: string): Promise<ContactRow> {
    const now = this.#now();
    let reference = newContactReference();
    while (await store.referenceTaken(trx, reference)) reference = newContactReference();
    const row: ContactRow = {
      id: newId(), reference, source: c.source, external_id: null, channel: 'phone', caller_phone: c.phone, language: c.language,
      tier: staff.user.role, agent_staff_id: staff.user.id, agent_id: staff.user.agentId, escalated_to: null, callback_id: c.callbackId,
      started_at: now, ended_at: null, disposition: null, end_notes: null, recording_uri: null, created_at: now,
    };
    await store.insertContact(trx, row);
    await this.#event(trx, row.id, 'opened', staff, now, { source: c.source, ...(c.callbackId ? { callbackId: c.callbackId } : {}) });
    await escalationStore.markBusy(trx, staff.user.id, row.id, now);
    await this.#audit(trx, staff, 'contact-open', row, traceId);
    return row;
  }

  /** One call as the desk shows it: its events, cases, requests, escalations, and the actions the asker may take. */
  async get(actor: Actor, id: string): Promise<ContactView> {
    const staff = this.#staffOf(actor);
    const row = await store.findContact(this.deps.db, id);
    if (!row) throw notFound();
    if (!this.#mayAct(staff, row)) {
      if (!can(staff.user.role, 'find-contacts')) {
        if (!can(staff.user.role, 'handle-contacts')) authorize(actor, 'find-contacts');
        throw notFound();
      }
    }
    return this.view(staff, row);
  }

  /** The view of a call for a staff member already allowed to see it. */
  async view(staff: StaffActor, row: ContactRow): Promise<ContactView> {
    const db = this.deps.db;
    const [events, cases, referrals, escalations, transferredTo] = await Promise.all([
      store.eventsOf(db, row.id), store.casesOf(db, row.id), store.referralsOf(db, row.id), escalationStore.escalationsOfContact(db, row.id),
      store.agentIdOf(db, row.escalated_to),
    ]);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'contact-read', subject: `contact:${row.id}`, outcome: 'allowed' });
    return {
      ...summary(row, referrals), notes: row.end_notes, escalatedTo: row.escalated_to, transferredToAgentId: transferredTo, callbackId: row.callback_id,
      cases: cases.map((c) => ({ receiptNumber: c.receipt_number, verified: c.verified === 1, linkedAt: c.linked_at })),
      events: events.map(eventView),
      escalations: escalations.map((e) => ({ id: e.id, mode: e.mode, status: e.status, urgency: e.urgency, dueAt: e.due_at })),
      actions: this.actionsOn(staff, row),
    };
  }

  /** What `staff` may do on this call now, from the capability matrix and the call's state. */
  actionsOn(staff: StaffActor, row: ContactRow): string[] {
    if (!this.#mayAct(staff, row) || row.ended_at !== null) return [];
    // Transferred live: the call is the Tier 2 officer's now; the agent who passed it on may still add a note.
    if (row.escalated_to !== null && row.escalated_to !== staff.user.id) return ['add-note'];
    const role = staff.user.role;
    const actions = ['verify', 'link-case', 'add-note', 'end'];
    if (can(role, 'create-service-request')) actions.push('create-service-request');
    if (can(role, 'escalate-to-tier2')) actions.push('escalate');
    if (can(role, 'view-case-details')) actions.push('view-case-details');
    else if (can(role, 'view-case-status-online')) actions.push('view-case-status');
    if (can(role, 'request-notice-reissue')) actions.push('request-notice-reissue');
    return actions;
  }

  /**
   * Checks the caller against a case: name (case, accents and punctuation aside) and date of birth. A failure is
   * counted against the receipt number whatever the call; the third within 24 hours locks its verification for 24
   * hours (403 verification-locked, on any call). Verifications of one receipt number run one at a time across
   * instances, so a burst cannot slip a fourth try past the lock.
   */
  async verify(actor: Actor, id: string, input: { receiptNumber: string; name: string; dateOfBirth: string }, traceId?: string): Promise<{ verified: boolean; receiptNumber: string; failuresLeft?: number }> {
    const staff = authorize(actor, 'handle-contacts');
    const row = await this.#actable(staff, id, { open: true });
    const receipt = this.#receipt(input.receiptNumber);
    const { maxFailures, withinHours, lockHours } = this.deps.policy.verification;
    const at = this.#clock();
    const now = at.toISOString();
    const result = await this.deps.db.transaction().execute(async (trx) => {
      await store.lockReceiptForVerification(trx, this.deps.dialect, receipt);
      const lock = await store.findLock(trx, receipt);
      if (lock && lock.locked_until > now) return { locked: lock.locked_until } as const;
      const c = await caseStore.findCase(trx, receipt);
      const ok = c !== undefined && callerMatches(c, { name: input.name ?? '', dateOfBirth: input.dateOfBirth ?? '' });
      if (ok) {
        await store.linkCase(trx, row.id, receipt, true, now);
        await this.#event(trx, row.id, 'verified', staff, now, { receiptNumber: receipt });
        await this.#audit(trx, staff, 'contact-verify', row, traceId, { receiptNumber: receipt, verified: true });
        return { verified: true } as const;
      }
      const since = new Date(at.getTime() - withinHours * 3_600_000).toISOString();
      // Failures older than the window count for nothing any more: forget them (the table holds only live counts).
      await store.forgetFailuresBefore(trx, receipt, since);
      await store.insertFailure(trx, { id: newId(), receipt_number: receipt, contact_id: row.id, at: now });
      const failures = await store.failuresSince(trx, receipt, since);
      const lockedNow = failures >= maxFailures;
      if (lockedNow) await store.setLock(trx, receipt, now, new Date(at.getTime() + lockHours * 3_600_000).toISOString());
      await this.#event(trx, row.id, 'verification-failed', staff, now, { receiptNumber: receipt, ...(lockedNow ? { locked: true } : {}) });
      await this.#audit(trx, staff, 'contact-verify', row, traceId, { receiptNumber: receipt, verified: false, failures, locked: lockedNow });
      return { verified: false, failuresLeft: Math.max(0, maxFailures - failures) } as const;
    });
    if ('locked' in result) {
      throw new AppError('verification-locked', `Verification of this receipt number is locked after ${maxFailures} failed attempts within ${withinHours} hours. Try again after the lock ends.`, {
        extensions: { lockedUntil: result.locked },
      });
    }
    return { verified: result.verified, receiptNumber: receipt, ...(result.failuresLeft !== undefined ? { failuresLeft: result.failuresLeft } : {}) };
  }

  /** Links another case the caller asks about (not verified by this; verification links verified). */
  async linkCase(actor: Actor, id: string, receiptInput: string, traceId?: string): Promise<{ receiptNumber: string; verified: boolean }> {
    const staff = authorize(actor, 'handle-contacts');
    const row = await this.#actable(staff, id, { open: true });
    const receipt = this.#receipt(receiptInput);
    if (!(await caseStore.findCase(this.deps.db, receipt))) throw new AppError('not-found', 'No case with this receipt number has been loaded.');
    const now = this.#now();
    await this.deps.db.transaction().execute(async (trx) => {
      await store.linkCase(trx, row.id, receipt, false, now);
      await this.#event(trx, row.id, 'case-linked', staff, now, { receiptNumber: receipt });
      await this.#audit(trx, staff, 'contact-link-case', row, traceId, { receiptNumber: receipt });
    });
    const linked = (await store.casesOf(this.deps.db, row.id)).find((c) => c.receipt_number === receipt);
    return { receiptNumber: receipt, verified: linked?.verified === 1 };
  }

  /** A note on the call (what the caller asked, what was said): the next agent reads it instead of asking again. */
  async addNote(actor: Actor, id: string, text: string, traceId?: string): Promise<{ at: string; text: string }> {
    const staff = authorize(actor, 'handle-contacts');
    const row = await this.#actable(staff, id, { open: true });
    const note = checkText(text, 'text', TEXT_LIMITS.note);
    const now = this.#now();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.#event(trx, row.id, 'note', staff, now, { text: note });
      await this.#audit(trx, staff, 'contact-note', row, traceId);
    });
    return { at: now, text: note };
  }

  /**
   * Ends the call with a disposition and answers the call record the caller is read. With `sendRecord`, the record
   * is queued to the caller by text or e-mail in the same transaction. A call ends once: ending again answers 409.
   */
  async end(actor: Actor, id: string, input: { disposition: string; notes?: string | undefined; sendRecord?: SendTo | undefined }, traceId?: string): Promise<CallRecord> {
    const staff = authorize(actor, 'handle-contacts');
    const row = await this.#actable(staff, id);
    const errors: FieldError[] = [];
    if (!this.deps.policy.dispositions.includes(input.disposition)) {
      errors.push({ field: 'disposition', code: 'invalid', detail: `One of ${this.deps.policy.dispositions.join(', ')}.` });
    }
    let notes: string | null = null;
    try {
      notes = input.notes?.trim() ? checkText(input.notes, 'notes', TEXT_LIMITS.note) : null;
    } catch (e) {
      errors.push(...fieldErrorsOf(e));
    }
    const send = input.sendRecord ? this.#sendTo(input.sendRecord, errors) : null;
    if (errors.length) throw validationError(errors);
    if (row.ended_at !== null) throw alreadyEnded(row);
    if (row.escalated_to !== null && row.escalated_to !== staff.user.id) {
      throw new AppError('conflict', 'This call was transferred to a Tier 2 officer; they end it. You may still add a note.');
    }
    const now = this.#now();
    const ended = await this.deps.db.transaction().execute(async (trx) => {
      const done = await store.endContact(trx, row.id, { ended_at: now, disposition: input.disposition, end_notes: notes });
      if (!done) throw alreadyEnded(row);
      await this.#event(trx, row.id, 'ended', staff, now, { disposition: input.disposition });
      await escalationStore.markFree(trx, row.id, now);
      const record = await this.#record(trx, done);
      if (send) await this.#queueRecord(trx, done, record, send);
      await this.#audit(trx, staff, 'contact-end', done, traceId, { disposition: input.disposition, recordSent: send?.channel ?? null });
      return record;
    });
    return ended;
  }

  /** Sends the call record again (or for the first time) to the caller by text or e-mail. */
  async sendRecord(actor: Actor, id: string, to: SendTo, traceId?: string): Promise<{ queued: true; channel: string }> {
    const staff = authorize(actor, 'handle-contacts');
    const row = await this.#actable(staff, id);
    const errors: FieldError[] = [];
    const send = this.#sendTo(to, errors);
    if (errors.length || !send) throw validationError(errors);
    if (row.ended_at === null) throw new AppError('conflict', 'The call record is complete when the call ends: end the call first, or send it as you end it.');
    await this.deps.db.transaction().execute(async (trx) => {
      await this.#queueRecord(trx, row, await this.#record(trx, row), send);
      await this.#audit(trx, staff, 'contact-send-record', row, traceId, { channel: send.channel });
    });
    return { queued: true, channel: send.channel };
  }

  /** The call record for the caller (public): by reference AND the phone number the call came from, else 404. */
  async publicRecord(referenceInput: string, phoneInput: string): Promise<CallRecord> {
    const reference = parseContactReference(referenceInput ?? '');
    const phone = normalisePhone(phoneInput ?? '');
    const row = reference && phone ? await store.findByReference(this.deps.db, reference) : undefined;
    if (!row || row.caller_phone !== phone) {
      throw new AppError('not-found', 'We found no call with this reference and phone number. Check both against the record you were given.');
    }
    return this.#record(this.deps.db, row);
  }

  /**
   * Loads finished calls from a telephony platform (scope contact-feed, or an admin). Each record is checked on its
   * own: a bad one is reported by index and never stops the good ones; a record already stored (same external id,
   * in an earlier load or earlier in this one) counts as a duplicate and changes nothing.
   */
  async loadRecords(actor: Actor, records: unknown, traceId?: string): Promise<LoadResult> {
    if (actor.kind !== 'client' || !actor.scopes.includes('contact-feed')) {
      if (actor.kind === 'client') throw new AppError('forbidden', 'This client lacks the "contact-feed" scope.');
      authorize(actor, 'load-contact-records');
    }
    if (!Array.isArray(records)) throw validationError([{ field: '', code: 'not-an-array', detail: 'Send a JSON array of contact records.' }], 'The body must be a JSON array of contact records.');
    if (records.length > MAX_RECORDS_PER_LOAD) throw new AppError('payload-too-large', `At most ${MAX_RECORDS_PER_LOAD} records in one load; send the rest in another.`);
    return this.storeRecords(actor, records as PlatformRecord[], traceId);
  }

  /**
   * Stores finished calls of a telephony platform, each checked on its own, once per external id (the caller has
   * authorized: the contact feed above, or the signed voice webhooks of CONTRACT.md section 8a). Audited as one load.
   */
  async storeRecords(actor: Actor, records: readonly PlatformRecord[], traceId?: string, options: { language?: (r: PlatformRecord) => string } = {}): Promise<LoadResult> {
    const rejected: Array<{ index: number; code: string; detail: string }> = [];
    const valid: Array<{ index: number; rec: ReturnType<typeof checkRecord> & { ok: true }; language: string }> = [];
    const seen = new Set<string>();
    let duplicates = 0;
    records.forEach((r, index) => {
      const rec = checkRecord(r, this.deps.policy.dispositions);
      if (!rec.ok) {
        rejected.push({ index, code: rec.code, detail: rec.detail });
      } else if (seen.has(rec.externalId)) {
        duplicates++;
      } else {
        seen.add(rec.externalId);
        const language = options.language?.(r);
        valid.push({ index, rec, language: language === 'es' ? 'es' : 'en' });
      }
    });
    const now = this.#now();
    const staffIds = await store.staffIdsByAgentIds(this.deps.db, [...new Set(valid.map((v) => v.rec.agentId).filter((x): x is string => x !== null))]);
    const stored = await this.deps.db.transaction().execute(async (trx) => {
      const rows: ContactRow[] = [];
      for (const { rec, language } of valid) {
        let reference = newContactReference();
        while (await store.referenceTaken(trx, reference)) reference = newContactReference();
        rows.push({
          id: newId(), reference, source: 'platform', external_id: rec.externalId, channel: 'phone', caller_phone: rec.callerPhone, language,
          tier: rec.tier, agent_staff_id: rec.agentId ? staffIds.get(rec.agentId) ?? null : null, agent_id: rec.agentId, escalated_to: null, callback_id: null,
          started_at: rec.startedAt, ended_at: rec.endedAt, disposition: rec.disposition, end_notes: null, recording_uri: rec.recordingUri, created_at: now,
        });
      }
      const got = await store.insertPlatformRecords(trx, rows);
      await this.deps.audit.record(trx, {
        actor: actorLabel(actor), action: 'contact-records-load', outcome: 'allowed', traceId: traceId ?? null,
        detail: { accepted: got.size, duplicates: duplicates + (valid.length - got.size), rejected: rejected.length },
      });
      return got.size;
    });
    return { accepted: stored, duplicates: duplicates + (valid.length - stored), rejected };
  }

  /** Finds calls by phone number, agent and time (supervisors and Ombudsman staff); the search is audited. */
  async find(actor: Actor, q: { callerPhone?: string | undefined; agentId?: string | undefined; from?: string | undefined; to?: string | undefined }, page: number, pageSize: number, traceId?: string) {
    const staff = authorize(actor, 'find-contacts');
    const errors: FieldError[] = [];
    const filter: ContactFilter = {};
    if (q.callerPhone !== undefined && q.callerPhone !== '') {
      const p = normalisePhone(q.callerPhone);
      if (!p) errors.push({ field: 'callerPhone', code: 'invalid-phone', detail: 'A phone number with its area code.' });
      else filter.callerPhone = p;
    }
    if (q.agentId) {
      if (!/^\d{6}$/.test(q.agentId.trim())) errors.push({ field: 'agentId', code: 'invalid', detail: 'An agent ID is six digits.' });
      else filter.agentId = q.agentId.trim();
    }
    for (const [k, edge] of [['from', 'start'], ['to', 'end']] as const) {
      const v = q[k];
      if (v === undefined || v === '') continue;
      const instant = dateOrInstantToInstant(v, this.deps.agency.timeZone, edge);
      if (!instant) errors.push({ field: k, code: 'invalid', detail: 'A date (YYYY-MM-DD, a whole day in the agency\'s time zone) or an instant with its offset.' });
      else filter[k] = instant;
    }
    if (filter.from && filter.to && filter.from >= filter.to) errors.push({ field: 'to', code: 'before-from', detail: '"to" must be after "from".' });
    if (errors.length) throw validationError(errors);
    const { rows, total } = await store.findContacts(this.deps.db, filter, page, pageSize);
    const referrals = await store.referralsByContact(this.deps.db, rows.map((r) => r.id));
    await this.deps.audit.recordNow({
      actor: actorLabel(staff), action: 'contact-search', outcome: 'allowed', traceId: traceId ?? null,
      detail: { byPhone: filter.callerPhone !== undefined, agentId: filter.agentId ?? null, from: filter.from ?? null, to: filter.to ?? null, found: total },
    });
    const items: ContactSummary[] = rows.map((r) => summary(r, referrals.get(r.id) ?? []));
    return { items, page, pageSize, total };
  }

  /** The signed-in agent's calls still open (the desk's start page). */
  async openCallsOf(actor: Actor): Promise<ContactSummary[]> {
    const staff = authorize(actor, 'handle-contacts');
    const rows = await store.openContactsOf(this.deps.db, staff.user.id);
    const referrals = await store.referralsByContact(this.deps.db, rows.map((r) => r.id));
    return rows.map((r) => summary(r, referrals.get(r.id) ?? []));
  }

  /** Earlier calls of the same caller (by phone) and of the call's cases, newest first, with their notes: the story already told. */
  async historyFor(staff: StaffActor, row: ContactRow): Promise<HistoryItem[]> {
    const db = this.deps.db;
    const cases = await store.casesOf(db, row.id);
    const byId = new Map<string, ContactRow>();
    if (row.caller_phone) for (const c of await store.contactsByPhone(db, row.caller_phone)) byId.set(c.id, c);
    for (const k of cases) for (const c of await store.contactsOfCase(db, k.receipt_number, 50)) byId.set(c.id, c);
    byId.delete(row.id);
    const rows = [...byId.values()].sort((a, b) => b.started_at.localeCompare(a.started_at)).slice(0, 50);
    const ids = rows.map((r) => r.id);
    const [referrals, notes] = await Promise.all([store.referralsByContact(db, ids), store.notesByContact(db, ids)]);
    await this.deps.audit.recordNow({ actor: actorLabel(staff), action: 'contact-history-read', subject: `contact:${row.id}`, outcome: 'allowed', detail: { found: rows.length } });
    return rows.map((r) => ({ ...summary(r, referrals.get(r.id) ?? []), notes: notes.get(r.id) ?? [], endNotes: r.end_notes }));
  }

  /** The call if `staff` may act on it (opened it, or it was transferred to them); else 404, like no call at all. */
  async actable(actor: Actor, id: string, options: { open?: boolean } = {}): Promise<{ staff: StaffActor; row: ContactRow }> {
    const staff = authorize(actor, 'handle-contacts');
    return { staff, row: await this.#actable(staff, id, options) };
  }

  /** Events and notes of a call, oldest first (the callback officer reads the whole story). */
  async eventsOf(id: string) {
    return (await store.eventsOf(this.deps.db, id)).map(eventView);
  }

  async event(trx: Transaction<Database>, contactId: string, kind: string, actor: Actor, at: string, detail: Record<string, unknown> | null): Promise<void> {
    await this.#event(trx, contactId, kind, actor, at, detail);
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────────────────────

  async #actable(staff: StaffActor, id: string, options: { open?: boolean } = {}): Promise<ContactRow> {
    const row = await store.findContact(this.deps.db, id);
    if (!row || !this.#mayAct(staff, row)) throw notFound();
    if (options.open && row.ended_at !== null) throw alreadyEnded(row);
    return row;
  }

  #mayAct(staff: StaffActor, row: ContactRow): boolean {
    return row.agent_staff_id === staff.user.id || row.escalated_to === staff.user.id;
  }

  #staffOf(actor: Actor): StaffActor {
    if (actor.kind !== 'staff') return authorize(actor, 'handle-contacts');
    return actor;
  }

  async #record(db: Db | Transaction<Database>, row: ContactRow): Promise<CallRecord> {
    const [referrals, escalations, transferredTo] = await Promise.all([
      store.referralsOf(db, row.id), escalationStore.escalationsOfContact(db, row.id), store.agentIdOf(db, row.escalated_to),
    ]);
    return callRecord(row, referrals, escalations.filter((e) => e.mode === 'callback').map((e) => ({ id: e.id, dueAt: e.due_at, status: e.status })), transferredTo);
  }

  #sendTo(to: SendTo, errors: FieldError[]): SendTo | null {
    if (to.channel === 'sms') {
      const p = normalisePhone(to.to);
      if (p) return { channel: 'sms', to: p };
      errors.push({ field: 'sendRecord.to', code: 'invalid-phone', detail: 'A phone number that can take a text message.' });
      return null;
    }
    if (to.channel === 'email') {
      if (EMAIL.test(to.to?.trim() ?? '')) return { channel: 'email', to: to.to.trim() };
      errors.push({ field: 'sendRecord.to', code: 'invalid-email', detail: 'An e-mail address like name@example.org.' });
      return null;
    }
    errors.push({ field: 'sendRecord.channel', code: 'invalid', detail: 'The record is sent by "sms" or "email".' });
    return null;
  }

  async #queueRecord(trx: Transaction<Database>, row: ContactRow, record: CallRecord, send: SendTo): Promise<void> {
    const lang: Lang = row.language === 'es' ? 'es' : 'en';
    const t = translator(lang);
    const zone = this.deps.agency.timeZone;
    const reference = formatContactReference(row.reference);
    const link = `${this.deps.publicUrl}/call-record?reference=${row.reference}${lang === 'es' ? '&lang=es' : ''}`;
    const referrals = record.serviceRequests.length
      ? t('mail.callRecord.referrals', { list: record.serviceRequests.map(formatReferralNumber).join(', ') })
      : t('mail.callRecord.noReferrals');
    const callbacks = record.callbacks.filter((c) => c.status === 'open').map((c) => t('mail.callRecord.callback', { due: longDateTime(c.dueAt, lang, zone) })).join('');
    await this.deps.outbox.enqueue(trx, {
      channel: send.channel, to: send.to, lang, template: 'call-record', subjectRef: `contact:${row.id}`,
      subject: t('mail.callRecord.subject', { reference }),
      bodyText: t('mail.callRecord.body', {
        agency: this.deps.agency.shortName, reference, when: longDateTime(row.started_at, lang, zone),
        agentId: [row.agent_id ?? '—', ...(record.transferredToAgentId ? [record.transferredToAgentId] : [])].join(', '),
        referrals, callbacks, ombudsman: this.deps.agency.ombudsman.name[lang], link,
      }),
    });
    await this.#event(trx, row.id, 'record-sent', { kind: 'system' }, this.#now(), { channel: send.channel });
  }

  #receipt(input: string): string {
    const r = parseReceiptNumber(input ?? '', this.deps.agency.receiptPrefixes);
    if (!r) throw new AppError('invalid-receipt-number', 'A receipt number is 3 letters followed by 10 digits, like EAC2590012345.');
    return r.value;
  }

  async #event(trx: Transaction<Database>, contactId: string, kind: string, actor: Actor, at: string, detail: Record<string, unknown> | null) {
    await store.insertEvent(trx, { id: newId(), contact_id: contactId, at, kind, actor: actorLabel(actor), detail: detail ? JSON.stringify(detail) : null });
  }

  async #audit(trx: Transaction<Database>, actor: Actor, action: string, row: ContactRow, traceId?: string, detail?: Record<string, string | number | boolean | null>) {
    await this.deps.audit.record(trx, { actor: actorLabel(actor), action, subject: `contact:${row.id}`, outcome: 'allowed', traceId: traceId ?? null, ...(detail ? { detail } : {}) });
  }

  #now(): string {
    return this.#clock().toISOString();
  }
}

const notFound = () => new AppError('not-found', 'There is no call with this id that you may act on.');

const alreadyEnded = (row: ContactRow) => new AppError('conflict', `This call ended at ${row.ended_at}. Open a new call, or read its record.`);

function checkText(text: string, field: string, limits: { min: number; max: number }): string {
  const t = (text ?? '').trim();
  if (t.length < limits.min || t.length > limits.max) {
    throw validationError([{ field, code: 'length', detail: `From ${limits.min} to ${limits.max} characters.` }]);
  }
  return t;
}

function fieldErrorsOf(e: unknown): FieldError[] {
  if (e instanceof AppError && Array.isArray(e.extensions.errors)) return e.extensions.errors as FieldError[];
  throw e;
}

type CheckedRecord =
  | { ok: true; externalId: string; startedAt: string; endedAt: string; callerPhone: string; agentId: string | null; tier: string; recordingUri: string | null; disposition: string | null }
  | { ok: false; code: string; detail: string };

/** One platform record checked on its own (pure). */
export function checkRecord(r: PlatformRecord, dispositions: readonly string[]): CheckedRecord {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return { ok: false, code: 'invalid-record', detail: 'Each record is a JSON object.' };
  if (typeof r.externalId !== 'string' || !r.externalId.trim() || r.externalId.length > 128) return { ok: false, code: 'invalid-external-id', detail: 'externalId: the platform\'s id of the call, 1 to 128 characters.' };
  const started = instant(r.startedAt);
  const ended = instant(r.endedAt);
  if (!started) return { ok: false, code: 'invalid-started-at', detail: 'startedAt: an ISO 8601 instant with its offset.' };
  if (!ended) return { ok: false, code: 'invalid-ended-at', detail: 'endedAt: an ISO 8601 instant with its offset.' };
  if (ended < started) return { ok: false, code: 'ended-before-started', detail: 'endedAt is before startedAt.' };
  if (Date.parse(ended) - Date.parse(started) > MAX_CALL_HOURS * 3_600_000) return { ok: false, code: 'too-long', detail: `A call of more than ${MAX_CALL_HOURS} hours is not a call.` };
  const phone = typeof r.callerPhone === 'string' ? normalisePhone(r.callerPhone) : null;
  if (!phone) return { ok: false, code: 'invalid-phone', detail: 'callerPhone: a phone number with its area code.' };
  if (r.agentId !== undefined && r.agentId !== null && (typeof r.agentId !== 'string' || !/^\d{6}$/.test(r.agentId))) return { ok: false, code: 'invalid-agent-id', detail: 'agentId: six digits.' };
  if (r.tier !== 'tier1' && r.tier !== 'tier2') return { ok: false, code: 'invalid-tier', detail: 'tier: "tier1" or "tier2".' };
  if (r.recordingUri !== undefined && r.recordingUri !== null && (typeof r.recordingUri !== 'string' || !/^https?:\/\/\S+$/.test(r.recordingUri) || r.recordingUri.length > 2000)) {
    return { ok: false, code: 'invalid-recording-uri', detail: 'recordingUri: an http(s) address.' };
  }
  if (r.disposition !== undefined && r.disposition !== null && (typeof r.disposition !== 'string' || !dispositions.includes(r.disposition))) {
    return { ok: false, code: 'invalid-disposition', detail: `disposition: one of ${dispositions.join(', ')}.` };
  }
  return {
    ok: true, externalId: r.externalId.trim(), startedAt: started, endedAt: ended, callerPhone: phone, agentId: (r.agentId as string | undefined) ?? null,
    tier: r.tier, recordingUri: (r.recordingUri as string | undefined) ?? null, disposition: (r.disposition as string | undefined) ?? null,
  };
}

function instant(v: unknown): string | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return null;
  return dateOrInstantToInstant(v, 'UTC', 'start');
}
