/** Case Status Online for people and old tools: the public page, the legacy form (and a real scraper), the status vocabulary. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** The npm package req-uscis-status, with its hard-coded agency address pointed at a local server. */
interface ScrapedStatus { errHtml?: string; statusShortText?: string; statusLongText?: string; statusLongHtml?: string }
function reqUscisStatus(base: string): { getStatus(rn: string): Promise<ScrapedStatus> } {
  const require = createRequire(import.meta.url);
  const packageRequire = createRequire(require.resolve('req-uscis-status'));
  // The same `request` module instance the package uses: wrap its .post to rewrite the agency URL.
  const request = packageRequire('request') as { post: (opts: { url: string }, cb: unknown) => unknown; __original?: unknown };
  const original = (request.__original ?? request.post) as typeof request.post;
  request.__original = original;
  request.post = (opts, cb) => original.call(request, { ...opts, url: opts.url.replace('https://egov.uscis.gov', base) }, cb);
  const rus = require('req-uscis-status') as { getStatus(rn: string, cb: (err: unknown, s: ScrapedStatus) => void): void };
  return {
    getStatus: (rn) => new Promise((resolve, reject) => rus.getStatus(rn, (err, s) => (err ? reject(err) : resolve(s)))),
  };
}

for (const kind of databaseKinds()) {
  describe(`Case Status Online pages [${kind}]`, () => {
    let t: TestApp;
    const approved = caseRecord({
      receiptNumber: receiptNumber('WAC'), formType: 'I-130', receivedDate: '2023-03-01',
      history: [
        { date: '2023-03-01', status: 'case-was-received' },
        { date: '2023-06-12', status: 'fingerprints-were-taken' },
        { date: '2023-09-05', status: 'case-was-approved' },
      ],
    });
    const single = caseRecord({ receiptNumber: receiptNumber('MSC'), formType: 'I-90', history: [{ date: '2025-01-14', status: 'case-was-received' }] });

    before(async () => {
      t = await startTestApp(kind);
      async function* items() {
        yield { line: 1, value: approved };
        yield { line: 2, value: single };
      }
      assert.equal((await t.deps.feed.import(items(), { kind: 'cli' })).accepted, 2);
    });
    after(() => t.close());

    const post = (receipt: string, lang?: string) =>
      t.app.inject({ method: 'POST', url: `/case-status${lang ? `?lang=${lang}` : ''}`, payload: `receiptNumber=${encodeURIComponent(receipt)}`, headers: form });

    test('GET /case-status is a form posting receiptNumber to /case-status, in English and Spanish', async () => {
      const en = await t.app.inject({ method: 'GET', url: '/case-status' });
      assert.equal(en.statusCode, 200);
      assert.ok(en.headers['ratelimit-limit']);
      assert.match(String(en.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(en.headers['x-content-type-options'], 'nosniff');
      assert.match(en.body, /<h1>Check your case status<\/h1>/);
      assert.match(en.body, /<form [^>]*method="post" action="\/case-status\?lang=en"/);
      assert.match(en.body, /name="receiptNumber"/);
      assert.ok(!/<script(?![^>]*src=)/.test(en.body) && !/\sstyle=/.test(en.body), 'no inline script or style');
      const es = await t.app.inject({ method: 'GET', url: '/case-status?lang=es' });
      assert.match(es.body, /<html lang="es">/);
      assert.match(es.body, /Verifique el estatus de su caso/);
      assert.match(es.body, /Número de recibo/);
    });

    test('the home page links the case status page', async () => {
      const home = await t.app.inject({ method: 'GET', url: '/' });
      assert.match(home.body, /<a href="\/case-status">Check your case status<\/a>/);
    });

    test('POST /case-status shows the current status, its description and the history newest first (no CSRF token needed)', async () => {
      const rn = approved.receiptNumber as string;
      const res = await post(rn.toLowerCase().replace(/^(\w{3})/, '$1-'));
      assert.equal(res.statusCode, 200);
      assert.ok(res.headers['ratelimit-limit'], 'public pages are rate limited');
      assert.match(res.body, /<h1[^>]*>Case Was Approved<\/h1>/);
      assert.ok(res.body.includes(`On September 5, 2023, we approved your Form I-130, Petition for Alien Relative, Receipt Number ${rn}.`));
      assert.ok(res.body.includes(`Receipt number ${rn}`));
      const fingerprints = res.body.indexOf('June 12, 2023');
      const received = res.body.indexOf('March 1, 2023');
      assert.ok(fingerprints > 0 && received > fingerprints, 'newest first');
      assert.match(res.body, /Check another case/);
      assert.match(res.body, /name="receiptNumber"/);
    });

    test('the result in Spanish', async () => {
      const res = await post(approved.receiptNumber as string, 'es');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<html lang="es">/);
      assert.match(res.body, /Caso Fue Aprobado/);
      assert.match(res.body, /El 5 de septiembre de 2023, aprobamos su Formulario I-130/);
      assert.match(res.body, /12 de junio de 2023/);
      assert.match(res.body, /Cambios de antes/);
    });

    test('a case with one status says there are no earlier updates', async () => {
      const res = await post(single.receiptNumber as string);
      assert.match(res.body, /Case Was Received/);
      assert.match(res.body, /There are no earlier updates on this case\./);
    });

    test('a malformed number gets a clear message and is never echoed back', async () => {
      for (const bad of ['ZZZ9999999999', 'EAC12<b>x</b>', 'my receipt']) {
        const res = await post(bad);
        assert.equal(res.statusCode, 400);
        assert.match(res.body, /That is not a receipt number\./);
        assert.ok(!res.body.includes(bad) && !res.body.includes(encodeURIComponent(bad)), `not echoed: ${bad}`);
      }
      const empty = await post('   ');
      assert.match(empty.body, /Enter your receipt number\./);
      const es = await post('ZZZ9999999999', 'es');
      assert.match(es.body, /Eso no es un número de recibo\./);
    });

    test('an unknown number gets our own words, wholly in the page\'s language, and an error title', async () => {
      const res = await post('EAC0000000001');
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /We could not find a case with that receipt number\. Check the number on your notice and try again\. If you still need help, call the USCIS Contact Center at 1-800-375-5283\./);
      assert.match(res.body, /<title>Error: Receipt number not found – Check your case status \| Switchboard<\/title>/);
      assert.match(res.body, /name="receiptNumber"[^>]*value="EAC0000000001"/, 'a well-formed number is given back to spot a typo');
      const es = await post('eac 00000-00001', 'es');
      assert.match(es.body, /No hay un caso con ese número de recibo\./);
      assert.doesNotMatch(es.body, /Case Status Online/, 'no English product name on the Spanish page');
      assert.match(es.body, /value="EAC0000000001"/, 'normalised');
    });

    test('a missing or malformed number: error summary linking to the field, message beside it, aria-invalid, "Error:" title', async () => {
      for (const [value, message] of [['', 'Enter your receipt number.'], ['EAC12', 'That is not a receipt number.']] as const) {
        const res = await post(value);
        assert.equal(res.statusCode, 400);
        assert.match(res.body, /<title>Error: Check your case status \| Switchboard<\/title>/);
        assert.match(res.body, new RegExp(`<a class="usa-link" href="#receiptNumber">${message.replace('.', '\\.')}`));
        assert.match(res.body, /id="receiptNumber-error">/);
        assert.match(res.body, /aria-describedby="receiptNumber-hint receiptNumber-error" aria-invalid="true"/);
      }
      const es = await post('', 'es');
      assert.match(es.body, /Escriba su número de recibo\./);
    });

    test('a result offers itself in the other language, keeping the case', async () => {
      const res = await post(approved.receiptNumber as string);
      assert.match(res.body, new RegExp(`<form method="post" action="/case-status\\?lang=es"[^>]*>\\s*<input type="hidden" name="receiptNumber" value="${approved.receiptNumber}">`));
      assert.match(res.body, /<button[^>]*lang="es">Ver este resultado en español<\/button>/);
    });

    test('a signed-in staff member can still sign out from a result page (its CSRF token is valid)', async () => {
      await t.deps.staff.addUser({ email: 'status.page@agency.test', name: 'Status Page', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      const jar: Record<string, string> = {};
      const keep = (res: { cookies: Array<{ name: string; value: string }> }) => { for (const c of res.cookies) jar[c.name] = c.value; };
      const cookie = () => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
      const signInForm = await t.app.inject({ method: 'GET', url: '/sign-in' });
      keep(signInForm);
      const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const signedIn = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { ...form, cookie: cookie() },
        payload: `_csrf=${encodeURIComponent(csrf(signInForm.body))}&email=status.page%40agency.test&password=${encodeURIComponent(TEST_PASSWORD)}&next=%2Fstaff` });
      assert.equal(signedIn.statusCode, 303);
      keep(signedIn);
      const result = await t.app.inject({ method: 'POST', url: '/case-status', headers: { ...form, cookie: cookie() }, payload: `receiptNumber=${approved.receiptNumber}` });
      assert.match(result.body, /Signed in as Status Page/);
      const out = await t.app.inject({ method: 'POST', url: '/sign-out', headers: { ...form, cookie: cookie() }, payload: `_csrf=${encodeURIComponent(csrf(result.body))}` });
      assert.equal(out.statusCode, 303);
    });

    test('the legacy form answers in the old markup', async () => {
      const legacy = (payload: string) => t.app.inject({ method: 'POST', url: '/casestatus/mycasestatus.do', payload, headers: form });
      const ok = await legacy(`appReceiptNum=${approved.receiptNumber}&initCaseSearch=CHECK+STATUS`);
      assert.equal(ok.statusCode, 200);
      assert.ok(ok.headers['ratelimit-limit'], 'the legacy form is rate limited');
      assert.match(String(ok.headers['content-security-policy']), /script-src 'self'/);
      assert.match(ok.body, /<div class="main-content-sec">[\s\S]*<div class="main-row[ "]/);
      assert.match(ok.body, /<div class="current-status-sec[^"]*">Case Was Approved<\/div>/);
      assert.match(ok.body, /<div class="appointment-sec">\s*<div class="rows">\s*<h1>Case Was Approved<\/h1>\s*<p>On September 5, 2023, we approved/);
      assert.match(ok.body, /<ul id="formErrorMessages"><\/ul>/, 'no child elements without an error');
      assert.ok(!/<script(?![^>]*src=)/.test(ok.body) && !/\sstyle=/.test(ok.body), 'no inline script or style');

      const unknown = await legacy('appReceiptNum=EAC0000000001');
      assert.equal(unknown.statusCode, 200);
      assert.match(unknown.body, /<ul id="formErrorMessages"><li>Case Status Online does not recognize the receipt number entered\./);
      assert.ok(!unknown.body.includes('current-status-sec'));
      const landing = await t.app.inject({ method: 'GET', url: '/casestatus/landing.do' });
      assert.equal(landing.statusCode, 301);
      assert.equal(landing.headers.location, '/case-status');
      const bad = await legacy('appReceiptNum=NOPE%3Cscript%3E');
      assert.match(bad.body, /<ul id="formErrorMessages"><li>The application receipt number is not formatted correctly/);
      assert.ok(!bad.body.includes('NOPE'));
    });

    test('the npm scraper req-uscis-status reads status and errors from the legacy form', async () => {
      const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const rus = reqUscisStatus(base);
      const s = await rus.getStatus(approved.receiptNumber as string);
      assert.equal(s.errHtml, undefined);
      assert.equal(s.statusShortText, 'Case Was Approved');
      assert.ok(s.statusLongText?.startsWith(`Case Was Approved On September 5, 2023, we approved your Form I-130, Petition for Alien Relative, Receipt Number ${approved.receiptNumber}.`), s.statusLongText);
      assert.match(s.statusLongHtml ?? '', /^<h1>Case Was Approved<\/h1> <p>On September 5, 2023/);

      const unknown = await rus.getStatus('EAC0000000001');
      assert.match(unknown.errHtml ?? '', /^<li>Case Status Online does not recognize the receipt number entered\./);
      assert.equal(unknown.statusShortText, undefined);
      const malformed = await rus.getStatus('XYZ1234567890');
      assert.match(malformed.errHtml ?? '', /not formatted correctly/);
    });

    test('GET /api/v1/reference/statuses lists the vocabulary publicly, in both languages', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/reference/statuses' });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.total, 25);
      assert.equal(body.items.length, 25);
      const approvedStatus = body.items.find((s: { code: string }) => s.code === 'case-was-approved');
      assert.deepEqual(approvedStatus.title, { en: 'Case Was Approved', es: 'Caso Fue Aprobado' });
      assert.equal(approvedStatus.decision, 'approved');
      assert.match(approvedStatus.description.en, /\{date\}.*\{form\}.*\{receipt\}/);
      for (const code of ['case-was-received', 'request-for-evidence-was-sent', 'card-was-mailed', 'expedite-request-denied']) {
        assert.ok(body.items.some((s: { code: string }) => s.code === code), code);
      }
      assert.ok(res.headers['ratelimit-limit'], 'public endpoints are rate limited');
      const openapi = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      assert.ok(openapi.paths['/api/v1/reference/statuses']);
      assert.ok(openapi.paths['/case-status/{receiptNumber}']);
    });
  });
}
