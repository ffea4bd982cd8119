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

/** An instant with an offset, canonical ISO: `2024-03-10T01:59:59-05:00`, `…59.5Z`, `…59+0530`. */
const CANONICAL_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:[zZ]|([+-])(\d{2}):?(\d{2}))$/;
const OFFSET_SUFFIX = /([zZ]|[+-]\d{2}:?\d{2})$/;
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const YEAR_1000 = Date.UTC(1000, 0, 1);
const YEAR_10000 = Date.UTC(10000, 0, 1);

/** The calendar date of epoch milliseconds `ms` in `zone`, as YYYY-MM-DD (what luxon's setZone(zone).toISODate() says). */
function dateInZone(ms: number, zone: string): string | null {
  let f = dayFormats.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return null;
    }
    dayFormats.set(zone, f);
  }
  let y = '', m = '', d = '';
  for (const p of f.formatToParts(ms)) {
    if (p.type === 'year') y = p.value;
    else if (p.type === 'month') m = p.value;
    else if (p.type === 'day') d = p.value;
  }
  return y.length === 4 && m.length === 2 && d.length === 2 ? `${y}-${m}-${d}` : null;
}

/**
 * An ISO 8601 instant that names its offset (`Z` or ±HH:MM / ±HHMM), as its date in `zone` and the instant in UTC
 * (`YYYY-MM-DDTHH:mm:ss.sssZ`); null when it is not one. The canonical shape, which nearly every feed sends, is read
 * with arithmetic and Intl (a few µs); anything else (basic format, week dates, 24:00, 4-digit fractions, odd
 * offsets, years before 1000) goes to luxon, which this agrees with exactly (calendar.test.ts compares them).
 */
export function instantWithOffset(value: string, zone: string): { date: string; at: string } | null {
  const m = CANONICAL_INSTANT.exec(value);
  if (m) {
    const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]), h = Number(m[4]), mi = Number(m[5]), s = Number(m[6]);
    const sign = m[8] === '-' ? -1 : 1, oh = m[9] === undefined ? 0 : Number(m[9]), om = m[10] === undefined ? 0 : Number(m[10]);
    if (y >= 1000 && h <= 23 && mi <= 59 && s <= 59 && oh <= 18 && om <= 59 && isIsoDate(value.slice(0, 10))) {
      const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
      const epoch = Date.UTC(y, mo - 1, d, h, mi, s, ms) - sign * (oh * 60 + om) * 60_000;
      const date = epoch >= YEAR_1000 && epoch < YEAR_10000 ? dateInZone(epoch, zone) : null;
      if (date !== null) return { date, at: new Date(epoch).toISOString() };
    }
  }
  const at = DateTime.fromISO(value, { setZone: true });
  if (!at.isValid || !OFFSET_SUFFIX.test(value)) return null;
  return { date: at.setZone(zone).toISODate()!, at: at.toUTC().toISO()! };
}
