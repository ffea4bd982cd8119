/** Demo data on an empty database with SEED=demo: staff, one account per role, printed at start-up; and synthetic cases. */
import type { StaffService } from './staff/service.ts';
import type { Role } from './domain/roles.ts';
import type { Skill } from './domain/skills.ts';
import type { Db } from './platform/db/database.ts';
import type { CaseFeedService } from './cases/service.ts';
import { countCases } from './cases/store.ts';
import { todayIn } from './domain/calendar.ts';
import { DEFAULT_RANDOM_SEED, seedCases, type SeedResult } from './cases/seed/run.ts';

/** The demo password, shown in README.md and printed at start-up. Demo data only. */
export const DEMO_PASSWORD = 'switchboard-demo';

/** One account per role, and at each tier one agent who takes English only and one who also takes Spanish (Tier 2: and military). */
export const DEMO_STAFF: ReadonlyArray<{ email: string; name: string; role: Role; office?: string; skills?: Skill[] }> = [
  { email: 'tier1@demo.switchboard.test', name: 'Tina Reyes', role: 'tier1', skills: ['en'] },
  { email: 'tier1.es@demo.switchboard.test', name: 'Marco Ruiz', role: 'tier1', skills: ['en', 'es'] },
  { email: 'tier2@demo.switchboard.test', name: 'Omar Haddad', role: 'tier2', skills: ['en'] },
  { email: 'tier2.es@demo.switchboard.test', name: 'Rosa Díaz', role: 'tier2', skills: ['en', 'es', 'military'] },
  { email: 'office@demo.switchboard.test', name: 'Grace Kim', role: 'office', office: 'VSC' },
  { email: 'office.csc@demo.switchboard.test', name: 'Diego Alvarez', role: 'office', office: 'CSC' },
  { email: 'office.nbc@demo.switchboard.test', name: 'Priya Shah', role: 'office', office: 'NBC' },
  { email: 'office.nyc@demo.switchboard.test', name: 'Jamal Brooks', role: 'office', office: 'NYC' },
  { email: 'supervisor@demo.switchboard.test', name: 'Sam Okafor', role: 'supervisor' },
  { email: 'ombudsman@demo.switchboard.test', name: 'Lucía Morales', role: 'ombudsman' },
  { email: 'admin@demo.switchboard.test', name: 'Alex Chen', role: 'admin' },
];

/** How many synthetic cases the demo loads, and its fixed random seed (`switchboard seed` with no options loads the same). */
export const DEMO_CASES = 25_000;
export const DEMO_RANDOM_SEED = DEFAULT_RANDOM_SEED;

/**
 * Loads the demo cases when the database holds no cases yet (received over the three years before today in
 * the agency's time zone); returns the result, or null when there were cases already.
 */
export async function seedDemoCases(feed: CaseFeedService, db: Db, timeZone: string, announce: (message: string) => void = () => {}): Promise<SeedResult | null> {
  if ((await countCases(db)) > 0) return null;
  announce(`Loading ${DEMO_CASES.toLocaleString('en-US')} demo cases…\n`);
  return seedCases(feed, { cases: DEMO_CASES, randomSeed: DEMO_RANDOM_SEED, today: todayIn(timeZone) }, { kind: 'system' });
}

/** Creates the demo accounts when no staff exist yet; returns what was created (empty otherwise). */
export async function seedDemoStaff(staff: StaffService) {
  if ((await staff.count()) > 0) return [];
  const created = [];
  for (const s of DEMO_STAFF) {
    const user = await staff.addUser({ ...s, password: DEMO_PASSWORD }, { kind: 'system' });
    created.push(user);
  }
  return created;
}
