/**
 * Demo reference data for SEED=demo: a synthetic visa bulletin for this month and the month before (cut-off
 * dates in the shape of a real bulletin, not copied from one). Call from the demo seed on an empty database.
 */
import { DateTime } from 'luxon';
import type { Actor } from '../platform/actor.ts';
import type { ChartTable } from '../domain/visa-bulletin.ts';
import type { VisaBulletinService } from './service.ts';

/** Cut-offs as years and months before the bulletin month; 'C' and 'U' as they are. */
type Back = string | [years: number, months: number];

const FINAL_ACTION: Record<string, Record<string, Back>> = {
  F1: { ALL: [9, 2], CHINA: [9, 2], INDIA: [9, 2], MEXICO: [20, 8], PHILIPPINES: [12, 9] },
  F2A: { ALL: [3, 10], CHINA: [3, 10], INDIA: [3, 10], MEXICO: [4, 9], PHILIPPINES: [3, 10] },
  F2B: { ALL: [8, 11], CHINA: [8, 11], INDIA: [8, 11], MEXICO: [19, 3], PHILIPPINES: [12, 7] },
  F3: { ALL: [14, 1], CHINA: [14, 1], INDIA: [14, 1], MEXICO: [27, 0], PHILIPPINES: [22, 8] },
  F4: { ALL: [16, 9], CHINA: [16, 9], INDIA: [18, 4], MEXICO: [25, 7], PHILIPPINES: [21, 6] },
  EB1: { ALL: 'C', CHINA: [3, 11], INDIA: [4, 1], MEXICO: 'C', PHILIPPINES: 'C' },
  EB2: { ALL: [1, 10], CHINA: [5, 10], INDIA: [13, 10], MEXICO: [1, 10], PHILIPPINES: [1, 10] },
  EB3: { ALL: [2, 11], CHINA: [5, 6], INDIA: [13, 0], MEXICO: [2, 11], PHILIPPINES: [3, 9] },
  EW: { ALL: [5, 2], CHINA: [9, 1], INDIA: [13, 0], MEXICO: [5, 2], PHILIPPINES: [5, 2] },
  EB4: { ALL: [4, 0], CHINA: [4, 0], INDIA: [4, 0], MEXICO: [5, 3], PHILIPPINES: [4, 0], 'EL SALVADOR GUATEMALA HONDURAS': 'U' },
  EB5: { ALL: 'C', CHINA: [4, 9], INDIA: [5, 2], MEXICO: 'C', PHILIPPINES: 'C' },
};

const DATES_FOR_FILING: Record<string, Record<string, Back>> = {
  F1: { ALL: [8, 6], MEXICO: [20, 1], PHILIPPINES: [11, 10] },
  F2A: { ALL: 'C' },
  F2B: { ALL: [8, 0], MEXICO: [18, 10], PHILIPPINES: [12, 0] },
  F3: { ALL: [13, 5], MEXICO: [26, 2], PHILIPPINES: [22, 0] },
  F4: { ALL: [16, 0], INDIA: [17, 11], MEXICO: [25, 2], PHILIPPINES: [20, 11] },
  EB1: { ALL: 'C', CHINA: [3, 3], INDIA: [3, 3] },
  EB2: { ALL: [1, 1], CHINA: [5, 1], INDIA: [13, 5] },
  EB3: { ALL: [2, 2], CHINA: [5, 0], INDIA: [12, 8] },
  EW: { ALL: [4, 9], CHINA: [8, 10], INDIA: [12, 8] },
  EB4: { ALL: [3, 6], 'EL SALVADOR GUATEMALA HONDURAS': [5, 0] },
  EB5: { ALL: 'C', CHINA: [4, 2], INDIA: [4, 8] },
};

const chart = (month: string, table: Record<string, Record<string, Back>>): ChartTable => {
  const first = DateTime.fromISO(`${month}-01`, { zone: 'UTC' });
  return Object.fromEntries(Object.entries(table).map(([category, row]) => [category, Object.fromEntries(Object.entries(row).map(([column, back]) =>
    [column, typeof back === 'string' ? back : first.minus({ years: back[0], months: back[1] }).toISODate()!]))]));
};

/** A synthetic bulletin for a month (YYYY-MM). */
export function demoBulletin(month: string): { finalActionDates: ChartTable; datesForFiling: ChartTable } {
  return { finalActionDates: chart(month, FINAL_ACTION), datesForFiling: chart(month, DATES_FOR_FILING) };
}

/** Publishes demo bulletins for this month and the month before when none is published; returns the months published. */
export async function seedDemoBulletins(bulletins: VisaBulletinService, actor: Actor = { kind: 'system' }): Promise<string[]> {
  if (await bulletins.applicable()) return [];
  const thisMonth = bulletins.today().slice(0, 7);
  const months = [DateTime.fromISO(`${thisMonth}-01`, { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-MM'), thisMonth];
  for (const m of months) await bulletins.publish(m, demoBulletin(m), actor);
  return months;
}
