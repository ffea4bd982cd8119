/** Dates and numbers written out in a page's language, with Intl (no month tables of our own). */
import type { Lang } from './i18n.ts';

const LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-US' };
const fmt = (lang: Lang, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(LOCALE[lang], { ...o, timeZone: 'UTC' });
const LONG_DATE: Record<Lang, Intl.DateTimeFormat> = { en: fmt('en', { year: 'numeric', month: 'long', day: 'numeric' }), es: fmt('es', { year: 'numeric', month: 'long', day: 'numeric' }) };
const MONTH: Record<Lang, Intl.DateTimeFormat> = { en: fmt('en', { month: 'long', year: 'numeric' }), es: fmt('es', { month: 'long', year: 'numeric' }) };
const NUMBER: Record<Lang, Intl.NumberFormat> = { en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }), es: new Intl.NumberFormat('es-US', { maximumFractionDigits: 2 }) };

// Written-out dates are remembered: cases share a few thousand distinct dates, and Intl formatting is the
// costliest step of presenting a case.
const writtenDates = new Map<string, string>();

/** A calendar date (YYYY-MM-DD) written out: "September 5, 2023" / "5 de septiembre de 2023". */
export function longDate(isoDate: string, lang: Lang): string {
  const key = lang + isoDate;
  let text = writtenDates.get(key);
  if (text === undefined) {
    text = LONG_DATE[lang].format(new Date(`${isoDate}T00:00:00Z`));
    if (writtenDates.size >= 20_000) writtenDates.clear();
    writtenDates.set(key, text);
  }
  return text;
}

/** "November 2026" / "noviembre de 2026", from YYYY-MM. */
export const monthYear = (month: string, lang: Lang): string => MONTH[lang].format(new Date(`${month}-01T00:00:00Z`));

/** "7.5" / "7,5". */
export const number = (n: number, lang: Lang): string => NUMBER[lang].format(n);

/** The names of the months, January first, for a month <select>. */
export const monthNames = (lang: Lang): string[] =>
  Array.from({ length: 12 }, (_, i) => new Intl.DateTimeFormat(LOCALE[lang], { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2020, i, 1))));

/** An instant written out in a zone with its abbreviation: "December 2, 2026 at 3:04 PM EST" / "2 de diciembre de 2026, 15:04 EST". */
export function longDateTime(instant: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(instant))
    + ' ' + (new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? '');
}
