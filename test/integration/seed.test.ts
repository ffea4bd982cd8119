/** `switchboard seed` and the demo cases: deterministic synthetic cases through the case feed, on a real database. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/platform/config.ts';
import { createDeps, type Deps } from '../../src/wiring.ts';
import { seedDemoCases } from '../../src/demo.ts';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { testEnv } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

for (const kind of databaseKinds()) {
  describe(`switchboard seed [${kind}]`, () => {
    let db: TestDatabase;
    let deps: Deps;
    before(async () => {
      db = await createTestDatabase(kind);
      deps = await db.whileNoSchemaIsDropped(() => createDeps(loadConfig(testEnv(db))));
    });
    after(async () => {
      await deps.database.close();
      await db.drop();
    });

    const cli = (args: string[]) => runCli(db, args);
    const rows = () => deps.database.db.selectFrom('cases').selectAll().orderBy('receipt_number').execute();
    const auditEntries = async () => Number((await deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    test('bad arguments exit 2 with the usage', async () => {
      for (const args of [['--cases', 'lots'], ['--cases', '-5'], ['--cases', '10000001'], ['--contacts', '1.5'], ['--random-seed', '4294967296'], ['--today', '2026-02-30'], ['--bogus'], ['extra']]) {
        const r = await cli(['seed', ...args]);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.stderr, /Usage: switchboard seed/);
      }
      assert.equal((await rows()).length, 0, 'nothing loaded');
    });

    test('seeds 2,000 cases in bulk into an empty database, names receipt numbers to try, and a year of 10 contacts', async () => {
      const r = await cli(['seed', '--cases', '2000', '--random-seed', '42', '--today', '2026-11-29', '--contacts', '10']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Seeded 2,000 cases in [\d.]+ s \([\d,]+ a second\); 2,000 new or changed \(random seed 42, today 2026-11-29\)/);
      assert.match(r.stdout, /built directly, indexes re-created after the load: cases_a_number, cases_decisions, cases_office/);
      assert.match(r.stdout, /Seeded a year of contact center activity to 2026-11-29 in [\d.]+ s/);
      assert.match(r.stdout, /^ {2}contacts +10$/m);
      assert.equal(r.stderr, '', 'no progress bar when standard error is not a terminal');
      const loaded = await rows();
      assert.equal(loaded.length, 2000);

      const tries = [...r.stdout.matchAll(/^ {2}([A-Z]{3}\d{10}) {2}(\S+) +(.+)$/gm)];
      assert.ok(tries.length >= 4, r.stdout);
      const byNumber = new Map(loaded.map((c) => [c.receipt_number, c]));
      for (const [, receipt, form] of tries) assert.equal(byNumber.get(receipt!)?.form_type, form, `${receipt} was loaded`);
      const pending = tries.find((t) => t[3]!.endsWith(': pending'))!;
      assert.equal(byNumber.get(pending[1]!)?.decided_date, null);
      const approved = tries.find((t) => t[3]!.includes('approved'))!;
      assert.ok(byNumber.get(approved[1]!)?.decided_date);
      assert.ok(tries.some((t) => t[1]!.startsWith('IOE')), 'an e-filed receipt');
      assert.ok(tries.some((t) => t[3]!.includes('outside normal processing time')));

      // Receipts, and every status change, fall on business days: no weekend and no federal holiday (OPM's list).
      const holidays = new Set(['2023-11-23', '2023-12-25', '2024-01-01', '2024-01-15', '2024-02-19', '2024-05-27', '2024-06-19', '2024-07-04',
        '2024-09-02', '2024-10-14', '2024-11-11', '2024-11-28', '2024-12-25', '2025-01-01', '2025-01-20', '2025-02-17', '2025-05-26', '2025-06-19',
        '2025-07-04', '2025-09-01', '2025-10-13', '2025-11-11', '2025-11-27', '2025-12-25', '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25',
        '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26']);
      const workday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() % 6 !== 0 && !holidays.has(date);
      for (const c of loaded) {
        assert.ok(workday(c.received_date), `${c.receipt_number} received on ${c.received_date}`);
        for (const h of JSON.parse(c.history) as Array<{ date: string; status: string }>) assert.ok(workday(h.date), `${c.receipt_number}: ${h.status} on ${h.date}`);
      }
      assert.ok(!loaded.some((c) => c.received_date === '2025-12-25' || c.received_date === '2026-07-03'));

      const pendingShare = loaded.filter((c) => c.decided_date === null).length / loaded.length;
      assert.ok(pendingShare > 0.3 && pendingShare < 0.45, `pending ${pendingShare}`);
      assert.ok(loaded.every((c) => c.decision_days === null || c.decision_days >= 0));
    });

    test('the same seed again changes nothing: same rows, no new audit entries', async () => {
      const before = await rows();
      const entries = await auditEntries();
      const r = await cli(['seed', '--cases', '2000', '--random-seed', '42', '--today', '2026-11-29']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Seeded 2,000 cases .*; 0 new or changed/);
      assert.deepEqual(await rows(), before);
      assert.equal(await auditEntries(), entries);
    });

    test('another seed adds other cases; the audit trail records each batch and stays intact', async () => {
      const r = await cli(['seed', '--cases', '1500', '--random-seed', '43', '--today', '2026-11-29']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1,500 new or changed/);
      assert.ok((await rows()).length > 3000, 'receipt numbers of two seeds rarely collide');
      // The first seed went in bulk (one entry for its cases, one for its contacts); this one through the feed.
      const loads = await deps.database.db.selectFrom('audit_log').select(['actor', 'action']).where('action', 'in', ['case-feed-load', 'seed-bulk-load']).execute();
      assert.deepEqual(loads.map((l) => l.action), ['seed-bulk-load', 'seed-bulk-load', 'case-feed-load']);
      assert.ok(loads.every((l) => l.actor === 'cli'));
      assert.equal((await cli(['audit', 'verify'])).code, 0);
    });

    test('the demo loads no cases when the database already has some', async () => {
      const said: string[] = [];
      assert.equal(await seedDemoCases(deps.feed, deps.database.db, deps.agency.timeZone, (m) => said.push(m)), null);
      assert.deepEqual(said, []);
    });
  });
}
