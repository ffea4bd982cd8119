/**
 * Pure checks of the contact center report: the period asked for (from/to dates in the agency's time zone, `to`
 * included, or a federal fiscal year; by default the current fiscal year to date), shares and the median.
 */
import { DateTime } from 'luxon';
import { isIsoDate } from '../domain/calendar.ts';
import { validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { FISCAL_YEAR_START_MONTH, MAX_PERIOD_DAYS, SHARE_DECIMALS } from './policy.ts';

export interface Period {
  /** First day, YYYY-MM-DD in the agency's time zone. */
  from: string;
  /** Last day, included. */
  to: string;
  /** The fiscal year when the period is exactly one (asked for by `fiscalYear`, or from/to matching one). */
  fiscalYear: number | null;
}

export interface PeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
  fiscalYear?: string | number | undefined;
}

/** The fiscal year a date falls in: 2025-10-01 … 2026-09-30 is FY2026. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= FISCAL_YEAR_START_MONTH ? year + 1 : year;
}

/** The first and last day of a fiscal year. */
export function fiscalYearBounds(fy: number): { from: string; to: string } {
  const start = DateTime.fromObject({ year: fy - 1, month: FISCAL_YEAR_START_MONTH, day: 1 }, { zone: 'UTC' });
  return { from: start.toISODate()!, to: start.plus({ years: 1 }).minus({ days: 1 }).toISODate()! };
}

function fiscalYearMatching(from: string, to: string): number | null {
  const fy = fiscalYearOf(from);
  const b = fiscalYearBounds(fy);
  return b.from === from && b.to === to ? fy : null;
}

/**
 * The period of a report. `fiscalYear` alone: that year. `from`/`to`: those days (`to` defaults to today, `from` to
 * the start of the fiscal year `to` falls in). Neither: the current fiscal year to date. 400 with each bad field.
 */
export function parsePeriod(q: PeriodQuery, today: string): Period {
  const errors: FieldError[] = [];
  const given = (v: unknown) => v !== undefined && v !== '';
  if (given(q.fiscalYear)) {
    const s = String(q.fiscalYear);
    if (given(q.from) || given(q.to)) errors.push({ field: 'fiscalYear', code: 'conflict', detail: 'Ask for a fiscal year or for from/to dates, not both.' });
    if (!/^\d{4}$/.test(s) || Number(s) < 1990 || Number(s) > 2200) errors.push({ field: 'fiscalYear', code: 'invalid', detail: 'A federal fiscal year, e.g. 2026 (1 October 2025 to 30 September 2026).' });
    if (errors.length) throw validationError(errors);
    return { ...fiscalYearBounds(Number(s)), fiscalYear: Number(s) };
  }
  if (given(q.from) && !isIsoDate(q.from!)) errors.push({ field: 'from', code: 'invalid-date', detail: 'The first day, YYYY-MM-DD.' });
  if (given(q.to) && !isIsoDate(q.to!)) errors.push({ field: 'to', code: 'invalid-date', detail: 'The last day (included), YYYY-MM-DD.' });
  if (errors.length) throw validationError(errors);
  const to = given(q.to) ? q.to! : today;
  const from = given(q.from) ? q.from! : fiscalYearBounds(fiscalYearOf(to)).from;
  if (from > to) throw validationError([{ field: 'from', code: 'after-to', detail: 'The first day is after the last day.' }]);
  const days = DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days + 1;
  if (days > MAX_PERIOD_DAYS) throw validationError([{ field: 'from', code: 'too-long', detail: `A report covers at most ${MAX_PERIOD_DAYS} days.` }]);
  return { from, to, fiscalYear: fiscalYearMatching(from, to) };
}

/** part / whole to SHARE_DECIMALS places; null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  if (whole === 0) return null;
  const f = 10 ** SHARE_DECIMALS;
  return Math.round((part / whole) * f) / f;
}

/** The median of values given as (value, how many) pairs; the mean of the two middle ones for an even count; null when empty. */
export function weightedMedian(groups: ReadonlyArray<{ value: number; n: number }>): number | null {
  const sorted = groups.filter((g) => g.n > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, g) => s + g.n, 0);
  if (total === 0) return null;
  const at = (k: number): number => { // the k-th value (0-based) in order
    let seen = 0;
    for (const g of sorted) { seen += g.n; if (k < seen) return g.value; }
    return sorted[sorted.length - 1]!.value;
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}
