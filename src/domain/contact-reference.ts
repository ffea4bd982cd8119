/**
 * Call references: what the caller writes down at the end of a call and later gives the Ombudsman. Twelve ASCII
 * digits (keyed on a phone pad, read out in three groups of four: "4821 0937 5562"), the first 1–9, ten random from
 * the operating system's generator, and a Damm check digit that catches any one mistyped digit and any swap of two
 * neighbours. Twelve, not fifteen like a referral number: looking a call record up also needs the caller's phone
 * number, so guessing a reference alone learns nothing; and 12 is a length no other identifier has.
 */
import { randomInt } from 'node:crypto';
import { dammCheckDigit, dammValid, type Draw } from './referral-number.ts';

export function newContactReference(draw: Draw = randomInt): string {
  const body = String(draw(1e10, 1e11));
  if (!/^[1-9]\d{10}$/.test(body)) throw new RangeError('the draw left the range of 11-digit numbers');
  return body + String(dammCheckDigit(body));
}

/** The canonical reference from what a person typed (spaces and dashes dropped), or null. */
export function parseContactReference(input: string): string | null {
  const value = input.replace(/[\s-]/g, '');
  return /^[1-9]\d{11}$/.test(value) && dammValid(value) ? value : null;
}

/** Three groups of four digits, for pages, texts and mail. */
export function formatContactReference(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new RangeError('a call reference is 12 digits');
  return `${value.slice(0, 4)} ${value.slice(4, 8)} ${value.slice(8)}`;
}
