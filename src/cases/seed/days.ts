/**
 * Day arithmetic for synthetic cases, on whole-day numbers (days since 1970-01-01) for speed: a seed of
 * millions of cases works out dozens of dates each. Pure (the holiday calendar caches what it has read).
 */
import { US_FEDERAL, businessCalendar } from '../../domain/business-days.ts';

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

/**
 * The seed's calendar: U.S. federal business days (weekends, federal holidays and their observed days closed),
 * the same calendar service request due dates use (src/domain/business-days.ts). Receipts, notices and status
 * changes happen on business days only.
 */
export const SEED_CALENDAR = businessCalendar(US_FEDERAL, 'America/New_York');

/** Day numbers from 1900 to 2199 whose answer is kept in `flags` (0 not asked yet, 1 business day, 2 closed). */
const FLAGS_FROM = Date.UTC(1900, 0, 1) / DAY_MS;
const flags = new Uint8Array(Date.UTC(2200, 0, 1) / DAY_MS - FLAGS_FROM);

/** True for a business day of the seed's calendar (remembered per day: the seed asks dozens of times per case). */
export function isBusinessDay(day: number): boolean {
  const i = day - FLAGS_FROM;
  if (i < 0 || i >= flags.length) return SEED_CALENDAR.isBusinessDay(isoDate(day));
  let f = flags[i]!;
  if (f === 0) flags[i] = f = SEED_CALENDAR.isBusinessDay(isoDate(day)) ? 1 : 2;
  return f === 1;
}

/** The same day when it is a business day, else the next one. */
export function businessDayOnOrAfter(day: number): number {
  let d = day;
  while (!isBusinessDay(d)) d++;
  return d;
}

/** The same day when it is a business day, else the one before. */
export function businessDayOnOrBefore(day: number): number {
  let d = day;
  while (!isBusinessDay(d)) d--;
  return d;
}

/** The n-th business day after a day (n ≥ 1). */
export function addBusinessDays(day: number, n: number): number {
  let d = day;
  for (let left = n; left > 0;) if (isBusinessDay(++d)) left--;
  return d;
}

/** Business days from `from` to `to`, both included; 0 when `to` is before `from`. */
export function businessDaysBetween(from: number, to: number): number {
  let count = 0;
  for (let d = from; d <= to; d++) if (isBusinessDay(d)) count++;
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
 * The computer workday of the fiscal year: business days counted from 1 October through the day (1 October
 * itself is workday 1 when it is a business day). Weekends and federal holidays (observed days) are not
 * workdays; the agency's own count is not published, so this is the plausible, consistent reading.
 */
export function computerWorkday(day: number): number {
  return businessDaysBetween(fiscalYearStart(fiscalYear(day)), day);
}
