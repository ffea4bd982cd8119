/** Processing times and inquiry eligibility (CONTRACT.md section 7) through the HTTP API, on SQLite and PostgreSQL. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, ndjson, receiptNumber } from '../support/factories.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays, earliestInquiryDate, inquiryReceiptDate, windowStart } from '../../src/domain/processing-time.ts';

type Group = { formType: string; formCategory?: string; office: string };

for (const kind of databaseKinds()) {
  describe(`processing times [${kind}]`, () => {
    let t: TestApp;
    let publisher: string;
    let feedToken: string;
    let admin: string;
    const today = () => todayIn('America/New_York');

    before(async () => {
      t = await startTestApp(kind);
      publisher = await t.clientToken(['reference-data']);
      feedToken = await t.clientToken(['case-feed']);
      admin = (await t.signIn('admin')).token;
    });
    after(() => t.close());

    const publish = (rows: unknown, token = publisher) => t.app.inject({ method: 'PUT', url: '/api/v1/processing-times', payload: rows as object, headers: bearer(token) });
    const figure = (q: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1/processing-times?${new URLSearchParams(q).toString()}` });
    const inquiry = (rn: string) => t.app.inject({ method: 'GET', url: `/api/v1/case-status/${encodeURIComponent(rn)}/inquiry` });
    const feed = (records: unknown[]) => t.app.inject({ method: 'POST', url: '/api/v1/case-feed', payload: ndjson(records), headers: { 'content-type': 'application/x-ndjson', ...bearer(feedToken) } });
    const load = async (records: Array<Record<string, unknown>>) => {
      const r = await t.deps.feed.import((async function* () { let line = 0; for (const value of records) yield { line: ++line, value }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
    };
    /** A case of `g` decided `daysAgo` days before today, `days` days after it was received. */
    const decided = (g: Group, daysAgo: number, days: number) => {
      const d = addDays(today(), -daysAgo);
      const received = addDays(d, -days);
      return caseRecord({ ...g, receivedDate: received, decidedDate: d, history: [{ date: received, status: 'case-was-received' }, { date: d, status: 'case-was-approved' }] });
    };
    const pending = (g: Group, receivedDaysAgo: number, extra: Record<string, unknown> = {}) => {
      const received = addDays(today(), -receivedDaysAgo);
      return caseRecord({ ...g, receivedDate: received, decidedDate: null, history: [{ date: received, status: 'case-was-received' }], ...extra });
    };

    test('an API client with reference-data, or an admin, publishes rows; the answer is what was stored, and it is audited', async () => {
      const res = await publish([
        { formType: 'I-130', office: 'VSC', months80: 8.5, asOf: '2026-11-01' },
        { formType: 'i-130', formCategory: 'Spouse of U.S. citizen', office: 'vsc', months80: 12, asOf: '2026-11-02' },
      ]);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), [
        { formType: 'I-130', formCategory: null, office: 'VSC', months80: 8.5, asOf: '2026-11-01' },
        { formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', months80: 12, asOf: '2026-11-02' },
      ]);
      const byAdmin = await publish([{ formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', months80: 11.3, asOf: '2026-11-03' }], admin);
      assert.equal(byAdmin.statusCode, 200);
      assert.equal(byAdmin.json()[0].months80, 11.3, 'replaced by form, category and office; kept exactly on PostgreSQL too');
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['actor', 'outcome']).where('action', '=', 'processing-times-publish').execute();
      assert.equal(audit.length, 2);
      assert.ok(audit.every((a) => a.outcome === 'allowed'));
    });

    test('publishing needs the scope or the admin role: 401 without a token, 403 for a tier1 token or another scope', async () => {
      const row = [{ formType: 'I-130', office: 'VSC', months80: 1, asOf: '2026-11-01' }];
      assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/processing-times', payload: row })).statusCode, 401);
      const tier1 = await t.signIn('tier1');
      const denied = await publish(row, tier1.token);
      assert.equal(denied.statusCode, 403);
      assert.equal(problem(denied).code, 'forbidden');
      assert.equal((await publish(row, feedToken)).statusCode, 403);
      assert.equal((await figure({ formType: 'I-130', office: 'VSC' })).json().months80, 8.5, 'nothing changed');
    });

    test('a bad row answers 400 naming each field: unknown form or office, months80 not above 0, asOf not a date', async () => {
      const res = await publish([
        { formType: 'I-999', office: 'VSC', months80: 3, asOf: '2026-11-01' },
        { formType: 'I-130', office: 'ZZZ', months80: 3, asOf: '2026-02-30' },
      ]);
      assert.equal(res.statusCode, 400);
      assert.equal(problem(res).code, 'invalid-request');
      assert.deepEqual(problem(res).errors!.map((e) => e.field), ['0.formType', '1.office', '1.asOf']);
      const shape = await publish([{ formType: 'I-130', office: 'VSC', months80: 0, asOf: 'soon' }]);
      assert.equal(shape.statusCode, 400);
      assert.deepEqual(problem(shape).errors!.map((e) => e.field).sort(), ['0.asOf', '0.months80']);
      const missing = await publish([{ formType: 'I-130', months80: 2, asOf: '2026-11-01' }]);
      assert.deepEqual(problem(missing).errors!.map((e) => [e.field, e.code]), [['0.office', 'required']]);
    });

    test('a published row for the exact category beats the form-wide row, which applies to every other category', async () => {
      const exact = (await figure({ formType: 'I-130', formCategory: 'spouse of u.s. citizen', office: 'VSC' })).json();
      assert.deepEqual(exact, {
        formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', months80: 11.3, basis: 'published', asOf: '2026-11-03',
        inquiryReceiptDate: inquiryReceiptDate(today(), 11.3),
      });
      const other = (await figure({ formType: 'I-130', formCategory: 'parent of U.S. citizen', office: 'VSC' })).json();
      assert.deepEqual([other.months80, other.basis, other.asOf], [8.5, 'published', '2026-11-01']);
      const all = (await figure({ formType: 'i-130', office: 'vsc' })).json();
      assert.deepEqual([all.formCategory, all.months80, all.basis], [null, 8.5, 'published']);
    });

    test('without a published row the figure is computed from 10 or more decisions in the last six months, else 6 months', async () => {
      const g = { formType: 'I-765', formCategory: 'DACA', office: 'CSC' };
      // Outside the window (decided before windowStart(today)), so it never counts.
      const stale = decided(g, 0, 10);
      stale.decidedDate = addDays(windowStart(today()), -1);
      stale.receivedDate = addDays(stale.decidedDate as string, -10);
      stale.history = [{ date: stale.receivedDate, status: 'case-was-received' }, { date: stale.decidedDate, status: 'case-was-approved' }];
      await load([stale, ...[100, 110, 120, 130, 140, 150, 160, 170, 180].map((d, i) => decided(g, 5 + i, d))]);
      let f = (await figure(g)).json();
      assert.deepEqual([f.basis, f.months80, f.asOf], ['default', 6, today()], '9 decisions in the window are too few');
      assert.equal(f.inquiryReceiptDate, inquiryReceiptDate(today(), 6));

      // The tenth decision arrives through the HTTP feed: the cached figure for this group is dropped and recomputed.
      const tenth = decided(g, 1, 190);
      assert.equal((await feed([tenth])).json().accepted, 1);
      f = (await figure(g)).json();
      // 100…190 days: the nearest-rank 80th percentile is the 8th smallest, 170 days = 5.6 months.
      assert.deepEqual([f.basis, f.months80, f.asOf, f.formCategory], ['computed', 5.6, today(), 'DACA']);
      assert.equal(f.inquiryReceiptDate, inquiryReceiptDate(today(), 5.6));
    });

    test('the six-month window: a decision on its first day counts, one the day before does not', async () => {
      const g = { formType: 'I-821D', formCategory: 'renewal request', office: 'NSC' };
      const on = (date: string, days: number) => {
        const received = addDays(date, -days);
        return caseRecord({ ...g, receivedDate: received, decidedDate: date, history: [{ date: received, status: 'case-was-received' }, { date, status: 'case-was-denied' }] });
      };
      const start = windowStart(today());
      await load([...Array.from({ length: 9 }, () => on(addDays(today(), -3), 30)), on(addDays(start, -1), 400)]);
      assert.equal((await figure(g)).json().basis, 'default');
      await load([on(start, 400)]);
      const f = (await figure(g)).json();
      assert.equal(f.basis, 'computed');
      assert.equal(f.months80, 1, 'the 8th of 30,30,…,30,400 days is 30 days ≈ 1.0 month');
    });

    test('computed figures are cached per group and day, and the feed invalidates exactly the groups it changes', async () => {
      const g = { formType: 'I-751', formCategory: 'joint filing', office: 'TSC' };
      await load(Array.from({ length: 10 }, (_, i) => decided(g, 10 + i, 200 + i)));
      const first = (await figure(g)).json();
      assert.equal(first.basis, 'computed');
      const all = (await figure({ formType: 'I-751', office: 'TSC' })).json();
      const cache = () => t.deps.database.db.selectFrom('processing_time_cache').selectAll().where('form_type', '=', 'I-751').where('office', '=', 'TSC').orderBy('form_category').execute();
      assert.deepEqual((await cache()).map((r) => [r.form_category, r.today, r.decisions]), [['*', today(), 10], ['joint filing', today(), 10]]);

      // Behind the feed's back the data changes: the cache still answers (no rescan per request).
      await t.deps.database.db.updateTable('cases').set({ decision_days: 5 }).where('form_type', '=', 'I-751').where('office', '=', 'TSC').execute();
      assert.equal((await figure(g)).json().months80, first.months80);

      // A feed change to the group drops its rows (and the all-categories row); the next request recomputes.
      await feed([decided(g, 2, 3)]);
      assert.deepEqual(await cache(), []);
      const after = (await figure(g)).json();
      assert.equal(after.months80, 0.2, '8th of 11 durations (5 × 10, 3) is 5 days');
      assert.notEqual(all.months80, after.months80);
    });

    test('a published row beats a computed figure', async () => {
      const g = { formType: 'I-765', formCategory: 'DACA', office: 'CSC' };
      assert.equal((await figure(g)).json().basis, 'computed');
      await publish([{ ...g, months80: 3.2, asOf: '2026-10-31' }]);
      const f = (await figure(g)).json();
      assert.deepEqual([f.basis, f.months80, f.asOf], ['published', 3.2, '2026-10-31']);
    });

    test('an unknown form or office answers 400 invalid-request naming the field; both are required', async () => {
      const res = await figure({ formType: 'I-999', office: 'VSC' });
      assert.equal(res.statusCode, 400);
      assert.equal(problem(res).code, 'invalid-request');
      assert.deepEqual(problem(res).errors!.map((e) => [e.field, e.code]), [['formType', 'unknown-form']]);
      assert.deepEqual(problem(await figure({ formType: 'I-130', office: 'XYZ' })).errors!.map((e) => e.field), ['office']);
      assert.deepEqual(problem(await figure({ formType: 'I-130' })).errors!.map((e) => [e.field, e.code]), [['office', 'required']]);
      assert.equal((await figure({ formType: 'I-130', office: 'VSC' })).headers['ratelimit-limit'], '60', 'a public, rate-limited endpoint');
    });

    test('inquiry: a pending case received before the inquiry receipt date is outside normal processing time', async () => {
      const g = { formType: 'I-130', formCategory: 'parent of U.S. citizen', office: 'VSC' }; // published 8.5 (form-wide)
      const old = pending(g, 400);
      const recent = pending(g, 30);
      await load([old, recent]);
      const yes = await inquiry(String(old.receiptNumber).toLowerCase().replace(/^(\w{3})/, '$1-'));
      assert.equal(yes.statusCode, 200, yes.body);
      assert.deepEqual(yes.json(), {
        receiptNumber: old.receiptNumber, outsideNormalProcessingTime: true, inquiryReceiptDate: inquiryReceiptDate(today(), 8.5),
        earliestInquiryDate: earliestInquiryDate(old.receivedDate as string, 8.5), receivedDate: old.receivedDate, decided: false,
        processingTime: { formType: 'I-130', formCategory: 'parent of U.S. citizen', office: 'VSC', months80: 8.5, basis: 'published', asOf: '2026-11-01', inquiryReceiptDate: inquiryReceiptDate(today(), 8.5) },
      });
      const no = (await inquiry(recent.receiptNumber as string)).json();
      assert.equal(no.outsideNormalProcessingTime, false);
      assert.equal(no.earliestInquiryDate, earliestInquiryDate(recent.receivedDate as string, 8.5));
      assert.ok(no.earliestInquiryDate > today());
      assert.equal((await inquiry(recent.receiptNumber as string)).headers['ratelimit-limit'], '60');
    });

    test('inquiry: a decided case is never outside; a form without a figure uses 6 months', async () => {
      const old = pending({ formType: 'N-565', office: 'MIA' }, 1000, { formCategory: null });
      const done: Record<string, unknown> = { ...pending({ formType: 'N-565', office: 'MIA' }, 1000, { formCategory: null }), decidedDate: today() };
      await load([old, done]);
      const o = (await inquiry(old.receiptNumber as string)).json();
      assert.deepEqual([o.outsideNormalProcessingTime, o.processingTime.basis, o.processingTime.months80, o.processingTime.formCategory], [true, 'default', 6, null]);
      const d = (await inquiry(done.receiptNumber as string)).json();
      assert.deepEqual([d.outsideNormalProcessingTime, d.decided], [false, true]);
      assert.match(d.earliestInquiryDate, /^\d{4}-\d{2}-\d{2}$/);
    });

    test('inquiry: benefits-center I-485, N-400 and N-600 cases use their field office; other forms and offices do not', async () => {
      await publish([
        { formType: 'I-485', office: 'HOU', months80: 20, asOf: '2026-11-01' },
        { formType: 'I-485', office: 'NBC', months80: 2, asOf: '2026-11-01' },
        { formType: 'N-400', office: 'HOU', months80: 20, asOf: '2026-11-01' },
        { formType: 'I-130', office: 'NBC', months80: 2, asOf: '2026-11-01' },
      ]);
      const withField = pending({ formType: 'I-485', formCategory: 'family-based', office: 'NBC' }, 300, { fieldOffice: 'HOU' });
      const noField = pending({ formType: 'I-485', formCategory: 'family-based', office: 'NBC' }, 300);
      const n400 = pending({ formType: 'N-400', formCategory: 'naturalization', office: 'NBC' }, 300, { fieldOffice: 'hou' });
      const i130 = pending({ formType: 'I-130', formCategory: 'sibling of U.S. citizen', office: 'NBC' }, 300, { fieldOffice: 'HOU' });
      await load([withField, noField, n400, i130]);
      const a = (await inquiry(withField.receiptNumber as string)).json();
      assert.deepEqual([a.processingTime.office, a.processingTime.months80, a.outsideNormalProcessingTime], ['HOU', 20, false]);
      const b = (await inquiry(noField.receiptNumber as string)).json();
      assert.deepEqual([b.processingTime.office, b.processingTime.months80, b.outsideNormalProcessingTime], ['NBC', 2, true]);
      assert.equal((await inquiry(n400.receiptNumber as string)).json().processingTime.office, 'HOU');
      assert.equal((await inquiry(i130.receiptNumber as string)).json().processingTime.office, 'NBC');
    });

    test('inquiry: a transferred case uses its new office\'s times', async () => {
      await publish([{ formType: 'I-140', office: 'NSC', months80: 30, asOf: '2026-11-01' }, { formType: 'I-140', office: 'TSC', months80: 4, asOf: '2026-11-01' }]);
      const rec = pending({ formType: 'I-140', formCategory: 'EB-2', office: 'NSC' }, 200);
      await load([rec]);
      assert.equal((await inquiry(rec.receiptNumber as string)).json().outsideNormalProcessingTime, false);
      await feed([{ ...rec, office: 'TSC', history: [...(rec.history as object[]), { date: today(), status: 'case-was-transferred' }] }]);
      const moved = (await inquiry(rec.receiptNumber as string)).json();
      assert.deepEqual([moved.processingTime.office, moved.processingTime.months80, moved.outsideNormalProcessingTime], ['TSC', 4, true]);
    });

    test('inquiry: a malformed receipt number answers 400 invalid-receipt-number without echoing it; an unknown one 404', async () => {
      for (const bad of ['XYZ1234567890', 'EAC12', 'EAC２５９００１２３４５', 'A'.repeat(100)]) {
        const res = await inquiry(bad);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(problem(res).code, 'invalid-receipt-number');
        assert.ok(!res.body.includes(bad), 'not echoed');
      }
      const unknown = await inquiry(receiptNumber('LIN'));
      assert.equal(unknown.statusCode, 404);
      assert.equal(problem(unknown).code, 'not-found');
    });
  });
}
