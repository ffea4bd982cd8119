/** The visa bulletin and the priority date check (CONTRACT.md section 7) through the HTTP API, on SQLite and PostgreSQL. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { todayIn } from '../../src/domain/calendar.ts';

/** A bulletin month relative to this month in the agency's time zone. */
const monthFrom = (offset: number) => DateTime.fromISO(todayIn('America/New_York'), { zone: 'UTC' }).plus({ months: offset }).toFormat('yyyy-MM');

const bulletin = (f2aAll: string) => ({
  finalActionDates: {
    F1: { ALL: '2015-11-22', MEXICO: '2005-04-01', PHILIPPINES: '2013-03-22' },
    F2A: { ALL: f2aAll, MEXICO: '2021-02-01' },
    'EB-2': { ALL: 'C', CHINA: '2020-12-01', INDIA: '2012-01-01' },
    EB3: { ALL: '2023-01-01', 'El Salvador': 'U' },
  },
  datesForFiling: {
    F1: { ALL: '2016-09-01' },
    F2A: { ALL: 'C' },
  },
});

for (const kind of databaseKinds()) {
  describe(`visa bulletin [${kind}]`, () => {
    let t: TestApp;
    let publisher: string;
    before(async () => {
      t = await startTestApp(kind);
      publisher = await t.clientToken(['reference-data']);
    });
    after(() => t.close());

    const put = (month: string, body: unknown, token = publisher) => t.app.inject({ method: 'PUT', url: `/api/v1/visa-bulletins/${month}`, payload: body as object, headers: bearer(token) });
    const check = (q: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1/priority-date-check?${new URLSearchParams(q).toString()}` });

    test('before any bulletin is published, a check answers 404 not-found saying so', async () => {
      const res = await check({ priorityDate: '2020-01-01', category: 'F2A' });
      assert.equal(res.statusCode, 404);
      assert.equal(problem(res).code, 'not-found');
      assert.match(problem(res).detail, /No visa bulletin has been published/);
    });

    test('a reference-data client publishes a bulletin; it is normalised, returned, readable publicly and audited', async () => {
      const month = monthFrom(-1);
      const res = await put(month, bulletin('2022-01-01'));
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.month, month);
      assert.deepEqual(body.finalActionDates.EB2, { ALL: 'C', CHINA: '2020-12-01', INDIA: '2012-01-01' }, '"EB-2" is the EB2 row');
      assert.deepEqual(body.finalActionDates.EB3, { ALL: '2023-01-01', 'EL SALVADOR': 'U' });
      const got = await t.app.inject({ method: 'GET', url: `/api/v1/visa-bulletins/${month}` });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json(), body);
      assert.ok(got.headers['ratelimit-limit'], 'public and rate-limited');
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['subject', 'outcome']).where('action', '=', 'visa-bulletin-publish').execute();
      assert.deepEqual(audit, [{ subject: `visa-bulletin:${month}`, outcome: 'allowed' }]);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/visa-bulletins/1999-01' })).statusCode, 404);
      assert.deepEqual(problem(await t.app.inject({ method: 'GET', url: '/api/v1/visa-bulletins/2026-13' })).errors!.map((e) => e.field), ['month']);
    });

    test('publishing needs the scope or the admin role; a tier1 token answers 403', async () => {
      const tier1 = await t.signIn('tier1');
      const res = await put(monthFrom(-6), bulletin('2022-01-01'), tier1.token);
      assert.equal(res.statusCode, 403);
      assert.equal(problem(res).code, 'forbidden');
      assert.equal((await t.app.inject({ method: 'PUT', url: `/api/v1/visa-bulletins/${monthFrom(-6)}`, payload: bulletin('C') })).statusCode, 401);
      const admin = await t.signIn('admin');
      assert.equal((await put(monthFrom(-6), bulletin('2020-01-01'), admin.token)).statusCode, 200);
    });

    test('bad cells, unknown categories and rows without ALL answer 400 naming each cell', async () => {
      const res = await put(monthFrom(-2), {
        finalActionDates: { F2A: { ALL: '15JUL16', MEXICO: '2023-02-30' }, F9: { ALL: 'C' }, F1: { MEXICO: 'C' } },
        datesForFiling: { EB1: { ALL: 'current' } },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(problem(res).code, 'invalid-request');
      assert.deepEqual(problem(res).errors!.map((e) => [e.field, e.code]), [
        ['finalActionDates.F2A.ALL', 'invalid-cell'], ['finalActionDates.F2A.MEXICO', 'invalid-cell'], ['finalActionDates.F9', 'unknown-category'],
        ['finalActionDates.F1.ALL', 'required'], ['datesForFiling.EB1.ALL', 'invalid-cell'],
      ]);
      const missing = await put(monthFrom(-2), { finalActionDates: {} });
      assert.deepEqual(problem(missing).errors!.map((e) => [e.field, e.code]).sort(), [['datesForFiling', 'required'], ['finalActionDates', 'minProperties']]);
      assert.equal((await put('2026-1', bulletin('C'))).statusCode, 400);
    });

    test('the check: a date earlier than the cut-off is current, an equal one is not; C is current, U never', async () => {
      const month = monthFrom(-1);
      assert.deepEqual((await check({ priorityDate: '2021-12-31', category: 'F2A' })).json(), {
        current: true, chart: 'final-action', cutoff: '2022-01-01', bulletin: month, priorityDate: '2021-12-31', category: 'F2A', chargeability: 'ALL', column: 'ALL',
      });
      assert.equal((await check({ priorityDate: '2022-01-01', category: 'F2A' })).json().current, false);
      const c = (await check({ priorityDate: '2030-01-01', category: 'eb-2', chargeability: 'Mexico' })).json();
      assert.deepEqual([c.current, c.cutoff, c.category, c.column], [true, 'C', 'EB2', 'ALL']);
      const u = (await check({ priorityDate: '1990-01-01', category: 'EB3', chargeability: 'el salvador' })).json();
      assert.deepEqual([u.current, u.cutoff, u.column], [false, 'U', 'EL SALVADOR']);
    });

    test('a chargeability without a column of its own, or none given, falls back to ALL', async () => {
      const own = (await check({ priorityDate: '2010-01-01', category: 'F1', chargeability: 'PHILIPPINES' })).json();
      assert.deepEqual([own.cutoff, own.column, own.current], ['2013-03-22', 'PHILIPPINES', true]);
      const other = (await check({ priorityDate: '2010-01-01', category: 'F1', chargeability: 'GUATEMALA' })).json();
      assert.deepEqual([other.cutoff, other.chargeability, other.column], ['2015-11-22', 'GUATEMALA', 'ALL']);
      const none = (await check({ priorityDate: '2010-01-01', category: 'F1' })).json();
      assert.deepEqual([none.cutoff, none.column], ['2015-11-22', 'ALL']);
    });

    test('the dates-for-filing chart is used when asked for', async () => {
      const r = (await check({ priorityDate: '2016-08-31', category: 'F1', chart: 'dates-for-filing' })).json();
      assert.deepEqual([r.chart, r.cutoff, r.current], ['dates-for-filing', '2016-09-01', true]);
      const missing = await check({ priorityDate: '2016-08-31', category: 'EB5', chart: 'dates-for-filing' });
      assert.equal(missing.statusCode, 404, 'a category the bulletin has no row for');
      assert.match(problem(missing).detail, /no EB5 row/);
    });

    test('bad questions answer 400 naming the field', async () => {
      const unknown = await check({ priorityDate: '2020-01-01', category: 'F9' });
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(problem(unknown).errors!.map((e) => [e.field, e.code]), [['category', 'unknown-category']]);
      assert.deepEqual(problem(await check({ priorityDate: '2020-02-30', category: 'F1' })).errors!.map((e) => e.field), ['priorityDate']);
      assert.deepEqual(problem(await check({ priorityDate: 'yesterday', category: 'F1' })).errors!.map((e) => e.field), ['priorityDate']);
      assert.deepEqual(problem(await check({ priorityDate: '2020-01-01', category: 'F1', chart: 'both' })).errors!.map((e) => e.field), ['chart']);
      assert.deepEqual(problem(await check({ category: 'F1' })).errors!.map((e) => [e.field, e.code]), [['priorityDate', 'required']]);
    });

    test('the bulletin of the current month applies, else the latest published before it, else the latest', async () => {
      // Published so far: this month -6 and -1. A later month does not displace the latest earlier one…
      await put(monthFrom(1), bulletin('C'));
      assert.equal((await check({ priorityDate: '2021-06-01', category: 'F2A' })).json().bulletin, monthFrom(-1));
      // …and this month's, once published, wins.
      await put(monthFrom(0), bulletin('2021-01-01'));
      const r = (await check({ priorityDate: '2021-06-01', category: 'F2A' })).json();
      assert.deepEqual([r.bulletin, r.cutoff, r.current], [monthFrom(0), '2021-01-01', false]);
      // Re-publishing a month replaces it.
      await put(monthFrom(0), bulletin('2022-01-01'));
      assert.equal((await check({ priorityDate: '2021-06-01', category: 'F2A' })).json().current, true);
    });
  });
}
