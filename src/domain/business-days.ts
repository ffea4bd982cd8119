/**
 * Business days of an office's calendar: weekends and public holidays (with their observed days) are not
 * business days. The holidays come from the maintained `date-holidays` library, chosen by data (country,
 * region, holiday types), so another agency changes its reference data, not this code. The time zone turns an
 * instant into the office's civil date. Pure apart from a per-year cache of holiday sets (the library takes
 * ~12 ms to list a year; due dates and the case seed ask millions of times).
 */
import Holidays, { type HolidaysTypes } from 'date-holidays';
import { DateTime } from 'luxon';
import { isIsoDate } from './calendar.ts';

/** Which days an office keeps closed, as reference data. */
export interface CalendarSpec {
  /** ISO 3166-1 country code that date-holidays knows, e.g. "US". */
  country: string;
  /** A state or province of that country whose own holidays also count; absent or null for national only. */
  region?: string | null;
  /**
   * date-holidays holiday types that close the office. For U.S. federal offices `public` and `bank`: in
   * date-holidays 3.37 the observed Veterans Day (Fri 2028-11-10 for Sat 2028-11-11) is typed `bank`
   * ("Federal Government offices are closed"); every other federal holiday and observed day is `public`.
   */
  holidayTypes: readonly string[];
  /** Further closed days the library cannot know (e.g. a closure by executive order), YYYY-MM-DD. */
  closures?: readonly string[];
}

/** The most business days one call may count forward (ten years): a bound, so bad data cannot spin a loop. */
export const MAX_BUSINESS_DAYS = 2_600;

const DAY_MS = 86_400_000;
/** Dates remembered per calendar (about 270 years of days). */
const MEMO_SIZE = 100_000;

/** The holiday types date-holidays uses. */
export const HOLIDAY_TYPES: ReadonlySet<string> = new Set(['public', 'bank', 'school', 'optional', 'observance']);
const countries = new Holidays().getCountries();

/** Holiday dates (YYYY-MM-DD) per calendar (country|region|types) and year, shared by every zone using it. */
interface HolidayCache {
  readonly lib: Holidays;
  /** The library's yearly lists already read. */
  readonly listed: Set<number>;
  /** Holiday dates by the year they fall in (a list may name a day of the year before: 2027-12-31 for 2028). */
  readonly byYear: Map<number, Set<string>>;
}
const caches = new Map<string, HolidayCache>();

function holidayCache(spec: CalendarSpec): HolidayCache {
  const types = [...new Set(spec.holidayTypes)].sort();
  const key = `${spec.country}|${spec.region ?? ''}|${types.join(',')}`;
  let cache = caches.get(key);
  if (!cache) {
    const options = { types: types as HolidaysTypes.HolidayType[] };
    const lib = spec.region ? new Holidays(spec.country, spec.region, options) : new Holidays(spec.country, options);
    cache = { lib, listed: new Set(), byYear: new Map() };
    caches.set(key, cache);
  }
  return cache;
}

function readList(cache: HolidayCache, year: number): void {
  if (cache.listed.has(year)) return;
  cache.listed.add(year);
  for (const h of cache.lib.getHolidays(year)) {
    const date = h.date.slice(0, 10);
    const y = Number(date.slice(0, 4));
    let set = cache.byYear.get(y);
    if (!set) cache.byYear.set(y, (set = new Set()));
    set.add(date);
  }
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) throw new RangeError('not a date (YYYY-MM-DD)');
}

/** The date `days` days after `date` (before, when negative). */
function shift(date: string, days: number): string {
  if (days === 1 || days === -1) {
    // Counting business days steps one day at a time, over the same few thousand dates: remember each step.
    const steps = days === 1 ? nextDays : previousDays;
    let d = steps.get(date);
    if (d === undefined) {
      d = new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
      if (steps.size >= MEMO_SIZE) steps.clear();
      steps.set(date, d);
    }
    return d;
  }
  return new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
}
const nextDays = new Map<string, string>();
const previousDays = new Map<string, string>();

/** 0 = Sunday … 6 = Saturday. */
const weekday = (date: string): number => new Date(Date.parse(date)).getUTCDay();

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BUSINESS_DAYS) throw new RangeError(`a count of business days is a whole number from 1 to ${MAX_BUSINESS_DAYS}`);
}

/** One office's business-day calendar: its closed days and its time zone. */
export class BusinessCalendar {
  readonly timeZone: string;
  readonly #cache: HolidayCache;
  readonly #closures: ReadonlySet<string>;
  /** Answers already worked out, by date (only real dates get here); emptied when it grows past MEMO_SIZE. */
  readonly #memo = new Map<string, boolean>();
  /** The last local day dateAt answered, as [start, end) in epoch milliseconds. */
  #day: { date: string; start: number; end: number } | null = null;

  /** RangeError for a country or region date-holidays does not know, an unknown type, a bad closure or zone. */
  constructor(spec: CalendarSpec, timeZone: string) {
    if (!Object.hasOwn(countries, spec.country)) throw new RangeError(`unknown holiday country: ${spec.country}`);
    if (spec.region && !Object.hasOwn(new Holidays().getStates(spec.country) ?? {}, spec.region)) {
      throw new RangeError(`unknown holiday region: ${spec.country}-${spec.region}`);
    }
    if (spec.holidayTypes.length === 0 || spec.holidayTypes.some((t) => !HOLIDAY_TYPES.has(t))) {
      throw new RangeError(`holiday types are some of ${[...HOLIDAY_TYPES].join(', ')}`);
    }
    for (const c of spec.closures ?? []) checkDate(c);
    new Intl.DateTimeFormat('en-US', { timeZone }); // RangeError for a zone Intl does not know
    this.timeZone = timeZone;
    this.#cache = holidayCache(spec);
    this.#closures = new Set(spec.closures ?? []);
  }

  /** The closed holidays (and closures) of a calendar year, sorted; weekends are not listed. */
  holidays(year: number): string[] {
    if (!Number.isInteger(year)) throw new RangeError('a year is a whole number');
    readList(this.#cache, year);
    readList(this.#cache, year + 1);
    const days = new Set(this.#cache.byYear.get(year));
    for (const c of this.#closures) if (c.startsWith(`${year}-`)) days.add(c);
    return [...days].sort();
  }

  /** True when the office is closed for a holiday (or a closure) on `date`, whatever the weekday. */
  isHoliday(date: string): boolean {
    checkDate(date);
    return this.#closed(date);
  }

  /** True for a weekday that is not a holiday. RangeError for anything but a real YYYY-MM-DD date. */
  isBusinessDay(date: string): boolean {
    const known = this.#memo.get(date);
    if (known !== undefined) return known;
    checkDate(date);
    return this.#open(date);
  }

  /** The n-th business day after `date` (n ≥ 1; `date` itself never counts, whatever day it is). */
  addBusinessDays(date: string, n: number): string {
    checkDate(date);
    checkCount(n);
    let d = date;
    for (let left = n; left > 0;) {
      d = shift(d, 1);
      if (this.#open(d)) left--;
    }
    return d;
  }

  /** `date` when it is a business day, else the next one. */
  onOrAfter(date: string): string {
    checkDate(date);
    let d = date;
    while (!this.#open(d)) d = shift(d, 1);
    return d;
  }

  /** `date` when it is a business day, else the one before. */
  onOrBefore(date: string): string {
    checkDate(date);
    let d = date;
    while (!this.#open(d)) d = shift(d, -1);
    return d;
  }

  /** Business days from `from` to `to`, both included; 0 when `to` is before `from`. */
  businessDaysBetween(from: string, to: string): number {
    checkDate(from);
    checkDate(to);
    let count = 0;
    for (let d = from; d <= to; d = shift(d, 1)) if (this.#open(d)) count++;
    return count;
  }

  /** The office's civil date (YYYY-MM-DD) at an instant. */
  dateAt(instant: Date): string {
    const ms = instant.getTime();
    if (Number.isNaN(ms)) throw new RangeError('not an instant');
    // The office's current day is asked for again and again (every request made today): remember its bounds.
    const day = this.#day;
    if (day && ms >= day.start && ms < day.end) return day.date;
    const local = DateTime.fromMillis(ms, { zone: this.timeZone }).startOf('day');
    this.#day = { date: local.toISODate()!, start: local.toMillis(), end: local.plus({ days: 1 }).toMillis() };
    return this.#day.date;
  }

  /** The n-th business day after the office's date at `instant`: a due date (CONTRACT.md section 10). */
  dueDate(instant: Date, n: number): string {
    return this.addBusinessDays(this.dateAt(instant), n);
  }

  #open(date: string): boolean {
    let open = this.#memo.get(date);
    if (open === undefined) {
      const w = weekday(date);
      open = w !== 0 && w !== 6 && !this.#closed(date);
      if (this.#memo.size >= MEMO_SIZE) this.#memo.clear();
      this.#memo.set(date, open);
    }
    return open;
  }

  #closed(date: string): boolean {
    if (this.#closures.has(date)) return true;
    const year = Number(date.slice(0, 4));
    readList(this.#cache, year);
    readList(this.#cache, year + 1);
    return this.#cache.byYear.get(year)?.has(date) === true;
  }
}

const calendars = new Map<string, BusinessCalendar>();

/** A calendar for a spec and zone, built once (offices sharing a calendar and zone share the object). */
export function businessCalendar(spec: CalendarSpec, timeZone: string): BusinessCalendar {
  const key = JSON.stringify([spec.country, spec.region ?? null, [...spec.holidayTypes].sort(), [...(spec.closures ?? [])].sort(), timeZone]);
  let calendar = calendars.get(key);
  if (!calendar) calendars.set(key, (calendar = new BusinessCalendar(spec, timeZone)));
  return calendar;
}

/** U.S. federal offices: the federal holidays and their observed days (see CalendarSpec.holidayTypes). */
export const US_FEDERAL: CalendarSpec = Object.freeze({ country: 'US', region: null, holidayTypes: Object.freeze(['public', 'bank']) });
