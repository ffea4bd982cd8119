/**
 * Service request referral numbers: 15 ASCII digits, written in three groups of five ("31415 92653 58979")
 * so they can be read out on a call and keyed on a phone pad. The first digit is 1–9, the next 13 are drawn
 * from the operating system's cryptographic generator, and the last is a Damm check digit, which catches every
 * single mistyped digit and every swap of two neighbouring digits before anything is looked up.
 *
 * Why 15 digits, not the 8-digit "service item number" of today (DOMAIN.md; CONTRACT.md leaves the format
 * open): the number is quoted to prove who is calling back and cited to the Ombudsman, so knowing a valid
 * one must be rare. Assume 2 million requests a year kept 10 years: N = 2·10^7. Eight digits with a check
 * digit leave 10^7 numbers, fewer than N: the space would be full, every guess a hit. Fifteen digits leave
 * 9·10^13 valid numbers: a density of N / 9·10^13 ≈ 2·10^-7, so a client at the public limit of 60 guesses
 * a minute (86,400 a day) finds one existing number in about 52 days, and then only learns a status and due
 * date if it also holds the matching receipt number. Nine in ten keyed numbers fail the check digit and are
 * refused without a database read. Fifteen digits is also the most a spreadsheet keeps exactly, and a
 * length no other identifier has (receipt 3+10, A-number A+9, service item 8, online account 12).
 */
import { randomInt } from 'node:crypto';

export const REFERRAL_DIGITS = 15;
/** How many valid referral numbers exist: 9·10^13 (first digit 1–9, 13 random digits, one check digit). */
export const REFERRAL_SPACE = 9e13;

/** Damm's quasigroup of order 10 (H. M. Damm, 2004), the table of the published algorithm. */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** The Damm check digit of a string of ASCII digits (appending it makes dammValid true). */
export function dammCheckDigit(digits: string): number {
  if (!/^\d*$/.test(digits)) throw new RangeError('digits only');
  let interim = 0;
  for (const c of digits) interim = DAMM[interim]![c.charCodeAt(0) - 48]!;
  return interim;
}

/** True when a string of digits ends in its Damm check digit. */
export const dammValid = (digits: string): boolean => /^\d+$/.test(digits) && dammCheckDigit(digits) === 0;

/** Draws a whole number in [min, max): crypto.randomInt by default; tests pass their own. */
export type Draw = (min: number, max: number) => number;

/** A new referral number (canonical: 15 digits, no spaces). Unguessable; the store still checks it is unused. */
export function newReferralNumber(draw: Draw = randomInt): string {
  // 14 digits, the first 1–9: randomInt's range must stay below 2^48 (2.8·10^14), and 9·10^13 does.
  const body = String(draw(1e13, 1e14));
  if (!/^[1-9]\d{13}$/.test(body)) throw new RangeError('the draw left the range of 14-digit numbers');
  return body + String(dammCheckDigit(body));
}

export type ParsedReferral = { ok: true; value: string } | { ok: false; reason: 'format' | 'check-digit' };

/**
 * Reads a referral number as a person types or says it: spaces and dashes are dropped. `format` when it is
 * not 15 ASCII digits starting 1–9 (an 8-digit service item number of the old system is not ours);
 * `check-digit` when a digit was mistyped or two were swapped.
 */
export function parseReferralNumber(input: string): ParsedReferral {
  const value = input.replace(/[\s-]/g, '');
  if (!/^[1-9]\d{14}$/.test(value)) return { ok: false, reason: 'format' };
  return dammValid(value) ? { ok: true, value } : { ok: false, reason: 'check-digit' };
}

/** Three groups of five digits, for pages, letters and mail ("31415 92653 58979"). */
export function formatReferralNumber(value: string): string {
  if (!/^\d{15}$/.test(value)) throw new RangeError('a referral number is 15 digits');
  return `${value.slice(0, 5)} ${value.slice(5, 10)} ${value.slice(10)}`;
}
