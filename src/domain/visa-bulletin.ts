/** The visa bulletin: two charts of cut-off cells, and whether a priority date is current. Pure. */
import { isIsoDate } from './calendar.ts';

export const BULLETIN_CATEGORIES = ['F1', 'F2A', 'F2B', 'F3', 'F4', 'EB1', 'EB2', 'EB3', 'EW', 'EB4', 'EB5'] as const;
export const CHARGEABILITIES = ['ALL', 'CHINA', 'INDIA', 'MEXICO', 'PHILIPPINES'] as const;
export const CHARTS = ['final-action', 'dates-for-filing'] as const;
export type Chart = (typeof CHARTS)[number];

/** A cell: a cut-off date, "C" (current) or "U" (unavailable). */
export type Cell = string;
export type ChartTable = Record<string, Record<string, Cell>>;

export interface Bulletin {
  month: string;
  finalActionDates: ChartTable;
  datesForFiling: ChartTable;
}

export const isCell = (v: unknown): v is Cell => v === 'C' || v === 'U' || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v));

/** The cell for a category and chargeability; a missing chargeability falls back to ALL. Null when the row is absent. */
export function cellFor(table: ChartTable, category: string, chargeability: string): Cell | null {
  const row = table[category.toUpperCase()];
  if (!row) return null;
  return row[chargeability.toUpperCase()] ?? row.ALL ?? null;
}

/** Current means the cell is C, or the priority date is earlier than the cell's date. U is never current. */
export function isCurrent(priorityDate: string, cell: Cell): boolean {
  if (cell === 'C') return true;
  if (cell === 'U') return false;
  return priorityDate < cell;
}

/** The bulletin that applies on `today`: this month's, else the latest published before it, else the latest. */
export function applicableMonth(months: readonly string[], today: string): string | null {
  const current = today.slice(0, 7);
  const sorted = [...months].sort();
  if (sorted.includes(current)) return current;
  const earlier = sorted.filter((m) => m < current);
  return earlier.at(-1) ?? sorted.at(-1) ?? null;
}

/** A bulletin month, YYYY-MM. */
export const isBulletinMonth = (v: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(v);

/** A category as people write it ("eb-2", "F2A ") to the bulletin's row name ("EB2"), or null when it is not one. */
export function normaliseCategory(input: string): string | null {
  const c = input.replace(/[\s\-_]/g, '').toUpperCase();
  return (BULLETIN_CATEGORIES as readonly string[]).includes(c) ? c : null;
}

/** A chargeability column name: upper case, single spaces ("El  Salvador" → "EL SALVADOR"); null when empty or not a name. */
export function normaliseChargeability(input: string): string | null {
  const c = input.trim().replace(/\s+/g, ' ').toUpperCase();
  return /^[A-Z][A-Z .,'()&-]{0,59}$/.test(c) ? c : null;
}

/** The cell for a category and chargeability, and the column it came from (ALL when the chargeability has none). */
export function lookupCell(table: ChartTable, category: string, chargeability: string): { cell: Cell; column: string } | null {
  const row = table[category];
  if (!row) return null;
  if (row[chargeability] !== undefined) return { cell: row[chargeability]!, column: chargeability };
  return row.ALL !== undefined ? { cell: row.ALL, column: 'ALL' } : null;
}

/** One problem with a published chart, named by its path (`finalActionDates.F2A.MEXICO`). */
export interface ChartProblem {
  field: string;
  code: 'unknown-category' | 'invalid-chargeability' | 'invalid-cell' | 'required' | 'duplicate';
  detail: string;
}

/**
 * Checks and normalises one chart as sent: known categories (written "EB-2" or "EB2"), chargeability names,
 * cells that are a real date, "C" or "U", and an ALL column in every row (the fallback for other countries).
 */
export function checkChart(raw: Record<string, Record<string, string>>, name: string): { table: ChartTable; problems: ChartProblem[] } {
  const table: ChartTable = {};
  const problems: ChartProblem[] = [];
  for (const [rawCategory, rawRow] of Object.entries(raw)) {
    const category = normaliseCategory(rawCategory);
    const at = `${name}.${rawCategory}`;
    if (!category) {
      problems.push({ field: at, code: 'unknown-category', detail: `Use one of: ${BULLETIN_CATEGORIES.join(', ')}.` });
      continue;
    }
    if (table[category]) {
      problems.push({ field: at, code: 'duplicate', detail: `${category} is given twice.` });
      continue;
    }
    const row: Record<string, Cell> = {};
    for (const [rawColumn, value] of Object.entries(rawRow)) {
      const column = normaliseChargeability(rawColumn);
      const cellAt = `${at}.${rawColumn}`;
      if (!column) problems.push({ field: cellAt, code: 'invalid-chargeability', detail: 'A chargeability is a country or area name, like ALL, CHINA or EL SALVADOR.' });
      else if (row[column] !== undefined) problems.push({ field: cellAt, code: 'duplicate', detail: `${column} is given twice in ${category}.` });
      else if (!isCell(value) || (value !== 'C' && value !== 'U' && !isIsoDate(value))) problems.push({ field: cellAt, code: 'invalid-cell', detail: 'A cell is a date (YYYY-MM-DD), "C" (current) or "U" (unavailable).' });
      else row[column] = value;
    }
    if (row.ALL === undefined && !Object.keys(rawRow).some((k) => normaliseChargeability(k) === 'ALL')) {
      problems.push({ field: `${at}.ALL`, code: 'required', detail: 'Every row needs an ALL cell: it applies to every country without a column of its own.' });
    }
    table[category] = row;
  }
  return { table, problems };
}

const BULLETIN_MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A cell as a person types it into the admin form, read into the chart's spelling: "c" → "C", and the bulletin's
 * own date style "08FEB24" (or "08-FEB-24") → "2024-02-08", its two-digit year taken as the latest year not after
 * the bulletin's (cut-offs are never later than their bulletin). Anything else comes back trimmed, unchanged, for
 * checkChart to refuse with the cell's name.
 */
export function readCellInput(input: string, bulletinMonth: string): string {
  const s = input.trim().toUpperCase();
  if (s === 'C' || s === 'U') return s;
  const m = /^(\d{2})-?([A-Z]{3})-?(\d{2})$/.exec(s.replace(/\s+/g, ''));
  const month = m ? BULLETIN_MONTHS.indexOf(m[2]!) + 1 : 0;
  if (!m || month === 0) return input.trim();
  const bulletinYear = Number(bulletinMonth.slice(0, 4));
  const yy = Number(m[3]);
  const century = Math.floor(bulletinYear / 100) * 100;
  const year = century + yy <= bulletinYear ? century + yy : century - 100 + yy;
  const iso = `${year}-${String(month).padStart(2, '0')}-${m[1]}`;
  return isIsoDate(iso) ? iso : input.trim();
}
