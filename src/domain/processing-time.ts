/**
 * Processing-time arithmetic (CONTRACT.md section 7): the nearest-rank 80th percentile of receipt-to-decision
 * days, expressed in months of 30.4375 days; the inquiry receipt date; whether a case is outside normal time.
 */
import { DateTime } from 'luxon';

export const DAYS_PER_MONTH = 30.4375;
/** A figure is computed only from at least this many decisions in the window. */
export const MIN_DECISIONS = 10;
/** Without a figure, a case may be asked about after this many months. */
export const DEFAULT_MONTHS = 6;
/** The look-back window for computed figures, in months. */
export const WINDOW_MONTHS = 6;

/** Nearest-rank percentile of `values` (any order): the ceil(p·n)-th smallest. */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Days to months, rounded to one decimal. */
export const daysToMonths = (days: number): number => Math.round((days / DAYS_PER_MONTH) * 10) / 10;

/** The 80th-percentile figure in months from decision durations in days, or null when there are too few. */
export function months80FromDurations(days: readonly number[]): number | null {
  return days.length >= MIN_DECISIONS ? daysToMonths(nearestRank(days, 0.8)) : null;
}

/** Whole days from one date to another (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  // Date.parse reads YYYY-MM-DD as UTC midnight; plain arithmetic, as the case feed calls this per record.
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** A date plus (or minus) whole days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** The window's first decision date: decisions on or after it count. */
export function windowStart(today: string): string {
  return DateTime.fromISO(today, { zone: 'UTC' }).minus({ months: WINDOW_MONTHS }).toISODate()!;
}

/** Today minus months80 × 30.4375 days, rounded down to a date. */
export function inquiryReceiptDate(today: string, months80: number): string {
  return addDays(today, -Math.ceil(months80 * DAYS_PER_MONTH - 1e-9));
}

/** The first date a case received on `received` is outside normal processing time. */
export function earliestInquiryDate(received: string, months80: number): string {
  return addDays(received, Math.ceil(months80 * DAYS_PER_MONTH - 1e-9) + 1);
}

/** A pending case is outside when received before the inquiry receipt date; a decided case never is. */
export function isOutsideNormalTime(received: string, decided: boolean, today: string, months80: number): boolean {
  return !decided && received < inquiryReceiptDate(today, months80);
}

/** Where a figure comes from: published by the agency, computed from recent decisions, or the default. */
export type Basis = 'published' | 'computed' | 'default';

/** A published figure: months80 and the date the agency says it is as of. */
export interface PublishedFigure {
  formCategory: string;
  months80: number;
  asOf: string;
}

/**
 * The published row that applies to a category: an exact category row beats a row without category ('').
 * With no category asked (null), only a row without category applies.
 */
export function applicablePublished<T extends PublishedFigure>(rows: readonly T[], category: string | null): T | null {
  const exact = category ? rows.find((r) => r.formCategory === category) : undefined;
  return exact ?? rows.find((r) => r.formCategory === '') ?? null;
}

/** The figure that applies: published beats computed beats the default. asOf is the published date, else today. */
export function chooseFigure(published: PublishedFigure | null, computed: number | null, today: string): { months80: number; basis: Basis; asOf: string } {
  if (published) return { months80: published.months80, basis: 'published', asOf: published.asOf };
  if (computed !== null) return { months80: computed, basis: 'computed', asOf: today };
  return { months80: DEFAULT_MONTHS, basis: 'default', asOf: today };
}
