/** A-numbers: "A" + 7–9 ASCII digits, stored as "A" + 9 digits, shown masked (last 4) outside the case view. */

/** Parses an A-number (with or without the leading A, spaces and dashes ignored) to its 9-digit form, or null. */
export function parseANumber(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const m = /^[Aa]?([0-9]{7,9})$/.exec(input.replace(/[\s-]/g, ''));
  return m ? `A${m[1]!.padStart(9, '0')}` : null;
}

/** The masked form shown everywhere except the case view: only the last four digits. */
export function maskANumber(aNumber: string): string {
  return `A*****${aNumber.slice(-4)}`;
}
