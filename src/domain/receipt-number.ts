/**
 * Receipt numbers: 3 letters naming the filing office, then 10 ASCII digits (fiscal year, workday, sequence).
 * Input is normalised (surrounding and inner spaces and dashes removed, ASCII letters upper-cased) and then
 * checked against the configured prefixes. Only ASCII counts: full-width or Arabic-Indic digits are not digits here.
 */

export interface ReceiptNumber {
  value: string;
  prefix: string;
  /** Two-digit fiscal year (1 Oct–30 Sep). */
  fiscalYear: number;
  /** The computer workday of the fiscal year on which it was receipted. */
  workday: number;
  sequence: number;
}

// Spaces of every kind, ASCII hyphen-minus and the Unicode dashes people paste from documents.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
const SHAPE = /^([A-Z]{3})([0-9]{2})([0-9]{3})([0-9]{5})$/;

/** Normalises without validating: what the contract says to strip and upper-case. */
export function normaliseReceiptNumber(input: string): string {
  return input.replace(SEPARATORS, '').replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** Parses a receipt number, or returns null when it is not one (wrong shape or unknown prefix). */
export function parseReceiptNumber(input: unknown, prefixes: readonly string[]): ReceiptNumber | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const value = normaliseReceiptNumber(input);
  const m = SHAPE.exec(value);
  if (!m || !prefixes.includes(m[1]!)) return null;
  return { value, prefix: m[1]!, fiscalYear: Number(m[2]), workday: Number(m[3]), sequence: Number(m[4]) };
}

/** Builds a receipt number from its parts (for synthetic data). */
export function formatReceiptNumber(prefix: string, fiscalYear: number, workday: number, sequence: number): string {
  return `${prefix}${String(fiscalYear % 100).padStart(2, '0')}${String(workday).padStart(3, '0')}${String(sequence).padStart(5, '0')}`;
}
