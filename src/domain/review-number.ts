/**
 * Call review numbers: what the Ombudsman quotes to the agency and to the person. Ten ASCII digits, the first 1–9,
 * eight random, and a Damm check digit; a length no other identifier here has (call references 12, referral
 * numbers 15, receipt numbers 3+10).
 */
import { randomInt } from 'node:crypto';
import { dammCheckDigit, dammValid, type Draw } from './referral-number.ts';

export function newReviewNumber(draw: Draw = randomInt): string {
  const body = String(draw(1e8, 1e9));
  if (!/^[1-9]\d{8}$/.test(body)) throw new RangeError('the draw left the range of 9-digit numbers');
  return body + String(dammCheckDigit(body));
}

/** The canonical number from what a person typed (spaces and dashes dropped), or null. */
export function parseReviewNumber(input: string): string | null {
  const value = input.replace(/[\s-]/g, '');
  return /^[1-9]\d{9}$/.test(value) && dammValid(value) ? value : null;
}
