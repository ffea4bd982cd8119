/** Demo staff: on an empty database with SEED=demo, one account per role, printed at start-up. */
import type { StaffService } from './staff/service.ts';
import type { Role } from './domain/roles.ts';

/** The demo password, shown in README.md and printed at start-up. Demo data only. */
export const DEMO_PASSWORD = 'switchboard-demo';

export const DEMO_STAFF: ReadonlyArray<{ email: string; name: string; role: Role; office?: string }> = [
  { email: 'tier1@demo.switchboard.test', name: 'Tina Reyes', role: 'tier1' },
  { email: 'tier2@demo.switchboard.test', name: 'Omar Haddad', role: 'tier2' },
  { email: 'office@demo.switchboard.test', name: 'Grace Kim', role: 'office', office: 'VSC' },
  { email: 'supervisor@demo.switchboard.test', name: 'Sam Okafor', role: 'supervisor' },
  { email: 'ombudsman@demo.switchboard.test', name: 'Lucía Morales', role: 'ombudsman' },
  { email: 'admin@demo.switchboard.test', name: 'Alex Chen', role: 'admin' },
];

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
