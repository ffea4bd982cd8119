/** The answer shapes of the appointment API and the words a person reads (dates and times in the office's zone). */
import type { Lang } from '../platform/i18n/i18n.ts';
import type { AppointmentPolicy, OfficeCapacity } from './policy.ts';
import type { AppointmentRow } from './store.ts';
import { inZone, type ServedBy } from './checks.ts';

export interface OfficeView {
  code: string;
  name: { en: string; es: string };
  timeZone: string;
  address: string[];
}

export interface SlotsView {
  receiptNumber: string;
  office: OfficeView;
  /** Which rule chose the office: the case's own field office, the applicant's state, or the agency's default. */
  servedBy: ServedBy;
  from: string;
  to: string;
  slotMinutes: number;
  slots: Array<{ start: string; end: string; seatsLeft: number }>;
}

export interface Booked {
  id: string;
  office: string;
  start: string;
  end: string;
  receiptNumber: string;
  status: 'booked';
  confirmationNumber: string;
}

export interface AppointmentView {
  id: string;
  confirmationNumber: string;
  receiptNumber: string;
  office: OfficeView;
  servedBy: string;
  start: string;
  end: string;
  reason: string;
  status: 'booked' | 'cancelled';
  lang: string;
  contactId: string | null;
  bookedAt: string;
  bookedBy: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  rescheduleReferral: string | null;
  rescheduledAt: string | null;
  previousStart: string | null;
}

export const officeView = (o: OfficeCapacity): OfficeView => ({ code: o.code, name: o.name, timeZone: o.timeZone, address: o.address });

export function appointmentView(row: AppointmentRow, office: OfficeCapacity): AppointmentView {
  const z = office.timeZone;
  return {
    id: row.id, confirmationNumber: row.confirmation_number, receiptNumber: row.receipt_number, office: officeView(office), servedBy: row.served_by,
    start: inZone(row.slot_start, z), end: inZone(row.slot_end, z), reason: row.reason, status: row.status, lang: row.lang, contactId: row.contact_id,
    bookedAt: row.booked_at, bookedBy: row.booked_by, cancelledAt: row.cancelled_at, cancelReason: row.cancel_reason,
    rescheduleReferral: row.reschedule_referral, rescheduledAt: row.rescheduled_at, previousStart: row.previous_start ? inZone(row.previous_start, z) : null,
  };
}

export const booked = (row: AppointmentRow, office: OfficeCapacity): Booked => ({
  id: row.id, office: row.office, start: inZone(row.slot_start, office.timeZone), end: inZone(row.slot_end, office.timeZone),
  receiptNumber: row.receipt_number, status: 'booked', confirmationNumber: row.confirmation_number,
});

const LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-US' };

/** A slot's day and time for a person, in the office's zone: "Monday, December 7, 2026", "9:00 AM", "EST". */
export function whenText(instant: string, timeZone: string, lang: Lang): { date: string; time: string; zone: string } {
  const d = new Date(instant);
  return {
    date: new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'full', timeZone }).format(d),
    time: new Intl.DateTimeFormat(LOCALE[lang], { timeStyle: 'short', timeZone }).format(d),
    zone: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '',
  };
}

/** What the person brings: always the notice and an ID, then what the matter needs. */
export function bringList(policy: AppointmentPolicy, reason: string, lang: Lang): string[] {
  return [...policy.alwaysBring[lang], ...(policy.reasons.find((r) => r.code === reason)?.bring[lang] ?? [])];
}

export const reasonTitle = (policy: AppointmentPolicy, reason: string, lang: Lang): string => policy.reasons.find((r) => r.code === reason)?.title[lang] ?? reason;
