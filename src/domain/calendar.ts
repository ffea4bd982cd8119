/** Dates and time zones: a day means a day in a named zone (the agency's, or an office's). Pure. */
import { DateTime } from 'luxon';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  // Arithmetic rather than luxon: the case feed checks a dozen dates per record, millions of records at a time.
  if (!DATE.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

/**
 * A date (a whole day in `zone`) or an instant, as a UTC ISO instant: for a date, its first moment
 * (`edge: 'start'`) or the first moment of the next day (`edge: 'end'`, an exclusive bound). Null if unreadable.
 */
export function dateOrInstantToInstant(value: string, zone: string, edge: 'start' | 'end'): string | null {
  if (DATE.test(value)) {
    const day = DateTime.fromISO(value, { zone });
    if (!day.isValid) return null;
    return (edge === 'start' ? day : day.plus({ days: 1 })).toUTC().toISO();
  }
  const instant = DateTime.fromISO(value, { setZone: true });
  if (!instant.isValid || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value)) return null;
  return instant.toUTC().toISO();
}

/** Today's date in `zone`, as YYYY-MM-DD. */
export function todayIn(zone: string, now: Date = new Date()): string {
  return DateTime.fromJSDate(now).setZone(zone).toISODate()!;
}
