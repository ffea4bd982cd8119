/**
 * The start-up demo's calls and callbacks (src/contacts/seed.ts), on SQLite and PostgreSQL, after the demo's staff
 * and a few thousand synthetic cases: calls at each tier, ended and open, with verified cases and notes; service
 * requests made on calls; callbacks due, overdue, missed (after two failed attempts) and done; one live transfer to
 * the Tier 2 officer who speaks Spanish; each desk has work.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/platform/config.ts';
import { createDeps, type Deps } from '../../src/wiring.ts';
import { DEMO_STAFF, seedDemoStaff } from '../../src/demo.ts';
import { seedCases } from '../../src/cases/seed/run.ts';
import { seedDemoContacts, type DemoContactsResult } from '../../src/contacts/seed.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import type { Actor, StaffUser } from '../../src/platform/actor.ts';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { testEnv } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`the demo's calls and callbacks [${kind}]`, () => {
    let db: TestDatabase;
    let deps: Deps;
    let result: DemoContactsResult;
    const users: Record<string, StaffUser> = {};
    const as = (email: string): Actor => ({ kind: 'staff', sessionId: 'test', user: users[email]! });

    before(async () => {
      db = await createTestDatabase(kind);
      deps = await db.whileNoSchemaIsDropped(() => createDeps(loadConfig(testEnv(db))));
      for (const u of await seedDemoStaff(deps.staff)) users[u.email] = u;
      await seedCases(deps.feed, { cases: 3000, randomSeed: 1, today: todayIn(deps.agency.timeZone) }, { kind: 'system' });
      result = await seedDemoContacts(deps.database.db, deps, {
        tier1: users['tier1@demo.switchboard.test']!, tier1b: users['tier1.es@demo.switchboard.test'],
        tier2: users['tier2@demo.switchboard.test']!, tier2es: users['tier2.es@demo.switchboard.test']!,
      });
    });
    after(async () => {
      await deps.database.close();
      await db.drop();
    });

    test('the demo staff: every role, and at Tier 2 one English-only officer and one with English, Spanish and military', async () => {
      assert.deepEqual([...new Set(DEMO_STAFF.map((s) => s.role))].sort(), ['admin', 'office', 'ombudsman', 'supervisor', 'tier1', 'tier2']);
      const skills = async (email: string) => JSON.parse((await deps.database.db.selectFrom('staff').select('skills').where('email', '=', email).executeTakeFirstOrThrow()).skills) as string[];
      assert.deepEqual(await skills('tier2@demo.switchboard.test'), ['en']);
      assert.deepEqual(await skills('tier2.es@demo.switchboard.test'), ['en', 'es', 'military']);
    });

    test('callbacks in every state: due, overdue, missed after two failed attempts, and done', async () => {
      const sup = as('supervisor@demo.switchboard.test');
      for (const status of ['due', 'overdue', 'missed', 'done'] as const) {
        const list = await deps.callbacks.list(sup, status, 1, 50);
        assert.ok(list.total >= 1, `a ${status} callback`);
        assert.ok(list.items.every((i) => i.status === status));
        if (status !== 'done') assert.equal(list.total, result.callbacks[status], `the seed's count of ${status} callbacks`);
      }
      const missed = (await deps.callbacks.list(sup, 'missed', 1, 50)).items;
      assert.ok(missed.every((m) => m.attempts === 2), 'missed after two failed attempts');
      const overview = await deps.callbacks.overview(sup);
      assert.ok(overview.overdue.total >= 1 && overview.missed.total >= 1);
      // Each Tier 2 officer has callbacks to make; the English-only officer never sees a Spanish one.
      const omar = await deps.callbacks.list(as('tier2@demo.switchboard.test'), undefined, 1, 50);
      const rosa = await deps.callbacks.list(as('tier2.es@demo.switchboard.test'), undefined, 1, 50);
      assert.ok(omar.total >= 2);
      assert.ok(omar.items.every((i) => i.language === 'en'));
      assert.ok(rosa.items.some((i) => i.language === 'es'), 'a Spanish callback for the Spanish-speaking officer');
    });

    test('calls at each tier, ended and open, with verified cases, notes and service requests made on calls', async () => {
      const found = await deps.contacts.find(as('ombudsman@demo.switchboard.test'), {}, 1, 100);
      assert.equal(found.total, result.calls);
      assert.ok(found.items.some((c) => c.tier === 'tier1'), 'Tier 1 calls');
      assert.ok(found.items.some((c) => c.tier === 'tier2'), 'Tier 2 calls');
      assert.ok(found.items.some((c) => c.endedAt === null) && found.items.some((c) => c.endedAt !== null), 'open and ended calls');
      assert.ok(found.items.some((c) => c.serviceRequests.length > 0), 'a service request made on a call');
      assert.ok(result.serviceRequests >= 1);
      const open = await deps.contacts.openCallsOf(as('tier1@demo.switchboard.test'));
      assert.ok(open.length >= 1, 'Tier 1 has a call open on first sign-in');
      const view = await deps.contacts.get(as('tier1@demo.switchboard.test'), open[0]!.id);
      assert.ok(view.cases.some((c) => c.verified), 'a verified case on the open call');
      assert.ok(view.events.some((e) => e.kind === 'note'), 'a note on it');
    });

    test('one live transfer: the Spanish call went to the officer who speaks Spanish, busy with it now; the English-only officer is free', async () => {
      assert.equal(result.transfers, 1);
      const rosa = as('tier2.es@demo.switchboard.test');
      const presence = await deps.callbacks.presenceOf(rosa);
      assert.equal(presence.status, 'busy');
      assert.ok(presence.contactId);
      const call = await deps.contacts.get(rosa, presence.contactId!);
      assert.equal(call.language, 'es');
      assert.equal(call.endedAt, null);
      assert.ok(call.escalations.some((e) => e.mode === 'transfer'));
      assert.equal((await deps.callbacks.presenceOf(as('tier2@demo.switchboard.test'))).status, 'available');
    });
  });
}
