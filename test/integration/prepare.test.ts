/** "Prepare for my call": one page per set of receipt numbers, with status, processing time, priority date, advice and a call record. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';

const today = DateTime.now().setZone('America/New_York');
const daysAgo = (n: number) => today.minus({ days: n }).toISODate()!;

for (const kind of databaseKinds()) {
  describe(`prepare for my call [${kind}]`, () => {
    let t: TestApp;
    const old = caseRecord({ receivedDate: daysAgo(400), history: [{ date: daysAgo(400), status: 'case-was-received' }, { date: daysAgo(300), status: 'fingerprints-were-taken' }] });
    const recent = caseRecord({ receivedDate: daysAgo(20), history: [{ date: daysAgo(20), status: 'case-was-received' }], priorityDate: '2015-01-01', preferenceCategory: 'F2A', chargeability: 'MEXICO' });
    const approved = caseRecord({ formType: 'I-765', formCategory: 'other', receivedDate: daysAgo(200), decidedDate: daysAgo(10), history: [{ date: daysAgo(200), status: 'case-was-received' }, { date: daysAgo(10), status: 'case-was-approved' }], priorityDate: null, preferenceCategory: null });
    const protectedCase = caseRecord({ receivedDate: daysAgo(500), history: [{ date: daysAgo(500), status: 'case-was-received' }], applicant: { ...(caseRecord().applicant as object), protectedCategory: 'U' } });

    before(async () => {
      t = await startTestApp(kind);
      const r = await t.deps.feed.import((async function* () { let line = 0; for (const value of [old, recent, approved, protectedCase]) yield { line: ++line, value }; })(), { kind: 'cli' });
      assert.equal(r.accepted, 4);
      await t.deps.visaBulletins.publish(today.toFormat('yyyy-MM'), { finalActionDates: { F2A: { ALL: '2023-01-01', MEXICO: '2020-06-01' } }, datesForFiling: { F2A: { ALL: 'C' } } }, { kind: 'cli' });
    });
    after(() => t.close());

    const prepare = (receipts: string, lang = 'en') => t.app.inject({ method: 'GET', url: `/prepare?lang=${lang}&receipts=${encodeURIComponent(receipts)}` });

    test('without receipt numbers the page shows the form only; sent empty, it asks for one', async () => {
      const empty = await prepare('', 'es');
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Escriba al menos un número de recibo\./);
      assert.match(empty.body, /<title>Error: /);
      const res = await t.app.inject({ method: 'GET', url: '/prepare' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /method="get" action="\/prepare" novalidate>/);
      assert.match(res.body, /<textarea[^>]+name="receipts"/);
      assert.doesNotMatch(res.body, /Record of your call/);
    });

    test('each case shows its status, processing-time standing, advice and what to have ready; one call record', async () => {
      const res = await prepare(`${old.receiptNumber}\n${String(recent.receiptNumber).toLowerCase()}, ${approved.receiptNumber}`);
      assert.equal(res.statusCode, 200);
      const b = res.body;
      assert.ok(b.includes(String(old.receiptNumber)) && b.includes(String(recent.receiptNumber)) && b.includes(String(approved.receiptNumber)));
      assert.match(b, /Case Was Updated To Show Fingerprints Were Taken/);
      assert.match(b, /Your case is outside normal processing time/);
      assert.match(b, /Your case is within normal processing time/);
      assert.match(b, /A decision has been made on this case/);
      assert.match(b, /Submit an online inquiry that your case is outside normal processing time/);
      assert.match(b, /Your priority date is current\./, 'F2A MEXICO 2015-01-01 is before the 2020-06-01 cut-off');
      assert.match(b, /Receipt notice/);
      assert.equal((b.match(/<h2 id="record-heading">/g) ?? []).length, 1, 'one call record for all the cases');
      assert.match(b, /Staff name or ID number/);
      assert.match(b, /Referral number/);
      assert.ok(!b.includes('A012345678') && !b.includes('5678</'), 'no A-number digits on a page reached by receipt number alone');
      assert.ok(!b.includes('Ana Pérez') && !b.includes('1990-03-02'), 'no applicant details');
      assert.ok(!b.includes('2015-01-01') && !b.includes('January 1, 2015'), 'the priority date itself is not shown');
    });

    test('a protected-category case gets no online inquiry or address change, but a phone number', async () => {
      const b = (await prepare(String(protectedCase.receiptNumber))).body;
      assert.match(b, /outside normal processing time/);
      assert.doesNotMatch(b, /Submit an online inquiry/);
      assert.match(b, /it cannot be changed online/);
    });

    test('a malformed entry is a form error tied to the field: named by position, typed text kept (never markup), no page to print', async () => {
      const unknown = receiptNumber('WAC');
      const res = await prepare(`EAC12<b>x</b>, ${unknown}`);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /<title>Error: Prepare for your call \| Switchboard<\/title>/);
      assert.match(res.body, /role="alert">\s*<h2 class="usa-alert__heading">There is a problem<\/h2>/);
      assert.match(res.body, /<a class="usa-link" href="#receipts">Entry 1 is not a receipt number/);
      assert.match(res.body, /id="receipts-error">Entry 1 is not a receipt number/);
      assert.match(res.body, /<textarea[^>]*aria-describedby="receipts-hint receipts-error" aria-invalid="true"[^>]*>EAC12bxb, WAC/);
      assert.ok(res.body.includes(unknown), 'what was typed stays in the field');
      assert.ok(!res.body.includes('EAC12<b>') && !res.body.includes('&lt;b&gt;'), 'markup is never given back');
      assert.doesNotMatch(res.body, /sb-print-button|Record of your call/, 'nothing to print until every entry is a receipt number');
    });

    test('an unknown number is named on the page; the result names what is ready in the title', async () => {
      const unknown = receiptNumber('WAC');
      const res = await prepare(`${old.receiptNumber}, ${unknown}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /We could not find this receipt number/);
      assert.ok(res.body.includes(unknown));
      assert.match(res.body, /<title>Your page for 1 case is ready – Prepare for your call \| Switchboard<\/title>/);
      assert.match(res.body, /id="ready-heading" tabindex="-1" data-sb-focus>Your page for 1 case is ready</);
      assert.match(res.body, /sb-print-button/);
    });

    test('in Spanish', async () => {
      const res = await prepare(String(old.receiptNumber), 'es');
      assert.match(res.body, /<html lang="es">/);
      assert.match(res.body, /Prepárese para su llamada/);
      assert.match(res.body, /Su caso está fuera del tiempo normal de procesamiento/);
      assert.match(res.body, /Registro de su llamada/);
    });

    test('the page has a print stylesheet that hides the form and navigation', async () => {
      const b = (await prepare(String(old.receiptNumber))).body;
      assert.match(b, /<link rel="stylesheet" href="\/assets\/app\/print.css" media="print">/);
      const css = (await t.app.inject({ method: 'GET', url: '/assets/app/print.css' })).body;
      assert.match(css, /\.sb-no-print \{ display: none !important; \}/);
    });
  });
}
