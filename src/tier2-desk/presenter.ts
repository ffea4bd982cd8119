/**
 * How the Tier 2 desk writes times for people: a due time in the agency's time zone, how far away it is or how
 * late it already is ("in 2 days, 3 hours" / "overdue by 5 hours"), in English or Spanish, with Intl. Pure.
 */
import type { Lang } from '../platform/i18n/i18n.ts';
import { longDateTime } from '../platform/i18n/format.ts';

const LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-US' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'day' | 'hour' | 'minute';

const unit = (n: number, u: Unit, lang: Lang) => new Intl.NumberFormat(LOCALE[lang], { style: 'unit', unit: u, unitDisplay: 'long' }).format(n);

/**
 * A length of time in words, at most two units, rounded down: "2 days, 3 hours", "5 hours, 10 minutes",
 * "4 minutes"; under a minute is "less than a minute" (the caller's translation).
 */
export function durationWords(ms: number, lang: Lang, lessThanAMinute: string): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return lessThanAMinute;
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const parts: string[] = [];
  if (days > 0) {
    parts.push(unit(days, 'day', lang));
    if (hours > 0) parts.push(unit(hours, 'hour', lang));
  } else if (hours > 0) {
    parts.push(unit(hours, 'hour', lang));
    if (minutes > 0) parts.push(unit(minutes, 'minute', lang));
  } else {
    parts.push(unit(minutes, 'minute', lang));
  }
  return new Intl.ListFormat(LOCALE[lang], { style: 'long', type: 'unit' }).format(parts);
}

export interface DueText {
  /** "December 4, 2026 at 3:04 PM EST", in the agency's zone. */
  at: string;
  /** How far away or how late, in words ("2 days, 3 hours"). */
  distance: string;
  /** True when the due time has passed. */
  late: boolean;
}

/** A due instant for a person: when, in the agency's zone, and how far from `now` in words. */
export function dueText(dueAt: string, now: Date, lang: Lang, timeZone: string, lessThanAMinute: string): DueText {
  const ms = Date.parse(dueAt) - now.getTime();
  return { at: longDateTime(dueAt, lang, timeZone), distance: durationWords(ms, lang, lessThanAMinute), late: ms < 0 };
}

/** An instant in the agency's zone ("December 2, 2026 at 9:05 AM EST"). */
export const instantText = (iso: string, lang: Lang, timeZone: string): string => longDateTime(iso, lang, timeZone);

/** A stored E.164 US number as people read it: "+12025550143" → "(202) 555-0143"; anything else unchanged. */
export function phoneText(e164: string | null): string {
  if (!e164) return '';
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}
