/**
 * The pure parts of appointments: the slots an office's published hours make (in its own time zone, federal
 * holidays and closures left out), which field office serves a case, the checks of input, and the errors.
 */
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { AppError, validationError } from '../platform/errors/catalogue.ts';
import { WEEKDAYS, type AppointmentPolicy, type OfficeCapacity } from './policy.ts';
import type { AppointmentRow } from './store.ts';

export interface Slot {
  /** UTC instant, ISO with milliseconds and Z: the stored key. */
  key: string;
  endKey: string;
  /** The office's local date, YYYY-MM-DD. */
  date: string;
}

const DAY_MS = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** True when the office is open at all on this local date (not a federal holiday or one of its closures). */
export function openOn(office: OfficeCapacity, date: string): boolean {
  if (office.closures.includes(date) || office.calendar.isHoliday(date)) return false;
  const weekday = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  return (office.hours[weekday]?.length ?? 0) > 0;
}

/** Every slot of the office's local dates from `fromDate` to `toDate` (both inclusive). */
export function slotsOf(office: OfficeCapacity, fromDate: string, toDate: string): Slot[] {
  const out: Slot[] = [];
  for (let d = fromDate; d <= toDate; d = addDays(d, 1)) {
    if (!openOn(office, d)) continue;
    const weekday = WEEKDAYS[(new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7]!;
    const midnight = DateTime.fromISO(d, { zone: office.timeZone });
    for (const [a, b] of office.hours[weekday] ?? []) {
      for (let m = a; m + office.slotMinutes <= b; m += office.slotMinutes) {
        // Local wall-clock times (a daylight-saving change moves the instant, not the opening hour).
        const start = midnight.set({ hour: Math.floor(m / 60), minute: m % 60 });
        const end = start.plus({ minutes: office.slotMinutes });
        out.push({ key: start.toUTC().toISO()!, endKey: end.toUTC().toISO()!, date: d });
      }
    }
  }
  return out;
}

/** An instant written in the office's zone with its offset: "2026-12-07T09:00:00-05:00". */
export const inZone = (key: string, timeZone: string): string => DateTime.fromISO(key, { zone: 'utc' }).setZone(timeZone).toISO({ suppressMilliseconds: true })!;

/** The office's local date of an instant. */
export const localDate = (key: string, timeZone: string): string => DateTime.fromISO(key, { zone: 'utc' }).setZone(timeZone).toISODate()!;

/** An instant given with its offset (or Z) as the stored key; null when it is not one. */
export function parseInstant(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim())) return null;
  const dt = DateTime.fromISO(value.trim(), { setZone: true });
  return dt.isValid ? dt.toUTC().toISO() : null;
}

export type ServedBy = 'case-field-office' | 'applicant-state' | 'default';

/**
 * The field office that serves a case: the case's own field office when it publishes capacity; else the one the
 * applicant's state maps to (stateOffices); else the agency's default. Says which rule decided.
 */
export function servingOffice(policy: AppointmentPolicy, c: { field_office: string | null; applicant: string }): { office: OfficeCapacity; servedBy: ServedBy } {
  if (c.field_office && policy.offices.has(c.field_office)) return { office: policy.offices.get(c.field_office)!, servedBy: 'case-field-office' };
  let state: unknown = null;
  try {
    state = (JSON.parse(c.applicant) as { address?: { state?: unknown } })?.address?.state;
  } catch { /* no address */ }
  const code = typeof state === 'string' ? policy.stateOffices.get(state.trim().toUpperCase()) : undefined;
  if (code) return { office: policy.offices.get(code)!, servedBy: 'applicant-state' };
  return { office: policy.offices.get(policy.defaultOffice)!, servedBy: 'default' };
}

/** A confirmation number to read out and write down: office code and eight digits in two groups ("NYC-4821-7730"). */
export function newConfirmationNumber(office: string): string {
  const n = String(randomInt(0, 100_000_000)).padStart(8, '0');
  return `${office}-${n.slice(0, 4)}-${n.slice(4)}`;
}

export const slotNotOffered = (field = 'slotStart') => validationError([{ field, code: 'not-a-slot', detail: 'Not a free appointment slot of the serving field office: pick one from GET …/appointment-slots.' }]);

export function slotFull(): AppError {
  return new AppError('conflict', 'Every seat of this slot was just taken. Pick another slot.', { extensions: { reason: 'slot-full' } });
}

export function alreadyBooked(existing: AppointmentRow): AppError {
  return new AppError('conflict', `This case already has a booked appointment (${existing.confirmation_number}) on ${existing.slot_start}. To move it, the person files an appointment-reschedule service request.`, {
    extensions: { reason: 'already-booked', existing: { id: existing.id, confirmationNumber: existing.confirmation_number, start: existing.slot_start, office: existing.office } },
  });
}

export function checkReasonCode(policy: AppointmentPolicy, code: string): string {
  if (!policy.reasons.some((r) => r.code === code)) {
    throw validationError([{ field: 'reason', code: 'unknown-reason', detail: `One of: ${policy.reasons.map((r) => r.code).join(', ')}.` }]);
  }
  return code;
}

export function checkCancelReason(text: string, min: number, max: number): string {
  const t = (text ?? '').trim();
  if (t.length < min) throw validationError([{ field: 'reason', code: t ? 'too-short' : 'required', detail: `Say why, in at least ${min} characters.` }]);
  if (t.length > max) throw validationError([{ field: 'reason', code: 'too-long', detail: `At most ${max} characters.` }]);
  return t;
}

/** A date range of a slots query: YYYY-MM-DD both, from ≤ to, at most `maxDays` long. */
export function checkRange(from: string, to: string, maxDays: number): void {
  const re = /^\d{4}-\d{2}-\d{2}$/;
  const errors = [];
  if (!re.test(from) || Number.isNaN(Date.parse(from))) errors.push({ field: 'from', code: 'invalid', detail: 'A date, YYYY-MM-DD.' });
  if (!re.test(to) || Number.isNaN(Date.parse(to))) errors.push({ field: 'to', code: 'invalid', detail: 'A date, YYYY-MM-DD.' });
  if (errors.length) throw validationError(errors);
  if (to < from) throw validationError([{ field: 'to', code: 'before-from', detail: 'Must not come before from.' }]);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > maxDays) throw validationError([{ field: 'to', code: 'range-too-long', detail: `At most ${maxDays} days after from.` }]);
}

export { addDays };
