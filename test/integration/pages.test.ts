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
  });
}
