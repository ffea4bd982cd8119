/** The visa bulletin: two charts of cut-off cells, and whether a priority date is current. Pure. */

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
