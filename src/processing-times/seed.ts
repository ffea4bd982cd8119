/**
 * Demo reference data for SEED=demo: a few published processing times (synthetic figures), so the demo shows
 * all three bases side by side: published rows here, figures computed from the demo cases, and the default.
 */
import { DateTime } from 'luxon';
import type { Actor } from '../platform/actor.ts';
import type { ProcessingTimeService, PublishInput } from './service.ts';

/** The demo's published rows: form, category (omitted: every category), office and months80. */
export const DEMO_PUBLISHED: ReadonlyArray<Omit<PublishInput, 'asOf'>> = [
  { formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', months80: 14.5 },
  { formType: 'I-130', office: 'NSC', months80: 22 },
  { formType: 'I-485', formCategory: 'family-based', office: 'HOU', months80: 11.5 },
  { formType: 'I-485', formCategory: 'employment-based', office: 'NBC', months80: 9 },
  { formType: 'I-765', formCategory: 'based on a pending I-485', office: 'NBC', months80: 4.5 },
  { formType: 'I-90', office: 'PSC', months80: 8.5 },
  { formType: 'N-400', office: 'NYC', months80: 7 },
  { formType: 'N-400', office: 'LOS', months80: 9.5 },
];

/** Publishes the demo rows, as of the first of this month, when nothing has been published; returns how many. */
export async function seedDemoProcessingTimes(times: ProcessingTimeService, actor: Actor = { kind: 'system' }): Promise<number> {
  if (await times.hasPublished()) return 0;
  const asOf = DateTime.fromISO(times.today(), { zone: 'UTC' }).startOf('month').toISODate()!;
  return (await times.publish(DEMO_PUBLISHED.map((r) => ({ ...r, asOf })), actor)).length;
}
