/**
 * The public's online service requests through app.inject, on SQLite and PostgreSQL: "Ask us online", one form per
 * kind (CSRF, field checks in the page's words, every refusal of the rules, input kept, 303 to the result, a double
 * submit showing one result), the printable result, the status look-up the answer mail links to, and
 * "This did not solve my problem" after an office answers through the API. Also the links from the case pages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { longDate } from '../../src/platform/i18n/format.ts';
import { formatReferralNumber } from '../../src/domain/referral-number.ts';
import { dateOfBirth } from '../../src/service-requests/pages.ts';

const en = translator('en');
const es = translator('es');
/** Text as the templates write it (auto-escaped). */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const has = (res: LightMyRequestResponse, text: string) => assert.ok(res.body.includes(html(text)), `the page says: ${text}`);
const hasNot = (res: LightMyRequestResponse, text: string) => assert.ok(!res.body.includes(html(text)), `the page does not say: ${text}`);
const title = (res: LightMyRequestResponse) => /<title>([^<]*)<\/title>/.exec(res.body)?.[1] ?? '';
const valueOf = (res: LightMyRequestResponse, id: string) => new RegExp(`id="${id}" name="${id}"[^>]*value="([^"]*)"`).exec(res.body)?.[1];
const today = () => new Date().toISOString().slice(0, 10);

/** A browser-like visitor: keeps cookies, and posts forms with the CSRF token of the last page it saw. */
function visitor(t: TestApp) {
  const jar = new Map<string, string>();
  let csrf = '';
  let formToken = '';
  const remember = (res: LightMyRequestResponse) => {
    for (const c of res.cookies) jar.set(c.name, c.value);
    csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? csrf;
    formToken = /name="formToken" value="([^"]+)"/.exec(res.body)?.[1] ?? formToken;
    return res;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    get token() { return formToken; },
    get: async (url: string) => remember(await t.app.inject({ method: 'GET', url, headers: { cookie: cookie() } })),
    post: async (url: string, fields: Record<string, string>, options: { csrf?: boolean; formToken?: string } = {}) => remember(await t.app.inject({
      method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: csrf }), formToken: options.formToken ?? formToken, ...fields }).toString(),
    })),
  };
}

for (const kind of databaseKinds()) {
  describe(`service request pages [${kind}]`, () => {
    let t: TestApp;
    // Received long ago: outside normal processing time. Received today: within it. A VAWA case: never online.
    const outside = caseRecord({ receivedDate: '2023-01-10', history: [{ date: '2023-01-10', status: 'case-was-received' }] });
    const recent = caseRecord({ receivedDate: today(), history: [{ date: today(), status: 'case-was-received' }] });
    const shielded = caseRecord({ receivedDate: '2023-01-10', applicant: { ...(caseRecord().applicant as object), protectedCategory: 'VAWA' } });
    const moved = caseRecord({ receivedDate: '2023-01-10' });
    const rn = (c: Record<string, unknown>) => String(c.receiptNumber);
    const person = { name: 'Ana Pérez', dobMonth: '3', dobDay: '2', dobYear: '1990' };

    before(async () => {
      // One visitor's many pages in one test run: the per-address public limit (60 a minute) is not what is tested here.
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '100000' } });
      const records = [outside, recent, shielded, moved];
      const result = await t.deps.feed.import((async function* () { for (const [i, value] of records.entries()) yield { line: i + 1, value }; })(), { kind: 'cli' });
      assert.equal(result.accepted, records.length);
    });
    after(() => t.close());

    test('"Ask us online" lists the kinds the public may file, each linking to its form, and the ones that need a call', async () => {
      const v = visitor(t);
      const page = await v.get('/service-requests');
      assert.equal(page.statusCode, 200);
      assert.ok(page.headers['ratelimit-limit'], 'rate limited like the other public pages');
      assert.equal(title(page), `${en('requestOnline.title')} | ${en('site.name')}`);
      const online = t.deps.serviceRequests.kindsFor('public');
      assert.ok(online.length >= 5);
      for (const k of online) {
        assert.match(page.body, new RegExp(`href="/service-requests/new/${k.type}\\?lang=en" data-kind="${k.type}" data-agency-text>${html(k.title.en)}</a>`));
        has(page, en(`requestOnline.kind.${k.type}`));
      }
      // Expedite and "other" are not offered online: named, with the phone number.
      const phoneKinds = /id="phone-kinds">([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? '';
      assert.match(phoneKinds, /data-kind="expedite"/);
      assert.doesNotMatch(phoneKinds, /outside-normal-processing-time/);
      assert.doesNotMatch(page.body, /href="\/service-requests\/new\/expedite/);
      has(page, en('requestOnline.byPhoneLead', { phone: t.deps.agency.contactCenterPhone }));
      assert.match(page.body, /href="\/service-requests\/status\?lang=en"/);

      const spanish = await v.get(`/service-requests?lang=es&receiptNumber=${rn(outside)}`);
      assert.match(spanish.body, /<html lang="es">/);
      has(spanish, es('requestOnline.lead'));
      has(spanish, online[0]!.title.es);
      assert.match(spanish.body, new RegExp(`href="/service-requests/new/${online[0]!.type}\\?receiptNumber=${rn(outside)}&amp;lang=es"`), 'a receipt number passed along is kept in the links');
    });

    test('a form per kind: the receipt number prefilled, the kind\'s own fields, a CSRF token; unknown kinds 404; expedite needs a call', async () => {
      const v = visitor(t);
      const form = await v.get(`/service-requests/new/outside-normal-processing-time?receiptNumber=${rn(outside).toLowerCase()}`);
      assert.equal(form.statusCode, 200);
      assert.equal(title(form), `${t.deps.serviceRequests.rules.kind('outside-normal-processing-time')!.title.en} – ${en('requestOnline.form.title')} | ${en('site.name')}`);
      assert.match(form.body, /<form class="usa-form usa-form--large" method="post" action="\/service-requests\/new\/outside-normal-processing-time\?lang=en" novalidate>/);
      assert.equal(valueOf(form, 'receiptNumber'), rn(outside), 'prefilled, normalised');
      assert.match(form.body, /name="_csrf" value="[^"]+"/);
      assert.match(v.token, /^[0-9a-f-]{36}$/);
      for (const id of ['name', 'dobMonth', 'dobDay', 'dobYear', 'details']) assert.match(form.body, new RegExp(`id="${id}" name="${id}"`));
      assert.doesNotMatch(form.body, /id="street"/, 'no address on this kind');
      assert.match(form.body, /id="urgency-urgent"/);

      const address = await v.get('/service-requests/new/change-of-address?lang=es');
      for (const id of ['street', 'street2', 'city', 'state', 'zip']) assert.match(address.body, new RegExp(`id="${id}" name="${id}"`));
      has(address, es('requestOnline.field.addressLegend'));
      assert.match(address.body, /action="\/service-requests\/new\/change-of-address\?lang=es"/);

      assert.equal((await v.get('/service-requests/new/no-such-kind')).statusCode, 404);
      const expedite = await v.get('/service-requests/new/expedite?lang=en');
      assert.equal(expedite.statusCode, 200);
      assert.doesNotMatch(expedite.body, /method="post" action="\/service-requests/);
      has(expedite, en('requestOnline.form.byPhone', { phone: t.deps.agency.contactCenterPhone }));
    });

    test('without the CSRF token a form is refused (403) and nothing is made', async () => {
      const v = visitor(t);
      await v.get('/service-requests/new/typographical-error');
      const res = await v.post('/service-requests/new/typographical-error', { receiptNumber: rn(outside), ...person, details: 'My name is wrong on the card.' }, { csrf: false });
      assert.equal(res.statusCode, 403);
      const queue = await t.deps.database.db.selectFrom('service_requests').select('referral_number').where('receipt_number', '=', rn(outside)).where('type', '=', 'typographical-error').execute();
      assert.equal(queue.length, 0);
    });

    test('an empty form: 400, an error summary linking to each field, the messages beside the fields, in English and Spanish', async () => {
      for (const [lang, tr] of [['en', en], ['es', es]] as const) {
        const v = visitor(t);
        await v.get(`/service-requests/new/change-of-address?lang=${lang}`);
        const res = await v.post(`/service-requests/new/change-of-address?lang=${lang}`, {});
        assert.equal(res.statusCode, 400);
        assert.ok(title(res).startsWith(tr('site.errorPrefix')), title(res));
        assert.match(res.body, /id="error-summary"/);
        for (const [field, key] of [['receiptNumber', 'receiptNumber.required'], ['name', 'name.required'], ['dobMonth', 'dateOfBirth.required'], ['street', 'newAddress.required'], ['details', 'details.required']]) {
          assert.match(res.body, new RegExp(`<a class="usa-link" href="#${field}">${html(tr(`requestOnline.error.${key}`))}</a>`), `${lang}: ${key} in the summary`);
        }
        assert.match(res.body, /id="name-error">/);
        assert.match(res.body, /id="name" name="name" type="text" value=""[^>]*aria-describedby="name-hint name-error" aria-invalid="true"/);
        assert.match(res.body, /id="dobDay"[^>]*aria-describedby="dob-hint dob-error" aria-invalid="true"/);
      }
    });

    test('bad entries are named field by field, and what was typed is kept', async () => {
      const v = visitor(t);
      await v.get('/service-requests/new/change-of-address');
      const res = await v.post('/service-requests/new/change-of-address', {
        receiptNumber: 'EAC12', name: 'Ana Pérez', dobMonth: '2', dobDay: '30', dobYear: '1990', details: 'I moved on <b>May 1</b>.',
        street: '5 Elm St', city: '', state: 'Texas', zip: '123',
      });
      assert.equal(res.statusCode, 400);
      for (const key of ['receiptNumber.invalid', 'dateOfBirth.invalid', 'city.required', 'state.invalid', 'zip.invalid']) has(res, en(`requestOnline.error.${key}`));
      hasNot(res, en('requestOnline.error.details.required'));
      assert.equal(valueOf(res, 'receiptNumber'), 'EAC12');
      assert.equal(valueOf(res, 'name'), 'Ana Pérez');
      assert.equal(valueOf(res, 'street'), '5 Elm St');
      assert.equal(valueOf(res, 'state'), 'Texas');
      assert.equal(valueOf(res, 'dobDay'), '30');
      assert.match(res.body, /<option value="2" selected>/);
      assert.match(res.body, />I moved on &lt;b&gt;May 1&lt;\/b&gt;\.<\/textarea>/, 'kept, escaped');

      const future = await v.post('/service-requests/new/change-of-address', { receiptNumber: rn(moved), ...person, dobYear: String(new Date().getUTCFullYear() + 1), details: 'x', street: '5 Elm St', city: 'Austin', state: 'TX', zip: '78701' });
      assert.equal(future.statusCode, 400);
      has(future, en('requestOnline.error.dateOfBirth.future'));
      const long = await v.post('/service-requests/new/typographical-error', { receiptNumber: rn(moved), ...person, details: 'x'.repeat(4001) });
      assert.equal(long.statusCode, 400);
      has(long, en('requestOnline.error.details.too-long'));
    });

    test('the date of birth is read from its three fields', () => {
      assert.deepEqual(dateOfBirth('3', '2', '1990', '2026-01-01'), { ok: true, value: '1990-03-02' });
      assert.deepEqual(dateOfBirth('', '', '', '2026-01-01'), { ok: false, code: 'required' });
      assert.deepEqual(dateOfBirth('2', '29', '2023', '2026-01-01'), { ok: false, code: 'invalid' });
      assert.deepEqual(dateOfBirth('2', '29', '2024', '2026-01-01'), { ok: true, value: '2024-02-29' });
      assert.deepEqual(dateOfBirth('13', '1', '1990', '2026-01-01'), { ok: false, code: 'invalid' });
      assert.deepEqual(dateOfBirth('1', '1', '90', '2026-01-01'), { ok: false, code: 'invalid' });
      assert.deepEqual(dateOfBirth('1', '2', '2026', '2026-01-01'), { ok: false, code: 'future' });
    });

    test('details that do not match a case: 404, said plainly without naming which, input kept', async () => {
      for (const wrong of [{ name: 'Ana Lopez' }, { dobDay: '3' }, { receiptNumber: receiptNumber('WAC') }]) {
        const v = visitor(t);
        await v.get('/service-requests/new/typographical-error');
        const res = await v.post('/service-requests/new/typographical-error', { receiptNumber: rn(outside), ...person, details: 'My name is wrong on the card.', ...wrong });
        assert.equal(res.statusCode, 404);
        assert.match(res.body, /data-notice="notMatched"/);
        has(res, en('requestOnline.notice.notMatched'));
        assert.match(res.body, />My name is wrong on the card\.<\/textarea>/);
        assert.equal(valueOf(res, 'name'), wrong.name ?? 'Ana Pérez');
        assert.doesNotMatch(res.body, /aria-invalid="true"/, 'no field is singled out');
      }
      const es404 = visitor(t);
      await es404.get('/service-requests/new/typographical-error?lang=es');
      const res = await es404.post('/service-requests/new/typographical-error?lang=es', { receiptNumber: rn(outside), ...person, name: 'Nadie', details: 'Mi nombre está mal.' });
      assert.equal(res.statusCode, 404);
      has(res, es('requestOnline.notice.notMatched'));
    });

    test('too early: 422 with the date from which the person may ask, written out', async () => {
      const inquiry = await t.deps.processingTimes.inquiryByReceipt(rn(recent));
      for (const [lang, tr] of [['en', en], ['es', es]] as const) {
        const v = visitor(t);
        await v.get(`/service-requests/new/outside-normal-processing-time?lang=${lang}`);
        const res = await v.post(`/service-requests/new/outside-normal-processing-time?lang=${lang}`, { receiptNumber: rn(recent), ...person, details: 'Is there news?' });
        assert.equal(res.statusCode, 422);
        assert.match(res.body, /data-notice="tooEarly"/);
        has(res, tr('requestOnline.notice.tooEarly', { date: longDate(inquiry.earliestInquiryDate, lang) }));
        assert.match(res.body, />Is there news\?<\/textarea>/);
      }
    });

    test('a protected-category case is refused online (422) with the rules\' advice in the page\'s language', async () => {
      for (const lang of ['en', 'es'] as const) {
        const v = visitor(t);
        await v.get(`/service-requests/new/typographical-error?lang=${lang}`);
        const res = await v.post(`/service-requests/new/typographical-error?lang=${lang}`, { receiptNumber: rn(shielded), ...person, details: 'A typo.' });
        assert.equal(res.statusCode, 422);
        assert.match(res.body, /data-notice="advice"/);
        const advice = t.deps.serviceRequests.rules.policy.commonGates[0]!.advice[lang].replace('{phone}', t.deps.agency.contactCenterPhone);
        has(res, advice);
      }
    });

    test('a good request: 303 to a printable result with the referral number in groups of five and the due date; a double submit shows the same one; a second request is a duplicate', async () => {
      const v = visitor(t);
      await v.get(`/service-requests/new/outside-normal-processing-time?receiptNumber=${rn(outside)}`);
      const firstToken = v.token;
      const fields = { receiptNumber: rn(outside), name: 'ana  PEREZ', dobMonth: '03', dobDay: '02', dobYear: '1990', details: 'It has been two years with no news.', urgency: 'regular' };
      const sent = await v.post('/service-requests/new/outside-normal-processing-time', fields);
      assert.equal(sent.statusCode, 303);
      const location = String(sent.headers.location);
      const m = /^\/service-requests\/created\?referralNumber=(\d{15})&receiptNumber=([A-Z0-9]+)&lang=en$/.exec(location);
      assert.ok(m, location);
      const referral = m[1]!;
      assert.equal(m[2], rn(outside));

      const again = await v.post('/service-requests/new/outside-normal-processing-time', fields);
      assert.equal(again.statusCode, 303, 'the same form sent twice');
      assert.equal(again.headers.location, location, 'shows the same request');
      const rows = await t.deps.database.db.selectFrom('service_requests').select(['referral_number', 'creator', 'lang']).where('receipt_number', '=', rn(outside)).where('type', '=', 'outside-normal-processing-time').execute();
      assert.deepEqual(rows.map((r) => [r.referral_number, r.creator]), [[referral, 'public']]);

      const result = await v.get(location);
      assert.equal(result.statusCode, 200);
      const status = await t.deps.serviceRequests.publicStatus(referral, rn(outside));
      assert.match(result.body, new RegExp(`id="referral-number" data-referral="${referral}">${formatReferralNumber(referral)}</p>`));
      assert.match(formatReferralNumber(referral), /^\d{5} \d{5} \d{5}$/);
      has(result, en('requestOnline.created.lead', { date: longDate(status.dueDate, 'en') }));
      has(result, en('requestOnline.created.keep'));
      has(result, en('requestOnline.created.nextHeading'));
      assert.equal(title(result), `${en('requestOnline.created.heading')} – ${en('requestOnline.created.title')} | ${en('site.name')}`);
      assert.match(result.body, /class="[^"]*sb-print-button[^"]*" hidden>/, 'a print button for when JavaScript runs');
      assert.match(result.body, /<script src="\/assets\/app\/print.js" defer><\/script>/);
      assert.match(result.body, new RegExp(`href="/service-requests/status\\?referralNumber=${referral}&amp;receiptNumber=${rn(outside)}&amp;lang=en"`));
      const resultEs = await v.get(location.replace('lang=en', 'lang=es'));
      has(resultEs, es('requestOnline.created.lead', { date: longDate(status.dueDate, 'es') }));
      assert.equal((await v.get(`/service-requests/created?referralNumber=${referral}&receiptNumber=${rn(recent)}`)).statusCode, 404, 'only with its own receipt number');

      // A new form (new token) for the same case and kind: the open request is shown, with a link to its status.
      await v.get('/service-requests/new/outside-normal-processing-time?lang=en');
      const dup = await v.post('/service-requests/new/outside-normal-processing-time?lang=en', { ...fields, details: 'Asking again.' });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /data-notice="duplicate"/);
      has(dup, en('requestOnline.notice.duplicate', { referral: formatReferralNumber(referral), date: longDate(status.dueDate, 'en') }));
      assert.match(dup.body, new RegExp(`href="/service-requests/status\\?referralNumber=${referral}&amp;receiptNumber=${rn(outside)}&amp;lang=en"`));
      assert.match(dup.body, />Asking again\.<\/textarea>/);

      // The same token with other answers (sent, changed, sent again) is a new request, checked by the rules as any.
      const changed = await v.post('/service-requests/new/outside-normal-processing-time', { ...fields, details: 'Changed my words.' }, { formToken: firstToken });
      assert.equal(changed.statusCode, 409);
    });

    test('a change of address: the address goes with the request, and staff see it', async () => {
      const v = visitor(t);
      await v.get('/service-requests/new/change-of-address?lang=es');
      const sent = await v.post('/service-requests/new/change-of-address?lang=es', {
        receiptNumber: rn(moved), ...person, details: 'Me mudé el 1 de mayo.', street: '5 Elm St', street2: 'Apt 2', city: 'Austin', state: 'tx', zip: '78701-1234', urgency: 'urgent',
      });
      assert.equal(sent.statusCode, 303);
      const referral = /referralNumber=(\d{15})/.exec(String(sent.headers.location))![1]!;
      assert.match(String(sent.headers.location), /lang=es$/);
      const tier2 = await t.signIn('tier2');
      const seen = (await t.app.inject({ method: 'GET', url: `/api/v1/service-requests/${referral}`, headers: bearer(tier2.token) })).json();
      assert.deepEqual(seen.fields, { details: 'Me mudé el 1 de mayo.', urgency: 'urgent', newAddress: { street: '5 Elm St', street2: 'Apt 2', city: 'Austin', state: 'TX', zip: '78701-1234' } });
      assert.equal(seen.priority, 'high');
      assert.equal(seen.lang, 'es');
      assert.equal(seen.creator, 'public');
    });

    test('checking a request: the empty form, errors, not found (404), and the result straight from the mail\'s link, in English and Spanish', async () => {
      const v = visitor(t);
      const empty = await v.get('/service-requests/status');
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /<form class="usa-form usa-form--large" method="get" action="\/service-requests\/status" novalidate>/);
      assert.equal(title(empty), `${en('requestOnline.status.title')} | ${en('site.name')}`);

      const blank = await v.get('/service-requests/status?referralNumber=&receiptNumber=');
      assert.equal(blank.statusCode, 400);
      has(blank, en('requestOnline.error.referralNumber.required'));
      has(blank, en('requestOnline.error.receiptNumber.required'));
      const ref = (await t.deps.database.db.selectFrom('service_requests').select('referral_number').where('receipt_number', '=', rn(outside)).executeTakeFirstOrThrow()).referral_number;
      const typo = await v.get(`/service-requests/status?referralNumber=${ref.slice(0, 14)}${(Number(ref[14]) + 1) % 10}&receiptNumber=${rn(outside)}`);
      assert.equal(typo.statusCode, 400, 'one mistyped digit');
      has(typo, en('requestOnline.error.referralNumber.check-digit'));
      const swapped = ref.slice(0, 13) + ref[14] + ref[13];
      if (swapped !== ref) {
        const res = await v.get(`/service-requests/status?referralNumber=${swapped}&receiptNumber=${rn(outside)}`);
        assert.equal(res.statusCode, 400);
        has(res, en('requestOnline.error.referralNumber.check-digit'));
        assert.equal(valueOf(res, 'referralNumber'), swapped, 'what was typed is kept');
      }
      has(await v.get(`/service-requests/status?referralNumber=12345&receiptNumber=${rn(outside)}`), en('requestOnline.error.referralNumber.format'));

      const wrongReceipt = await v.get(`/service-requests/status?referralNumber=${ref}&receiptNumber=${rn(recent)}`);
      assert.equal(wrongReceipt.statusCode, 404);
      has(wrongReceipt, en('requestOnline.status.notFoundHeading'));
      assert.ok(title(wrongReceipt).startsWith(en('site.errorPrefix')));

      const status = await t.deps.serviceRequests.publicStatus(ref, rn(outside));
      const found = await v.get(`/service-requests/status?referralNumber=${ref}&receiptNumber=${rn(outside)}`);
      assert.equal(found.statusCode, 200);
      assert.match(found.body, /data-status="open"/);
      has(found, en('requestOnline.statusWord.open'));
      has(found, en('requestOnline.statusText.open', { date: longDate(status.dueDate, 'en') }));
      has(found, en('requestOnline.status.resultFor', { referral: formatReferralNumber(ref), receipt: rn(outside) }));
      assert.doesNotMatch(found.body, /action="\/service-requests\/reopen/, 'no reopen form before an answer');
      // Typed with spaces, as it is printed.
      assert.equal((await v.get(`/service-requests/status?referralNumber=${encodeURIComponent(formatReferralNumber(ref))}&receiptNumber=${rn(outside).toLowerCase()}`)).statusCode, 200);
      const spanish = await v.get(`/service-requests/status?referralNumber=${ref}&receiptNumber=${rn(outside)}&lang=es`);
      has(spanish, es('requestOnline.statusText.open', { date: longDate(status.dueDate, 'es') }));
    });

    test('after an office answers, "This did not solve my problem" reopens it with a new due date; errors are said plainly', async () => {
      // A request of its own, answered by the office through the API.
      const v = visitor(t);
      await v.get('/service-requests/new/appointment-reschedule');
      const sent = await v.post('/service-requests/new/appointment-reschedule', { receiptNumber: rn(outside), ...person, details: 'I am in hospital on the day of my interview.' });
      assert.equal(sent.statusCode, 303);
      const ref = /referralNumber=(\d{15})/.exec(String(sent.headers.location))![1]!;
      const statusUrl = `/service-requests/status?referralNumber=${ref}&receiptNumber=${rn(outside)}`;

      // Not answered yet: a reopen posted anyway is refused (409) and the page says why.
      const early = await v.post('/service-requests/reopen', { referralNumber: ref, receiptNumber: rn(outside), ...person, reason: 'Too soon.' });
      assert.equal(early.statusCode, 409);
      assert.match(early.body, /data-notice="notAnswered"/);

      const office = await t.signIn('office');
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/service-requests/${ref}/claim`, headers: bearer(office.token) })).statusCode, 200);
      const answered = await t.app.inject({ method: 'POST', url: `/api/v1/service-requests/${ref}/respond`, headers: bearer(office.token), payload: { response: 'We moved your interview to the first week of next month. A new notice is in the mail.' } });
      assert.equal(answered.statusCode, 200, answered.body);

      const page = await v.get(statusUrl);
      assert.match(page.body, /data-status="answered"/);
      assert.match(page.body, /<form class="usa-form usa-form--large" method="post" action="\/service-requests\/reopen\?lang=en" novalidate>/);
      has(page, en('requestOnline.reopen.heading'));

      const noCsrf = await v.post('/service-requests/reopen', { referralNumber: ref, receiptNumber: rn(outside), ...person, reason: 'x' }, { csrf: false });
      assert.equal(noCsrf.statusCode, 403);
      const empty = await v.post('/service-requests/reopen?lang=es', { referralNumber: ref, receiptNumber: rn(outside) });
      assert.equal(empty.statusCode, 400);
      for (const key of ['name.required', 'dateOfBirth.required', 'reason.required']) has(empty, es(`requestOnline.error.${key}`));
      const wrong = await v.post('/service-requests/reopen', { referralNumber: ref, receiptNumber: rn(outside), ...person, dobYear: '1991', reason: 'The new date is also bad for me.' });
      assert.equal(wrong.statusCode, 404);
      assert.match(wrong.body, /data-notice="notMatched"/);
      assert.match(wrong.body, />The new date is also bad for me\.<\/textarea>/, 'the reason is kept');
      assert.equal(valueOf(wrong, 'dobYear'), '1991');
      const unknown = await v.post('/service-requests/reopen', { referralNumber: ref, receiptNumber: rn(recent), ...person, reason: 'x' });
      assert.equal(unknown.statusCode, 404);

      const reopened = await v.post('/service-requests/reopen?lang=en', { referralNumber: ref, receiptNumber: rn(outside), ...person, reason: 'The new date is also bad for me.' });
      assert.equal(reopened.statusCode, 303);
      assert.equal(reopened.headers.location, `${statusUrl}&reopened=1&lang=en`);
      const after = await v.get(String(reopened.headers.location));
      const status = await t.deps.serviceRequests.publicStatus(ref, rn(outside));
      assert.equal(status.status, 'reopened');
      assert.match(after.body, /data-status="reopened"/);
      has(after, en('requestOnline.reopen.done', { date: longDate(status.dueDate, 'en') }));
      const history = (await t.app.inject({ method: 'GET', url: `/api/v1/service-requests/${ref}`, headers: bearer(office.token) })).json().history as Array<{ action: string; detail: { reason?: string } | null }>;
      assert.equal(history.at(-1)?.action, 'reopened');
      assert.equal(history.at(-1)?.detail?.reason, 'The new date is also bad for me.');

      // Closed (30 days after an answer): the page says to make a new request.
      await t.deps.database.db.updateTable('service_requests').set({ status: 'closed', active: 0, open_slot: null }).where('referral_number', '=', ref).execute();
      const closedPage = await v.get(statusUrl);
      assert.match(closedPage.body, /data-status="closed"/);
      const closed = await v.post('/service-requests/reopen', { referralNumber: ref, receiptNumber: rn(outside), ...person, reason: 'Still wrong.' });
      assert.equal(closed.statusCode, 422);
      assert.match(closed.body, /data-notice="closed"/);
      assert.match(closed.body, /href="\/service-requests\?lang=en">/);
    });

    test('the case pages link to the online requests: case status, the inquiry answer, Prepare for my call, the home page', async () => {
      const earliest = longDate((await t.deps.processingTimes.inquiryByReceipt(rn(recent))).earliestInquiryDate, 'en');
      const post = (receipt: string, lang = 'en') => t.app.inject({ method: 'POST', url: `/case-status?lang=${lang}`, payload: `receiptNumber=${receipt}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const now = await post(rn(outside));
      assert.match(now.body, /data-ask="now"/);
      assert.match(now.body, new RegExp(`href="/service-requests/new/outside-normal-processing-time\\?receiptNumber=${rn(outside)}&amp;lang=en">${html(en('caseStatus.ask.button'))}`));
      const later = await post(rn(recent), 'es');
      assert.match(later.body, /data-ask="later"/);
      has(later, es('caseStatus.ask.notYet', { date: longDate((await t.deps.processingTimes.inquiryByReceipt(rn(recent))).earliestInquiryDate, 'es') }));
      assert.doesNotMatch(later.body, /href="\/service-requests\/new\/outside-normal-processing-time/);
      has(await post(rn(recent)), en('caseStatus.ask.notYet', { date: earliest }));

      const inquiry = await t.app.inject({ method: 'GET', url: `/inquiry?receiptNumber=${rn(outside)}` });
      assert.match(inquiry.body, new RegExp(`<a class="usa-button" href="/service-requests/new/outside-normal-processing-time\\?receiptNumber=${rn(outside)}&amp;lang=en">`));
      assert.match(inquiry.body, /href="\/service-requests\/status\?lang=en"/);
      const notYet = await t.app.inject({ method: 'GET', url: `/inquiry?receiptNumber=${rn(recent)}` });
      assert.match(notYet.body, /<a class="usa-link" href="\/case-status\?lang=en">/);
      assert.match(notYet.body, new RegExp(`href="/service-requests/new/change-of-address\\?receiptNumber=${rn(recent)}&amp;lang=en"`));
      assert.doesNotMatch(notYet.body, /<a class="usa-button" href="\/service-requests/);

      const prepare = await t.app.inject({ method: 'GET', url: `/prepare?receipts=${rn(outside)}` });
      assert.match(prepare.body, new RegExp(`data-advice="online-inquiry-outside-time">[^<]*<a class="usa-link sb-no-print" href="/service-requests/new/outside-normal-processing-time\\?receiptNumber=${rn(outside)}&amp;lang=en">`));
      assert.match(prepare.body, /data-advice="check-status-online">[^<]*<a class="usa-link sb-no-print" href="\/case-status\?lang=en">/);
      assert.match(prepare.body, /data-advice="change-address-online">[^<]*<a [^>]*href="\/service-requests\/new\/change-of-address\?receiptNumber=/);
      const prepareShielded = await t.app.inject({ method: 'GET', url: `/prepare?receipts=${rn(shielded)}&lang=es` });
      assert.match(prepareShielded.body, /data-advice="change-address-by-phone">[^<]*<\/li>/, 'no link where it cannot be done online');

      const home = await t.app.inject({ method: 'GET', url: '/?lang=es' });
      assert.match(home.body, new RegExp(`<a href="/service-requests\\?lang=es">${html(es('home.service.requestOnline.title'))}</a>`));
      assert.match(home.body, new RegExp(`<a href="/service-requests/status\\?lang=es">${html(es('home.service.requestStatus.title'))}</a>`));
    });
  });
}
