/**
 * The staff home's tools, by role: the feedback list and the contact center report for those who read reports,
 * the guidance, processing-time, visa-bulletin, script and retention-rule pages for those who publish reference data, the Ombudsman's desk and call reviews for its analysts; each link is to
 * a page that role may open (200), and roles without the capability see no link. On SQLite and PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Role } from '../../src/domain/roles.ts';

const LINKS: Record<string, Role[]> = {
  '/staff/feedback': ['supervisor', 'ombudsman', 'admin'],
  '/reports/contact-center': ['supervisor', 'ombudsman', 'admin'],
  '/staff/guidance': ['admin'],
  '/admin/processing-times': ['admin'],
  '/admin/visa-bulletins': ['admin'],
  '/admin/scripts': ['admin'],
  '/admin/retention': ['admin'],
  '/ombudsman/desk': ['ombudsman'],
  '/ombudsman/call-reviews': ['ombudsman'],
};
const ROLES: Role[] = ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman', 'admin'];

for (const kind of databaseKinds()) {
  describe(`the staff home's links by role [${kind}]`, () => {
    let t: TestApp;
    const cookie: Partial<Record<Role, string>> = {};
    before(async () => {
      t = await startTestApp(kind);
      for (const role of ROLES) cookie[role] = `sb_session=${(await t.signIn(role, role === 'office' ? { office: 'VSC' } : {})).token}`;
    });
    after(async () => t?.close());
    const get = (url: string, role: Role) => t.app.inject({ method: 'GET', url, headers: { cookie: cookie[role]! } });

    for (const role of ROLES) {
      test(`${role}: the links its role may follow, and only those`, async () => {
        for (const lang of ['en', 'es']) {
          const home = await get(`/staff?lang=${lang}`, role);
          assert.equal(home.statusCode, 200);
          for (const [href, roles] of Object.entries(LINKS)) {
            const linked = home.body.includes(`href="${href}"`);
            assert.equal(linked, roles.includes(role), `${role} ${roles.includes(role) ? 'sees' : 'does not see'} ${href} (${lang})`);
            if (linked) assert.equal((await get(href, role)).statusCode, 200, `${role} may open ${href}`);
          }
        }
      });
    }
  });
}
