/**
 * Day arithmetic for synthetic cases, on whole-day numbers (days since 1970-01-01) for speed: a seed of
 * millions of cases works out dozens of dates each. Pure.
 */

const DAY_MS = 86_400_000;

/** The day number of a YYYY-MM-DD date. */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

const isoCache = new Map<number, string>();

/** The YYYY-MM-DD date of a day number (remembered: a seed names the same few thousand days millions of times). */
export function isoDate(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoCache.size < 100_000) isoCache.set(day, iso);
  }
  return iso;
}

/** 0 = Sunday … 6 = Saturday (day 0, 1970-01-01, was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export const isWeekday = (day: number): boolean => { const w = weekday(day); return w !== 0 && w !== 6; };

/** The same day when it is a weekday, else the Monday after. */
export function weekdayOnOrAfter(day: number): number {
  const w = weekday(day);
  return w === 6 ? day + 2 : w === 0 ? day + 1 : day;
}

/** The same day when it is a weekday, else the Friday before. */
export function weekdayOnOrBefore(day: number): number {
  const w = weekday(day);
  return w === 6 ? day - 1 : w === 0 ? day - 2 : day;
}

/** The n-th weekday after a day (n ≥ 1). */
export function addWeekdays(day: number, n: number): number {
  let d = day;
  for (let left = n; left > 0;) if (isWeekday(++d)) left--;
  return d;
}

/** Weekdays (Monday–Friday) from `from` to `to`, both included; 0 when `to` is before `from`. */
export function weekdaysBetween(from: number, to: number): number {
  if (to < from) return 0;
  const days = to - from + 1;
  let count = Math.floor(days / 7) * 5;
  for (let d = from + Math.floor(days / 7) * 7; d <= to; d++) if (isWeekday(d)) count++;
  return count;
}

/** The fiscal year (1 October–30 September, named by the year it ends in) of a day. */
export function fiscalYear(day: number): number {
  const date = new Date(day * DAY_MS);
  return date.getUTCMonth() >= 9 ? date.getUTCFullYear() + 1 : date.getUTCFullYear();
}

/** 1 October that starts a fiscal year. */
export const fiscalYearStart = (fy: number): number => Date.UTC(fy - 1, 9, 1) / DAY_MS;

/**
 * The computer workday of the fiscal year: weekdays counted from 1 October through the day (1 October itself is
 * workday 1 when it is a weekday). Federal holidays are counted as workdays: the agency's own count is not
 * published, and the receipt-number shape only needs a plausible, consistent number.
 */
export function computerWorkday(day: number): number {
  return weekdaysBetween(fiscalYearStart(fiscalYear(day)), day);
}
