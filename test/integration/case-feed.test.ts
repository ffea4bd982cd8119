/** The case feed (CONTRACT.md section 5): upserts, per-line rejection, idempotent re-sends, transfers, streaming limits. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, ndjson, receiptNumber } from '../support/factories.ts';

for (const kind of databaseKinds()) {
  describe(`case feed [${kind}]`, () => {
    let t: TestApp;
    let feedToken: string;
    before(async () => {
      t = await startTestApp(kind);
      feedToken = await t.clientToken(['case-feed']);
    });
    after(() => t.close());

    const send = (payload: string, contentType = 'application/x-ndjson', token = feedToken) =>
      t.app.inject({ method: 'POST', url: '/api/v1/case-feed', payload, headers: { 'content-type': contentType, ...bearer(token) } });
    const stored = (rn: string) => t.deps.database.db.selectFrom('cases').selectAll().where('receipt_number', '=', rn).executeTakeFirst();

    test('valid lines are kept and bad lines reported by number and reason', async () => {
      const good1 = caseRecord();
      const good2 = caseRecord({ receiptNumber: ` ${receiptNumber('lin').toLowerCase().replace(/(\d{2})/, '-$1-')} ` });
      const body = ndjson([
        good1,
        '{"receiptNumber": "EAC25900',
        caseRecord({ receiptNumber: 'XYZ1234567890' }),
        '',
        caseRecord({ formType: 'I-999' }),
        good2,
        caseRecord({ history: [] }),
        caseRecord({ applicant: { name: 'No Birthday' } }),
      ]);
      const res = await send(body);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.equal(r.accepted, 2);
      assert.deepEqual(r.rejected.map((x: { line: number; code: string }) => [x.line, x.code]), [
        [2, 'invalid-request'], [3, 'invalid-receipt-number'], [5, 'invalid-request'], [7, 'invalid-request'], [8, 'invalid-request'],
      ]);
      assert.ok(!JSON.stringify(r.rejected).includes('XYZ1234567890'), 'an invalid receipt number is not echoed');
      assert.match(r.rejected[2].detail, /formType/);
      assert.match(r.rejected[2].receiptNumber, /^EAC\d{10}$/, 'a valid receipt number is named');
      assert.ok(await stored(good1.receiptNumber as string));
      const normalised = String(good2.receiptNumber).replace(/[\s-]/g, '').toUpperCase();
      assert.equal((await stored(normalised))?.office, 'VSC');
    });

    test('a re-sent record changes nothing; a changed one replaces what the feed said before', async () => {
      const rec = caseRecord();
      await send(ndjson([rec]));
      const first = await stored(rec.receiptNumber as string);
      const auditBefore = await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const again = await send(ndjson([rec]));
      assert.deepEqual(again.json(), { accepted: 1, rejected: [] });
      assert.deepEqual(await stored(rec.receiptNumber as string), first, 'not written again');
      const auditAfter = await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(auditAfter.n), Number(auditBefore.n), 'nothing changed, nothing audited');

      const decided = { ...rec, decidedDate: '2025-09-05', history: [...(rec.history as object[]), { date: '2025-09-05', status: 'case-was-approved' }] };
      await send(ndjson([decided]));
      const row = await stored(rec.receiptNumber as string);
      assert.equal(row?.status, 'case-was-approved');
      assert.equal(row?.decided_date, '2025-09-05');
      assert.equal(row?.decision_days, 234);
    });

    test('a JSON array works too, and entries given as instants are dated in the agency time zone', async () => {
      const rec = caseRecord({ history: [{ at: '2025-03-01T02:30:00Z', status: 'case-was-received' }] });
      const res = await send(JSON.stringify([rec]), 'application/json');
      assert.deepEqual(res.json(), { accepted: 1, rejected: [] });
      const row = await stored(rec.receiptNumber as string);
      assert.equal(row?.status_date, '2025-02-28', '02:30 UTC is still the evening before in New York');
      assert.equal(row?.status_at, '2025-03-01T02:30:00.000Z');
      const notArray = await send('{"receiptNumber":1}', 'application/json');
      assert.equal(notArray.statusCode, 400);
    });

    test('a transfer moves the case to its new office and the history keeps its order', async () => {
      const rec = caseRecord({ office: 'NSC' });
      await send(ndjson([rec]));
      const moved = { ...rec, office: 'NBC', history: [...(rec.history as object[]), { date: '2025-04-01', status: 'case-was-transferred' }] };
      await send(ndjson([moved]));
      const row = await stored(rec.receiptNumber as string);
      assert.equal(row?.office, 'NBC');
      assert.deepEqual(JSON.parse(row!.history).map((h: { status: string }) => h.status), ['case-was-received', 'case-was-transferred']);
    });

    test('only the case-feed scope or an admin may load cases, checked before reading', async () => {
      const tier2 = await t.signIn('tier2');
      const denied = await send(ndjson([caseRecord()]), 'application/x-ndjson', tier2.token);
      assert.equal(denied.statusCode, 403);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/case-feed', payload: '{}', headers: { 'content-type': 'application/x-ndjson' } })).statusCode, 401);
      const admin = await t.signIn('admin');
      assert.equal((await send(ndjson([caseRecord()]), 'application/x-ndjson', admin.token)).json().accepted, 1);
      const tok = await t.clientToken(['case-status']);
      assert.equal((await send(ndjson([caseRecord()]), 'application/x-ndjson', tok)).statusCode, 403);
    });

    test('a body that is not NDJSON or JSON answers 415', async () => {
      const res = await send('receiptNumber,formType\n', 'text/csv');
      assert.equal(res.statusCode, 415);
      assert.equal(problem(res).code, 'unsupported-media-type');
    });

    test('the feed is not limited to 1 MiB', async () => {
      const records = Array.from({ length: 1500 }, () => caseRecord());
      const body = ndjson(records);
      assert.ok(body.length > 1024 * 1024);
      const res = await send(body);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().accepted, 1500);
    });
  });
}

for (const kind of databaseKinds()) {
  describe(`case feed decisions [${kind}]`, () => {
    test('a decision is taken from the history when not sent, and a reopened case is pending again', async () => {
      const t = await startTestApp(kind);
      try {
        const denied = caseRecord({ history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-06-01', status: 'case-was-denied' }] });
        const reopened = caseRecord({ history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-06-01', status: 'case-was-denied' }, { date: '2025-07-01', status: 'case-was-reopened' }] });
        await t.deps.feed.import((async function* () { yield { line: 1, value: denied }; yield { line: 2, value: reopened }; })(), { kind: 'cli' });
        const row = (rn: unknown) => t.deps.database.db.selectFrom('cases').select(['decided_date', 'decision_days']).where('receipt_number', '=', String(rn)).executeTakeFirstOrThrow();
        assert.deepEqual(await row(denied.receiptNumber), { decided_date: '2025-06-01', decision_days: 138 });
        assert.deepEqual(await row(reopened.receiptNumber), { decided_date: null, decision_days: null });
      } finally {
        await t.close();
      }
    });
  });
}
