/** The public pages "Check processing times" and "Can I ask about my case yet?", in English and Spanish, through app.inject. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays, earliestInquiryDate, inquiryReceiptDate } from '../../src/domain/processing-time.ts';
import { longDate } from '../../src/platform/i18n/format.ts';

for (const kind of databaseKinds()) {
  describe(`processing-time pages [${kind}]`, () => {
    let t: TestApp;
    const today = todayIn('America/New_York');
    const old = caseRecord({ formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', receivedDate: addDays(today, -500), history: [{ date: addDays(today, -500), status: 'case-was-received' }] });
    const recent = caseRecord({ formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', receivedDate: addDays(today, -20), history: [{ date: addDays(today, -20), status: 'case-was-received' }] });
    const decided = caseRecord({ formType: 'N-400', formCategory: 'naturalization', office: 'NYC', decidedDate: addDays(today, -2), receivedDate: addDays(today, -300), history: [{ date: addDays(today, -300), status: 'case-was-received' }, { date: addDays(today, -2), status: 'case-was-approved' }] });

    before(async () => {
      t = await startTestApp(kind);
      await t.deps.processingTimes.publish([{ formType: 'I-130', formCategory: 'spouse of U.S. citizen', office: 'VSC', months80: 10.5, asOf: '2026-11-01' }], { kind: 'system' });
      const r = await t.deps.feed.import((async function* () { let line = 0; for (const value of [old, recent, decided]) yield { line: ++line, value }; })(), { kind: 'system' });
      assert.equal(r.accepted, 3);
    });
    after(() => t.close());

    const get = (url: string) => t.app.inject({ method: 'GET', url });

    test('the home page links the three services', async () => {
      const home = await get('/');
      for (const href of ['/processing-times', '/inquiry', '/priority-date']) assert.match(home.body, new RegExp(`href="${href}"`));
    });

    test('/processing-times offers forms, categories and offices from the reference data, in a plain GET form', async () => {
      const res = await get('/processing-times');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<h1>Check processing times<\/h1>/);
      assert.match(res.body, /<form class="usa-form usa-form--large" method="get" action="\/processing-times" novalidate>/);
      assert.match(res.body, /<option value="I-130">I-130 – Petition for Alien Relative<\/option>/);
      assert.match(res.body, /<optgroup label="Form I-765" data-form="I-765">/);
      assert.match(res.body, /<option value="VSC">Vermont Service Center<\/option>/);
      assert.ok(res.headers['ratelimit-limit'], 'rate-limited as a public page');
    });

    test('an answer shows the months, the basis in words and the inquiry receipt date, in English and Spanish', async () => {
      const q = 'formType=I-130&formCategory=spouse+of+U.S.+citizen&office=VSC';
      const en = await get(`/processing-times?${q}`);
      assert.equal(en.statusCode, 200);
      assert.match(en.body, /10\.5 months/);
      assert.match(en.body, /This is the time USCIS published on November 1, 2026\./);
      const date = inquiryReceiptDate(today, 10.5);
      assert.ok(en.body.includes(`If your case was received before ${longDate(date, 'en')}, it is outside normal processing time`));
      assert.match(en.body, /<option value="spouse of U.S. citizen" selected>/);

      const es = await get(`/processing-times?${q}&lang=es`);
      assert.match(es.body, /<html lang="es">/);
      assert.match(es.body, /10\.5 meses/);
      assert.match(es.body, /Este es el tiempo que USCIS publicó el 1 de noviembre de 2026\./);
      assert.ok(es.body.includes(`Si su caso llegó antes del ${longDate(date, 'es')}`));

      const def = await get('/processing-times?formType=I-600&office=LOS');
      assert.match(def.body, /6 months/);
      assert.match(def.body, /the usual time of 6 months is used/);
      assert.doesNotMatch(def.body, /8 out of 10 cases like this/, 'the default is not a measurement');
    });

    test('missing or mismatched choices answer 400 with the fields marked', async () => {
      const res = await get('/processing-times?formType=I-130');
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Choose an office\./);
      assert.match(res.body, /id="office-error"/);
      const mismatch = await get('/processing-times?formType=I-90&formCategory=DACA&office=VSC');
      assert.equal(mismatch.statusCode, 400);
      assert.match(mismatch.body, /That category is not one of this form/);
      assert.match(mismatch.body, /id="formCategory"[^>]*aria-describedby="formCategory-hint formCategory-error" aria-invalid="true"/);
      assert.match(mismatch.body, /<title>Error: Check processing times \| Switchboard<\/title>/);
      const es = await get('/processing-times?formType=I-999&office=VSC&lang=es');
      assert.match(es.body, /Elija un formulario\./);
    });

    test('an empty form is an error in our own words, with a summary linking to each field', async () => {
      const res = await get('/processing-times?lang=es&formType=&formCategory=&office=');
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /class="usa-alert usa-alert--error sb-error-summary[^"]*" tabindex="-1"/);
      assert.match(res.body, /role="alert">\s*<h2 class="usa-alert__heading">Hay un problema<\/h2>/);
      assert.match(res.body, /<a class="usa-link" href="#formType">Elija un formulario\.<\/a>/);
      assert.match(res.body, /<a class="usa-link" href="#office">Elija una oficina\.<\/a>/);
      assert.match(res.body, /id="formType" name="formType" aria-invalid="true" aria-describedby="formType-error"/);
      assert.doesNotMatch(res.body, /\srequired[\s>]/);
    });

    test('categories are grouped under their form, for the script to show only the chosen form\'s', async () => {
      const res = await get('/processing-times');
      const groups = [...res.body.matchAll(/<optgroup label="[^"]*" data-form="([^"]+)">/g)].map((m) => m[1]);
      assert.ok(groups.includes('I-130') && groups.includes('I-765'), groups.join(', '));
      assert.match(res.body, /<script src="\/assets\/app\/categories.js" defer><\/script>/);
      assert.equal((await t.app.inject({ method: 'GET', url: '/assets/app/categories.js' })).statusCode, 200);
    });

    test('/inquiry answers yes with what to do, in English and Spanish', async () => {
      const en = await get(`/inquiry?receiptNumber=${String(old.receiptNumber).toLowerCase()}`);
      assert.equal(en.statusCode, 200);
      assert.match(en.body, /data-answer="yes"/);
      assert.match(en.body, /Yes, you can ask about your case now/);
      assert.match(en.body, /Call the Contact Center at 1-800-375-5283/);
      assert.ok(en.body.includes(`Receipt number ${old.receiptNumber}`));
      const es = await get(`/inquiry?receiptNumber=${old.receiptNumber}&lang=es`);
      assert.match(es.body, /Sí, ya puede preguntar por su caso/);
      assert.match(es.body, /Qué hacer ahora/);
    });

    test('/inquiry answers "not yet" with the date from which the person can ask', async () => {
      const earliest = earliestInquiryDate(recent.receivedDate as string, 10.5);
      const en = await get(`/inquiry?receiptNumber=${recent.receiptNumber}`);
      assert.match(en.body, /data-answer="not-yet"/);
      assert.ok(en.body.includes(`Not yet. You can ask from ${longDate(earliest, 'en')}.`));
      const es = await get(`/inquiry?receiptNumber=${recent.receiptNumber}&lang=es`);
      assert.ok(es.body.includes(`Todavía no. Puede preguntar a partir del ${longDate(earliest, 'es')}.`));
    });

    test('/inquiry explains that a decided case has nothing to ask about', async () => {
      const res = await get(`/inquiry?receiptNumber=${decided.receiptNumber}`);
      assert.match(res.body, /data-answer="decided"/);
      assert.match(res.body, /Your case already has a decision/);
    });

    test('/inquiry: a malformed receipt number answers 400 without echoing it; an unknown one 404', async () => {
      const bad = await get('/inquiry?receiptNumber=XYZ%3Cb%3E123');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /That is not a receipt number/);
      // Not echoed: the field is empty again (only the language link keeps the address as it was).
      assert.match(bad.body, /name="receiptNumber"[^>]*value=""/);
      assert.ok(!bad.body.replace(/href="[^"]*"/g, '').includes('XYZ'), 'not echoed');
      const unknown = await get(`/inquiry?receiptNumber=${receiptNumber('WAC')}`);
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /We could not find that case/);
      const es = await get('/inquiry?receiptNumber=nope&lang=es');
      assert.match(es.body, /Eso no es un número de recibo/);
    });
  });
}
