/**
 * CSV of the report (RFC 4180: comma separated, CRLF line ends, a field quoted when it holds a comma, a quote, CR
 * or LF, quotes doubled). No CSV library is installed, so this is by hand. A cell a spreadsheet could read as a
 * formula (starting with =, +, -, @, a tab or a CR) is neutralised with a leading single quote (OWASP's advice on
 * CSV injection); numbers are written as numbers, so a negative number is never quoted away.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet. */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One field, quoted when it must be (RFC 4180 section 2). */
export function field(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: a header row, then one row per record, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
