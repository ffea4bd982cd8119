/** Dates and time zones: a day means a day in a named zone (the agency's, or an office's). Pure. */
import { DateTime } from 'luxon';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  return DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
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
