/** The public page "Check your priority date", in English and Spanish, through app.inject. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { todayIn } from '../../src/domain/calendar.ts';

const thisMonth = todayIn('America/New_York').slice(0, 7);
const lastMonth = DateTime.fromISO(`${thisMonth}-01`, { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-MM');
const monthName = (m: string, locale: string) => new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));

for (const kind of databaseKinds()) {
  describe(`priority-date page [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());
    const get = (url: string) => t.app.inject({ method: 'GET', url });

    test('without a bulletin the page says so, and still explains the bulletin', async () => {
      const res = await get('/priority-date');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<h1>Check your priority date<\/h1>/);
      assert.match(res.body, /No visa bulletin has been added here yet/);
      assert.match(res.body, /Immediate relatives/);
      assert.match(res.body, /method="get" action="\/priority-date"/);
      const asked = await get('/priority-date?pdMonth=1&pdDay=14&pdYear=2020&category=F2A');
      assert.equal(asked.statusCode, 200);
      assert.match(asked.body, /No visa bulletin yet/);
    });

    test('with last month\'s bulletin only, the answer names it; C, U and a date are explained', async () => {
      await t.deps.visaBulletins.publish(lastMonth, {
        finalActionDates: { F2A: { ALL: '2022-01-01', MEXICO: '2021-02-01' }, EB2: { ALL: 'C', INDIA: 'U' } },
        datesForFiling: { F2A: { ALL: 'C' } },
      }, { kind: 'system' });
      const res = await get('/priority-date?pdMonth=12&pdDay=31&pdYear=2021&category=F2A&chargeability=ALL&chart=final-action');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /data-current="yes"/);
      assert.match(res.body, /Yes, your priority date is current/);
      assert.match(res.body, /Cut-off date: January 1, 2022/);
      assert.match(res.body, /Your priority date, December 31, 2021, is before the cut-off date, January 1, 2022\. So it is current\./);
      assert.ok(res.body.includes(`${monthName(lastMonth, 'en-US')} Visa Bulletin`));
      assert.ok(res.body.includes(`So we used the latest one: ${monthName(lastMonth, 'en-US')}`), 'says this month\'s is not published');

      const mexico = await get('/priority-date?priorityDate=2021-06-01&category=F2A&chargeability=MEXICO');
      assert.match(mexico.body, /data-current="no"/);
      assert.match(mexico.body, /No, your priority date is not current yet/);

      const c = await get('/priority-date?priorityDate=2030-01-01&category=EB2&chargeability=CHINA');
      assert.match(c.body, /C – Current/);
      assert.match(c.body, /id="fallback"/, 'China has no column of its own in this row: ALL applies');
      const u = await get('/priority-date?priorityDate=1990-01-01&category=EB2&chargeability=INDIA');
      assert.match(u.body, /U – Unavailable/);
      assert.match(u.body, /There are no visas in this category and country this month/);

      const filing = await get('/priority-date?priorityDate=2030-01-01&category=F2A&chart=dates-for-filing');
      assert.match(filing.body, /data-current="yes"/);
      assert.match(filing.body, /Dates for Filing tell you when you may be able to send in your forms early/);
    });

    test('the answer in Spanish, with dates in Spanish', async () => {
      await t.deps.visaBulletins.publish(thisMonth, { finalActionDates: { F2A: { ALL: '2022-01-01' } }, datesForFiling: { F2A: { ALL: 'C' } } }, { kind: 'system' });
      const res = await get('/priority-date?pdMonth=3&pdDay=5&pdYear=2022&category=F2A&lang=es');
      assert.match(res.body, /<html lang="es">/);
      assert.match(res.body, /No, su fecha de prioridad todavía no está vigente/);
      assert.match(res.body, /Fecha límite: 1 de enero de 2022/);
      assert.match(res.body, /Su fecha de prioridad, 5 de marzo de 2022, no es antes de la fecha límite/);
      assert.ok(res.body.includes(`Boletín de Visas de ${monthName(thisMonth, 'es-US')}`));
      assert.ok(!res.body.includes('id="older-bulletin"'), 'this month\'s bulletin is used');
      assert.match(res.body, /Familiares inmediatos/);
      assert.match(res.body, /<option value="3" selected>/);
    });

    test('missing or impossible answers are marked, in English and Spanish', async () => {
      const res = await get('/priority-date?pdMonth=2&pdDay=30&pdYear=2020&category=');
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Enter a real date/);
      assert.match(res.body, /Choose your category\./);
      // Every date field is marked invalid and described by the message beside them; the summary links to the first.
      for (const id of ['pdMonth', 'pdDay', 'pdYear']) assert.match(res.body, new RegExp(`id="${id}"[^>]*aria-describedby="pd-hint pd-error" aria-invalid="true"`), id);
      assert.match(res.body, /<a class="usa-link" href="#pdMonth">Enter a real date/);
      assert.match(res.body, /<title>Error: Check your priority date \| Switchboard<\/title>/);
      const missing = await get('/priority-date?category=F1&lang=es');
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Escriba su fecha de prioridad: mes, día y año\./);
      assert.match(missing.body, /<title>Error: Verifique su fecha de prioridad \| Switchboard<\/title>/);
    });

    test('the form is checked here, not by the browser: novalidate, and an empty form is an error in our words', async () => {
      const form = await get('/priority-date');
      assert.match(form.body, /<form class="usa-form usa-form--large" method="get" action="\/priority-date" novalidate>/);
      assert.doesNotMatch(form.body, /\srequired[\s>]|\spattern=/, 'no browser validation, whose messages would be in the browser\'s language');
      const empty = await get('/priority-date?lang=es&pdMonth=&pdDay=&pdYear=&category=&chargeability=ALL&chart=final-action');
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Escriba su fecha de prioridad/);
      assert.match(empty.body, /Elija su categoría\./);
    });

    test('the chargeability and chart questions carry plain words beside them; the Spanish date hint is in Spanish order', async () => {
      const en = await get('/priority-date');
      assert.match(en.body, /id="chargeability-hint">This is the country your visa counts against/);
      assert.match(en.body, /aria-describedby="chart-hint"[\s\S]*id="chart-hint">Each bulletin has two charts of dates/);
      const es = await get('/priority-date?lang=es');
      assert.match(es.body, /Por ejemplo: 14 de enero de 2025\./);
      assert.doesNotMatch(es.body, /enero 14/);
    });
  });
}
