/** The audit trail: listing for admins, denials recorded, and tampering found by verification. */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`audit trail [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());
    const audit = (token: string, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers: bearer(token) });

    test('admins list entries newest first in the contract shape, filtered by actor and outcome', async () => {
      const admin = await t.signIn('admin');
      const res = await audit(admin.token, `?actor=staff:${admin.id}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['items', 'page', 'pageSize', 'total']);
      assert.equal(res.headers['cache-control'], 'no-store', 'audit entries are never stored by a cache');
      assert.equal(body.page, 1);
      const first = body.items[0];
      assert.deepEqual(Object.keys(first).sort(), ['action', 'actor', 'at', 'id', 'outcome', 'purpose', 'subject', 'traceId']);
      assert.equal(first.action, 'sign-in');
      const ids = body.items.map((i: { id: number }) => i.id);
      assert.deepEqual(ids, [...ids].sort((a: number, b: number) => b - a), 'newest first');

      const tier1 = await t.signIn('tier1');
      assert.equal((await audit(tier1.token)).statusCode, 403);
      const denied = (await audit(admin.token, `?outcome=denied&actor=staff:${tier1.id}`)).json();
      assert.equal(denied.total, 1, 'the denial itself is audited');
      assert.equal(denied.items[0].action, 'GET /api/v1/audit');
      assert.equal(denied.items[0].outcome, 'denied');
    });

    test('from/to take agency-time dates; a bad date is a 400 naming the field', async () => {
      const admin = await t.signIn('admin');
      const future = await audit(admin.token, '?from=2999-01-01');
      assert.equal(future.json().total, 0);
      const past = await audit(admin.token, '?to=2000-01-01');
      assert.equal(past.json().total, 0);
      const bad = await audit(admin.token, '?from=yesterday');
      assert.equal(bad.statusCode, 400);
      assert.equal(problem(bad).errors?.[0]?.field, 'from');
      const paged = (await audit(admin.token, '?pageSize=2&page=2')).json();
      assert.equal(paged.items.length, 2);
      assert.equal(paged.pageSize, 2);
    });

    test('an API client token may not read the audit trail', async () => {
      assert.equal((await audit(await t.clientToken(['case-feed']))).statusCode, 403);
    });
  });

  describe(`audit verification finds tampering [${kind}]`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(kind);
      for (const role of ['tier1', 'tier2', 'office', 'supervisor', 'admin'] as const) await t.signIn(role);
    });
    const db = () => t.deps.database.db;
    const verifyAndClose = async () => {
      try {
        return await t.deps.audit.verify(3);
      } finally {
        await t.close();
      }
    };

    test('an intact trail verifies', async () => {
      const r = await verifyAndClose();
      assert.equal(r.ok, true);
      assert.ok(r.entries >= 10);
    });

    test('an altered entry is named', async () => {
      await db().updateTable('audit_log').set({ outcome: 'denied' }).where('seq', '=', 4).execute();
      const r = await verifyAndClose();
      assert.equal(r.ok, false);
      assert.deepEqual(!r.ok && [r.fault.seq, r.fault.problem], [4, 'altered']);
      assert.match(!r.ok ? r.fault.message : '', /entry 4/);
    });

    test('a removed entry is named by the gap it leaves', async () => {
      await db().deleteFrom('audit_log').where('seq', '=', 6).execute();
      const r = await verifyAndClose();
      assert.deepEqual(!r.ok && [r.fault.seq, r.fault.problem], [7, 'missing-before']);
    });

    test('re-ordered entries are found', async () => {
      const [a, b] = await db().selectFrom('audit_log').selectAll().where('seq', 'in', [2, 3]).orderBy('seq').execute();
      await db().updateTable('audit_log').set({ ...b!, seq: 1000 }).where('seq', '=', 2).execute();
      await db().updateTable('audit_log').set({ ...a!, seq: 3 }).where('seq', '=', 3).execute();
      await db().updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 1000).execute();
      const r = await verifyAndClose();
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.fault.seq, 2);
    });

    test('a cut tail is found through the chain head', async () => {
      const last = await db().selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow();
      await db().deleteFrom('audit_log').where('seq', '=', Number(last.m)).execute();
      const r = await verifyAndClose();
      assert.deepEqual(!r.ok && [r.fault.seq, r.fault.problem], [Number(last.m), 'tail-missing']);
    });
  });
}
