/**
 * In-person appointments at field offices (issue 9): Tier 2 books a free slot at the field office serving a case;
 * the booking, its audit entry and the notice by mail to the applicant commit in one transaction. Capacity is data
 * (reference/<agency>/appointments.json); the database decides races for the last seat (appointment_seats' key).
 * Moving an appointment answers an appointment-reschedule service request, whose referral number it records.
 */
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { IdempotencyService, IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import type { Agency } from '../platform/reference.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { translator, type Lang } from '../platform/i18n/i18n.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { formatReferralNumber, parseReferralNumber } from '../domain/referral-number.ts';
import { CANCEL_REASON, MAX_RANGE_DAYS, PANEL_DAYS, type AppointmentPolicy, type OfficeCapacity } from './policy.ts';
import * as store from './store.ts';
import type { AppointmentRow } from './store.ts';
import {
  addDays, alreadyBooked, checkCancelReason, checkRange, checkReasonCode, localDate, newConfirmationNumber, parseInstant, servingOffice, slotFull, slotNotOffered, slotsOf,
} from './checks.ts';
import { appointmentView, booked, bringList, officeView, reasonTitle, whenText, type AppointmentView, type SlotsView } from './views.ts';

export interface AppointmentDeps {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  idempotency: IdempotencyService;
  policy: AppointmentPolicy;
  agency: Pick<Agency, 'receiptPrefixes' | 'contactCenterPhone'>;
  /** Where people reach the public pages (PUBLIC_URL): the notice links to the reschedule request form. */
  publicUrl: string;
  /** A booking made on a call must name a call the agent may act on (else 404). */
  contacts?: { actable(actor: Actor, id: string): Promise<unknown> };
  clock?: () => Date;
}

export interface BookInput {
  receiptNumber: string;
  slotStart: string;
  reason: string;
  contactId?: string | undefined;
}

/** Roles that read appointments and free slots besides Tier 2 (who books them). */
const READERS = ['tier2', 'supervisor'] as const;

export class AppointmentService {
  readonly #clock: () => Date;

  constructor(private readonly deps: AppointmentDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  get policy(): AppointmentPolicy {
    return this.deps.policy;
  }

  withClock(clock: () => Date): AppointmentService {
    return new AppointmentService({ ...this.deps, clock });
  }

  /** Free slots at the field office serving the case, from `from` to `to` (its local dates; default: the next two weeks). */
  async slots(actor: Actor, receiptInput: string, range: { from?: string | undefined; to?: string | undefined }, traceId?: string): Promise<SlotsView> {
    this.#reader(actor);
    const receipt = this.#receipt(receiptInput);
    const c = await store.caseFor(this.deps.db, receipt);
    if (!c) throw new AppError('not-found', 'No case with this receipt number has been loaded.');
    const { office, servedBy } = servingOffice(this.deps.policy, c);
    const today = localDate(this.#clock().toISOString(), office.timeZone);
    const from = range.from ?? today;
    const to = range.to ?? addDays(from, 13);
    checkRange(from, to, MAX_RANGE_DAYS);
    const slots = await this.#free(office, from, to);
    await this.deps.audit.recordNow({ actor: actorLabel(actor), action: 'appointment-slots-read', subject: `case:${receipt}`, outcome: 'allowed', traceId: traceId ?? null, detail: { office: office.code } });
    return { receiptNumber: receipt, office: officeView(office), servedBy, from, to, slotMinutes: office.slotMinutes, slots };
  }

  /**
   * Books a slot for a case (Tier 2). In ONE transaction with the idempotency key's answer: a past booked
   * appointment lets go of the case, a booked future one answers 409 with it, a seat is taken (none left: 409),
   * the appointment, its audit entry and the notice to the applicant are written.
   */
  async book(actor: Actor, input: BookInput, idem: IdempotentRequest, options: { lang?: Lang; traceId?: string } = {}): Promise<IdempotentAnswer> {
    const staff = authorize(actor, 'schedule-appointments');
    const receipt = this.#receipt(input.receiptNumber);
    const reason = checkReasonCode(this.deps.policy, (input.reason ?? '').trim());
    if (input.contactId !== undefined) await this.deps.contacts?.actable(actor, input.contactId);
    const c = await store.caseFor(this.deps.db, receipt);
    if (!c) throw new AppError('not-found', 'No case with this receipt number has been loaded.');
    const { office, servedBy } = servingOffice(this.deps.policy, c);
    const slot = this.#offered(office, input.slotStart);
    const lang: Lang = options.lang ?? 'en';
    const email = applicantEmail(c.applicant);
    try {
      return await this.deps.idempotency.run(idem, async (trx) => {
        const now = this.#now();
        await store.releasePastCaseSlot(trx, receipt, now);
        const existing = await store.bookedOfCase(trx, receipt);
        if (existing) throw alreadyBooked(existing);
        const id = newId();
        const seat = await store.takeSeat(trx, office.code, slot.key, office.seatsPerSlot, id);
        if (seat === null) throw slotFull();
        const row: AppointmentRow = {
          id, confirmation_number: newConfirmationNumber(office.code), receipt_number: receipt, office: office.code, served_by: servedBy,
          slot_start: slot.key, slot_end: slot.endKey, seat, reason, status: 'booked', case_slot: receipt, lang, contact_id: input.contactId ?? null,
          booked_by: actorLabel(staff), booked_at: now, cancelled_by: null, cancelled_at: null, cancel_reason: null,
          reschedule_referral: null, rescheduled_by: null, rescheduled_at: null, previous_start: null, updated_at: now,
        };
        await store.insertAppointment(trx, row);
        if (email) await this.deps.outbox.enqueue(trx, this.#notice(row, office, email, 'booked'));
        await this.deps.audit.record(trx, {
          actor: actorLabel(staff), action: 'appointment-book', subject: `appointment:${id}`, outcome: 'allowed', purpose: input.contactId ?? null, traceId: options.traceId ?? null,
          detail: { receipt, office: office.code, slotStart: slot.key, servedBy, mailed: email !== null },
        });
        return { status: 201, body: booked(row, office) };
      });
    } catch (err) {
      if (store.isCaseSlotConflict(err)) {
        const existing = await store.bookedOfCase(this.deps.db, receipt);
        if (existing) throw alreadyBooked(existing);
      }
      throw err;
    }
  }

  /** One appointment (Tier 2, supervisors, office staff of its office; office staff elsewhere: 404). */
  async get(actor: Actor, id: string, traceId?: string): Promise<AppointmentView> {
    const staff = this.#staffOf(actor, READERS, true);
    const row = await this.#visible(staff, id);
    await this.deps.audit.recordNow({ actor: actorLabel(actor), action: 'appointment-read', subject: `appointment:${row.id}`, outcome: 'allowed', traceId: traceId ?? null });
    return appointmentView(row, this.#office(row.office));
  }

  /** What the printable confirmation shows (Tier 2, office staff of the appointment's office). */
  async confirmation(actor: Actor, id: string, lang: Lang, traceId?: string) {
    const staff = this.#staffOf(actor, ['tier2'], true);
    const row = await this.#visible(staff, id);
    const office = this.#office(row.office);
    await this.deps.audit.recordNow({ actor: actorLabel(actor), action: 'appointment-read', subject: `appointment:${row.id}`, outcome: 'allowed', purpose: 'confirmation', traceId: traceId ?? null });
    return {
      view: appointmentView(row, office), when: whenText(row.slot_start, office.timeZone, lang), officeName: office.name[lang], address: office.address,
      reason: reasonTitle(this.deps.policy, row.reason, lang), bring: bringList(this.deps.policy, row.reason, lang),
      rescheduleUrl: this.#rescheduleUrl(lang), phone: this.deps.agency.contactCenterPhone,
      referral: row.reschedule_referral ? formatReferralNumber(row.reschedule_referral) : null,
    };
  }

  /** Cancels a booked appointment (Tier 2 only), with a reason; its seat is free again. */
  async cancel(actor: Actor, id: string, reasonInput: string, traceId?: string): Promise<AppointmentView> {
    const staff = authorize(actor, 'schedule-appointments');
    const reason = checkCancelReason(reasonInput, CANCEL_REASON.min, CANCEL_REASON.max);
    const row = await this.#find(id);
    const now = this.#now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const done = await store.updateBooked(trx, row.id, { status: 'cancelled', case_slot: null, cancelled_by: actorLabel(staff), cancelled_at: now, cancel_reason: reason, updated_at: now });
      if (!done) return null;
      await store.freeSeat(trx, row.id);
      await this.deps.audit.record(trx, { actor: actorLabel(staff), action: 'appointment-cancel', subject: `appointment:${row.id}`, outcome: 'allowed', traceId: traceId ?? null, detail: { office: row.office } });
      return done;
    });
    if (!updated) throw new AppError('conflict', 'This appointment was already cancelled.', { extensions: { status: 'cancelled' } });
    return appointmentView(updated, this.#office(updated.office));
  }

  /**
   * Moves a booked appointment to another free slot of its office, answering an appointment-reschedule service
   * request of the same case (office staff of the appointment's office, or Tier 2). The old seat is freed and the
   * new one taken in one transaction; the referral number is recorded and the person is told by mail.
   */
  async reschedule(actor: Actor, id: string, input: { slotStart: string; referralNumber: string }, traceId?: string): Promise<AppointmentView> {
    const staff = this.#staffOf(actor, ['tier2'], true, 'schedule-appointments');
    const row = await this.#visible(staff, id);
    if (row.status !== 'booked') throw new AppError('conflict', 'A cancelled appointment cannot be moved; book a new one.', { extensions: { status: row.status } });
    const referral = parseReferralNumber(input.referralNumber ?? '');
    const sr = referral.ok ? await store.requestFor(this.deps.db, referral.value) : undefined;
    if (!sr || sr.receipt_number !== row.receipt_number || sr.type !== 'appointment-reschedule' || sr.status === 'closed') {
      throw validationError([{ field: 'referralNumber', code: 'not-a-reschedule-request', detail: 'Must be an appointment-reschedule service request of this case that is not closed.' }]);
    }
    const office = this.#office(row.office);
    const slot = this.#offered(office, input.slotStart);
    if (slot.key === row.slot_start) throw validationError([{ field: 'slotStart', code: 'same-slot', detail: 'The appointment is already at this time.' }]);
    const email = applicantEmailOf(await store.caseFor(this.deps.db, row.receipt_number));
    const now = this.#now();
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      await store.freeSeat(trx, row.id);
      const seat = await store.takeSeat(trx, office.code, slot.key, office.seatsPerSlot, row.id);
      if (seat === null) throw slotFull();
      const moved = await store.updateBooked(trx, row.id, {
        slot_start: slot.key, slot_end: slot.endKey, seat, previous_start: row.slot_start, reschedule_referral: sr.referral_number,
        rescheduled_by: actorLabel(staff), rescheduled_at: now, updated_at: now,
      });
      if (!moved) throw new AppError('conflict', 'This appointment was cancelled meanwhile.');
      if (email) await this.deps.outbox.enqueue(trx, this.#notice(moved, office, email, 'moved'));
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'appointment-reschedule', subject: `appointment:${row.id}`, outcome: 'allowed', purpose: sr.referral_number, traceId: traceId ?? null,
        detail: { office: office.code, from: row.slot_start, to: slot.key, mailed: email !== null },
      });
      return moved;
    });
    return appointmentView(updated, office);
  }

  /** The case's booked appointment still to come, if any (for staff who read appointments). */
  async current(actor: Actor, receiptNumber: string): Promise<AppointmentView | null> {
    this.#reader(actor);
    const row = await store.bookedOfCase(this.deps.db, receiptNumber);
    return row && row.slot_end > this.#now() ? appointmentView(row, this.#office(row.office)) : null;
  }

  /** Free slots of the next two weeks at an appointment's office, for moving it (Tier 2, office staff of that office). */
  async freeSlotsFor(actor: Actor, id: string): Promise<SlotsView['slots']> {
    const staff = this.#staffOf(actor, ['tier2'], true);
    const row = await this.#visible(staff, id);
    const office = this.#office(row.office);
    const today = localDate(this.#now(), office.timeZone);
    return this.#free(office, today, addDays(today, PANEL_DAYS - 1));
  }

  /** May this staff member move the appointment (Tier 2, office staff of its office)? */
  mayMove(actor: Actor, row: { office: string }): boolean {
    return actor.kind === 'staff' && (actor.user.role === 'tier2' || (actor.user.role === 'office' && actor.user.office === row.office));
  }

  /** A case's appointments, oldest first (the case timeline). */
  ofCase(receiptNumber: string) {
    return store.appointmentsOfCase(this.deps.db, receiptNumber);
  }

  async #free(office: OfficeCapacity, from: string, to: string) {
    const earliest = new Date(this.#clock().getTime() + this.deps.policy.minLeadHours * 3_600_000).toISOString();
    const latestDate = addDays(localDate(this.#clock().toISOString(), office.timeZone), this.deps.policy.horizonDays);
    const all = slotsOf(office, from, to < latestDate ? to : latestDate).filter((s) => s.key >= earliest);
    if (!all.length) return [];
    const taken = await store.takenSeats(this.deps.db, office.code, all[0]!.key, all[all.length - 1]!.endKey);
    return all.map((s) => ({ start: s.key, end: s.endKey, seatsLeft: office.seatsPerSlot - (taken.get(s.key) ?? 0) }))
      .filter((s) => s.seatsLeft > 0)
      .map((s) => ({ ...s, start: inZoneOf(s.start, office), end: inZoneOf(s.end, office) }));
  }

  /** The slot an instant names, if the office offers it now (its hours, not a holiday, after the lead time, within the horizon). */
  #offered(office: OfficeCapacity, input: string) {
    const key = parseInstant(typeof input === 'string' ? input : '');
    if (!key) throw validationError([{ field: 'slotStart', code: 'invalid', detail: 'An instant with its offset, like 2026-12-07T09:00:00-05:00.' }]);
    const date = localDate(key, office.timeZone);
    const slot = slotsOf(office, date, date).find((s) => s.key === key);
    const earliest = new Date(this.#clock().getTime() + this.deps.policy.minLeadHours * 3_600_000).toISOString();
    const latestDate = addDays(localDate(this.#clock().toISOString(), office.timeZone), this.deps.policy.horizonDays);
    if (!slot || slot.key < earliest || date > latestDate) throw slotNotOffered();
    return slot;
  }

  #notice(row: AppointmentRow, office: OfficeCapacity, to: string, kind: 'booked' | 'moved') {
    const lang: Lang = row.lang === 'es' ? 'es' : 'en';
    const t = translator(lang);
    const when = whenText(row.slot_start, office.timeZone, lang);
    const bring = bringList(this.deps.policy, row.reason, lang).map((b) => `- ${b}`).join('\n');
    return {
      to, lang, template: `appointment-${kind}`, subjectRef: row.id,
      subject: t(`appointments.mail.subject.${kind}`, { date: when.date, office: office.name[lang] }),
      bodyText: t('appointments.mail.body', {
        lead: t(`appointments.mail.lead.${kind}`), office: office.name[lang], address: office.address.join('\n'), date: when.date, time: when.time, zone: when.zone,
        confirmation: row.confirmation_number, receipt: row.receipt_number, reason: reasonTitle(this.deps.policy, row.reason, lang), bring,
        link: this.#rescheduleUrl(lang), phone: this.deps.agency.contactCenterPhone,
      }),
    };
  }

  #rescheduleUrl(lang: Lang): string {
    return `${this.deps.publicUrl}/service-requests/new/appointment-reschedule${lang === 'es' ? '?lang=es' : ''}`;
  }

  #reader(actor: Actor): StaffActor {
    return this.#staffOf(actor, READERS, false);
  }

  /** Staff in `roles` (or office staff when `office`); anyone else gets authorize's answer for `capability`. */
  #staffOf(actor: Actor, roles: readonly string[], office: boolean, capability: 'schedule-appointments' = 'schedule-appointments'): StaffActor {
    if (actor.kind === 'staff' && (roles.includes(actor.user.role) || (office && actor.user.role === 'office'))) return actor;
    return authorize(actor, capability);
  }

  async #find(id: string): Promise<AppointmentRow> {
    const row = typeof id === 'string' && id.length <= 100 ? await store.findAppointment(this.deps.db, id) : undefined;
    if (!row) throw new AppError('not-found', 'There is no appointment with this id.');
    return row;
  }

  /** The appointment, if this staff member may see it: office staff only their own office's (else 404). */
  async #visible(staff: StaffActor, id: string): Promise<AppointmentRow> {
    const row = await this.#find(id);
    if (staff.user.role === 'office' && staff.user.office !== row.office) throw new AppError('not-found', 'There is no appointment with this id.');
    return row;
  }

  #office(code: string): OfficeCapacity {
    const o = this.deps.policy.offices.get(code);
    if (!o) throw new AppError('unavailable', 'This appointment\'s office no longer publishes appointments.');
    return o;
  }

  #receipt(input: string): string {
    const r = parseReceiptNumber(input, this.deps.agency.receiptPrefixes);
    if (!r) throw new AppError('invalid-receipt-number', 'A receipt number is 3 letters followed by 10 digits, like EAC2590012345.');
    return r.value;
  }

  #now(): string {
    return this.#clock().toISOString();
  }
}

function applicantEmail(json: string): string | null {
  try {
    const e = (JSON.parse(json) as { email?: unknown }).email;
    return typeof e === 'string' && /^[^\s@]+@[^\s@]+$/.test(e.trim()) ? e.trim() : null;
  } catch {
    return null;
  }
}
const applicantEmailOf = (c: { applicant: string } | undefined) => (c ? applicantEmail(c.applicant) : null);
const inZoneOf = (key: string, office: OfficeCapacity) => inZoneFn(key, office.timeZone);
import { inZone as inZoneFn } from './checks.ts';
