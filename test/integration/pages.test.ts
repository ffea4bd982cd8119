/** Server-rendered pages through app.inject: languages, the CSRF-protected sign-in form, the staff home. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';

/** Cookies from Set-Cookie headers, as one Cookie header. */
function cookies(res: { cookies: Array<{ name: string; value: string }> }, jar: Record<string, string> = {}) {
  for (const c of res.cookies) jar[c.name] = c.value;
  return jar;
}
const cookieHeader = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

for (const kind of databaseKinds()) {
  describe(`pages [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());

    test('the home page explains the public services in English, and in Spanish with ?lang=es (remembered)', async () => {
      const en = await t.app.inject({ method: 'GET', url: '/' });
      assert.equal(en.statusCode, 200);
      assert.match(en.body, /<html lang="en">/);
      assert.match(en.body, /Check your case status/);
      assert.match(en.body, /During your call, write down/);
      assert.match(en.body, /href="\/\?lang=es"/);
      const es = await t.app.inject({ method: 'GET', url: '/?lang=es' });
      assert.match(es.body, /<html lang="es">/);
      assert.match(es.body, /Verifique el estatus de su caso/);
      const jar = cookies(es);
      const again = await t.app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: cookieHeader(jar) } });
      assert.match(again.body, /Acceso del personal/);
    });

    test('user-supplied text is escaped', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/sign-in?next=/staff"><script>alert(1)</script>' });
      assert.ok(!res.body.includes('<script>alert(1)</script>'));
    });

    test('an unknown page is an HTML 404 with a way home', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 404);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, /Page not found/);
    });

    test('sign-in needs the form\'s CSRF token; with it, the cookie session opens the staff home', async () => {
      const user = await t.deps.staff.addUser({ email: 'page.user@agency.test', name: 'Page User', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      const form = await t.app.inject({ method: 'GET', url: '/sign-in' });
      const jar = cookies(form);
      const body = (csrf: string) => `_csrf=${encodeURIComponent(csrf)}&email=page.user%40agency.test&password=${encodeURIComponent(TEST_PASSWORD)}&next=%2Fstaff`;
      const post = (payload: string) => t.app.inject({ method: 'POST', url: '/sign-in', payload, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) } });

      const forged = await post(body('forged-token'));
      assert.equal(forged.statusCode, 403);
      assert.ok(!forged.cookies.some((c) => c.name === 'sb_session'));

      const ok = await post(body(csrfOf(form.body)));
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/staff');
      const session = ok.cookies.find((c) => c.name === 'sb_session');
      assert.ok(session?.httpOnly);
      cookies(ok, jar);

      const home = await t.app.inject({ method: 'GET', url: '/staff', headers: { cookie: cookieHeader(jar) } });
      assert.equal(home.statusCode, 200);
      assert.ok(home.body.includes(user.agentId));
      assert.match(home.body, /Answer questions about forms/);
      assert.match(home.body, /Give legal advice/, 'Tier 1 sees what it may not do');

      // The cookie is for pages only: the API wants a bearer token.
      const api = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: cookieHeader(jar) } });
      assert.equal(api.statusCode, 401);

      const out = await t.app.inject({ method: 'POST', url: '/sign-out', payload: `_csrf=${encodeURIComponent(csrfOf(home.body))}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) } });
      assert.equal(out.statusCode, 303);
      const after = await t.app.inject({ method: 'GET', url: '/staff', headers: { cookie: cookieHeader(jar) } });
      assert.equal(after.statusCode, 302);
      assert.match(String(after.headers.location), /^\/sign-in/);
    });

    test('a wrong password re-shows the form with an error and a 401', async () => {
      const form = await t.app.inject({ method: 'GET', url: '/sign-in' });
      const res = await t.app.inject({
        method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(cookies(form)) },
        payload: `_csrf=${encodeURIComponent(csrfOf(form.body))}&email=nobody%40agency.test&password=wrong-password-1`,
      });
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /The e-mail address or password is not correct/);
      assert.match(res.body, /value="nobody@agency.test"/);
    });

    test('an offsite next= is not followed after sign-in', async () => {
      await t.deps.staff.addUser({ email: 'next.user@agency.test', name: 'Next', role: 'tier2', password: TEST_PASSWORD }, { kind: 'cli' });
      const form = await t.app.inject({ method: 'GET', url: '/sign-in' });
      const res = await t.app.inject({
        method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(cookies(form)) },
        payload: `_csrf=${encodeURIComponent(csrfOf(form.body))}&email=next.user%40agency.test&password=${encodeURIComponent(TEST_PASSWORD)}&next=%2F%2Fevil.example`,
      });
      assert.equal(res.headers.location, '/staff');
    });

    test('with no stored choice, the browser\'s Accept-Language picks the language (q-values honoured); ?lang= and the cookie win', async () => {
      const page = (headers: Record<string, string>, url = '/') => t.app.inject({ method: 'GET', url, headers });
      const lang = (body: string) => /<html lang="(\w+)">/.exec(body)?.[1];
      assert.equal(lang((await page({ 'accept-language': 'es' })).body), 'es');
      assert.equal(lang((await page({ 'accept-language': 'es-MX,es;q=0.9,en;q=0.8' })).body), 'es');
      assert.equal(lang((await page({ 'accept-language': 'en;q=0.4, es;q=0.8' })).body), 'es', 'the higher q wins, not the first');
      assert.equal(lang((await page({ 'accept-language': 'fr-FR, en;q=0.5, es;q=0.3' })).body), 'en', 'unknown languages are skipped');
      assert.equal(lang((await page({ 'accept-language': 'es;q=0, en;q=0.1' })).body), 'en', 'q=0 means not acceptable');
      assert.equal(lang((await page({ 'accept-language': 'de' })).body), 'en', 'nothing we have: English');
      assert.equal(lang((await page({})).body), 'en');
      assert.equal(lang((await page({ 'accept-language': 'es' }, '/?lang=en')).body), 'en', 'the query wins');
      assert.equal(lang((await page({ 'accept-language': 'es', cookie: 'sb_lang=en' })).body), 'en', 'a remembered choice wins');
      const res = await page({ 'accept-language': 'es' }, '/case-status');
      assert.match(String(res.headers.vary), /Accept-Language/, 'a shared cache keys on the header');
      assert.equal(res.headers['cache-control'], 'no-store');
      // Titles and the Spanish error page come out in Spanish too.
      const missing = await t.app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: 'text/html', 'accept-language': 'es' } });
      assert.match(missing.body, /<html lang="es">/);
      assert.match(missing.body, /<title>Error: /);
    });

    test('the public header carries only the public\'s links; staff sign-in and the API reference are in the footer', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/' });
      const header = /<header[\s\S]*?<\/header>/.exec(res.body)?.[0] ?? '';
      const footer = /<footer[\s\S]*?<\/footer>/.exec(res.body)?.[0] ?? '';
      assert.doesNotMatch(header, /href="\/sign-in"|href="\/api\/docs"/);
      assert.match(footer, /For staff: <a href="\/sign-in">Staff sign-in<\/a>/);
      assert.match(footer, /For developers: <a href="\/api\/docs">API reference<\/a>/);
    });

    test('the Ombudsman card says where to go today, with the address from the agency\'s reference data', async () => {
      for (const lang of ['en', 'es'] as const) {
        const res = await t.app.inject({ method: 'GET', url: `/?lang=${lang}` });
        assert.ok(res.body.includes(`<a href="${t.deps.agency.ombudsman.url}">`), lang);
        assert.ok(res.body.includes(t.deps.agency.ombudsman.name[lang]), lang);
        assert.doesNotMatch(res.body, /Coming soon|Próximamente/);
      }
    });

    test('the sign-in form is checked here (novalidate): an empty form says so in the page\'s language, tied to the field', async () => {
      const form = await t.app.inject({ method: 'GET', url: '/sign-in?lang=es' });
      assert.match(form.body, /action="\/sign-in" novalidate>/);
      const res = await t.app.inject({
        method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(cookies(form)) },
        payload: `_csrf=${encodeURIComponent(csrfOf(form.body))}&email=&password=`,
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /<title>Error: Acceso del personal \| Switchboard<\/title>/);
      assert.match(res.body, /<a class="usa-link" href="#email">/);
      assert.match(res.body, /id="email"[^>]*aria-describedby="email-error" aria-invalid="true"/);
    });
  });

  describe(`page cookies and COOKIE_SECURE [${kind}]`, () => {
    const cookieNamed = (res: { cookies: Array<{ name: string; secure?: boolean }> }, name: string) => res.cookies.find((c) => c.name === name);
    for (const secure of [true, false]) {
      test(`with COOKIE_SECURE=${secure}, sb_csrf and sb_lang ${secure ? 'carry' : 'do not carry'} Secure`, async () => {
        const app = await startTestApp(kind, { env: { COOKIE_SECURE: String(secure) } });
        try {
          const res = await app.app.inject({ method: 'GET', url: '/sign-in?lang=es' });
          const csrf = cookieNamed(res, 'sb_csrf');
          const lang = cookieNamed(res, 'sb_lang');
          assert.ok(csrf && lang, `both cookies are set: ${res.cookies.map((c) => c.name).join(', ')}`);
          assert.equal(csrf.secure === true, secure, 'sb_csrf');
          assert.equal(lang.secure === true, secure, 'sb_lang');
          assert.equal(res.cookies.filter((c) => c.name === 'sb_lang').length, 1, 'the language cookie is set once');
        } finally {
          await app.close();
        }
      });
    }
  });
}
