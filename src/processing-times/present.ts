/** Dates and numbers written out in the page's language (shared by the processing-time and priority-date pages). */
import type { Lang } from '../platform/i18n/i18n.ts';

const LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-US' };
const fmt = (lang: Lang, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(LOCALE[lang], { ...o, timeZone: 'UTC' });
const LONG: Record<Lang, Intl.DateTimeFormat> = { en: fmt('en', { dateStyle: 'long' }), es: fmt('es', { dateStyle: 'long' }) };
const MONTH: Record<Lang, Intl.DateTimeFormat> = { en: fmt('en', { month: 'long', year: 'numeric' }), es: fmt('es', { month: 'long', year: 'numeric' }) };
const NUMBER: Record<Lang, Intl.NumberFormat> = { en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }), es: new Intl.NumberFormat('es-US', { maximumFractionDigits: 2 }) };

/** "November 29, 2026" / "29 de noviembre de 2026". */
export const longDate = (isoDate: string, lang: Lang): string => LONG[lang].format(new Date(`${isoDate}T00:00:00Z`));

/** "November 2026" / "noviembre de 2026", from YYYY-MM. */
export const monthYear = (month: string, lang: Lang): string => MONTH[lang].format(new Date(`${month}-01T00:00:00Z`));

/** "7.5" / "7,5". */
export const number = (n: number, lang: Lang): string => NUMBER[lang].format(n);

/** The names of the months, January first, for a month <select>. */
export const monthNames = (lang: Lang): string[] =>
  Array.from({ length: 12 }, (_, i) => new Intl.DateTimeFormat(LOCALE[lang], { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2020, i, 1))));

/** A query-string value as one trimmed string ('' when absent or repeated oddly). */
export function queryValue(query: unknown, name: string): string {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim().slice(0, 200) : '';
}
