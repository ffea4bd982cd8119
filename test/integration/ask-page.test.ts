/**
 * The public Ask page and the desk's scripts panel as pages, on SQLite and PostgreSQL. Ask: retrieval only (the
 * answer is a published script's own text), English and Spanish, accents ignored, the hand-over to Prepare and the
 * online requests when nothing fits, linked from the home page, rate limited like other public pages. The panel: a
 * GET search in the call's language with a switch, "Use this script" records it (CSRF, 303 back), listed on the call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';
import { loadScriptSources } from '../../src/scripts/service.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { PageBrowser as Browser } from '../support/page-browser.ts';

const en = translator('en');
const es = translator('es');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const sources = loadScriptSources('uscis');
const script = (id: string) => sources.find((s) => s.id === id)!;
const firstParagraph = (body: string) => body.split(/\n\s*\n/)[0]!;
const section = (body: string, testid: string) => {
  const i = body.indexOf(`data-testid="${testid}"`);
  return i < 0 ? '' : body.slice(i, body.indexOf('</section>', i) > 0 ? body.indexOf('</section>', i) : undefined);
};


for (const kind of databaseKinds()) {
  describe(`the Ask page and the desk's scripts panel [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());

    test('English: a question gets the best script word for word, with others; the hand-over links are there too', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/ask?q=How%20do%20I%20replace%20my%20green%20card%3F&lang=en' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-security-policy'] as string, /default-src/);
      const top = section(res.body, 'top-answer');
      assert.ok(top.includes(html(script('replace-green-card').en.title)), top.slice(0, 300));
      assert.ok(top.includes(html(firstParagraph(script('replace-green-card').en.body))));
      assert.ok(res.body.includes(html(en('ask.answerHeading'))));
      assert.ok(res.body.includes('data-testid="other-answers"'));
      assert.match(res.body, /href="\/prepare\?lang=en"/);
      assert.match(res.body, /href="\/service-requests\?lang=en"/);
    });

    test('Spanish, accents ignored: "informacion biometricos" answers with the Spanish biometrics script', async () => {
      for (const q of ['citas de datos biometricos', 'CITAS DE DATOS BIOMÉTRICOS']) {
        const res = await t.app.inject({ method: 'GET', url: `/ask?q=${encodeURIComponent(q)}&lang=es` });
        assert.equal(res.statusCode, 200);
        const top = section(res.body, 'top-answer');
        assert.ok(top.includes(html(script('biometrics').es.title)), `${q}: ${top.slice(0, 300)}`);
        assert.ok(res.body.includes(html(es('ask.answerHeading'))));
        assert.match(res.body, /<html lang="es"/);
      }
    });

    test('a legal question is answered by the script that says we give no legal advice', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/ask?q=what%20should%20I%20file&lang=en' });
      assert.ok(res.body.includes(html(script('no-legal-advice').en.legalAdviceBoundary!)));
    });

    test('nothing fits: no invented text, the hand-over to Prepare and the online requests', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/ask?q=zzzqqq%20xyzzy&lang=en' });
      assert.equal(res.statusCode, 200);
      assert.ok(!res.body.includes('data-testid="top-answer"'));
      assert.ok(res.body.includes(html(en('ask.noAnswer'))));
      assert.ok(res.body.includes(html(en('ask.noAnswerHeading'))));
      assert.match(res.body, /href="\/prepare\?lang=en"/);
      assert.match(res.body, /href="\/service-requests\?lang=en"/);
    });

    test('no question yet: the form and every topic; markup typed in is escaped; the home page links to it', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/ask?lang=es' });
      assert.equal(res.statusCode, 200);
      const topics = [...res.body.matchAll(/data-testid="topics"[\s\S]*?<\/ul>/g)][0]![0];
      assert.equal((topics.match(/<li>/g) ?? []).length, sources.length);
      const xss = await t.app.inject({ method: 'GET', url: `/ask?q=${encodeURIComponent('<script>alert(1)</script>')}` });
      assert.ok(!xss.body.includes('<script>alert(1)'));
      const home = await t.app.inject({ method: 'GET', url: '/?lang=en' });
      assert.match(home.body, /href="\/ask\?lang=en"/);
      assert.ok(home.body.includes(html(en('ask.homeTitle'))));
    });

    test('the desk: a Tier 1 agent searches in the call\'s language (Spanish), switches to English, uses a script; it is listed with its version', async () => {
      const email = `ask.tier1.${kind}@agency.test`;
      await t.deps.staff.addUser({ email, name: 'Ask Tier1', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      const b = new Browser(t);
      await b.get('/sign-in');
      assert.equal((await b.post('/sign-in', { email, password: TEST_PASSWORD, next: '/staff' })).statusCode, 303);
      await b.get('/desk');
      const opened = await b.post('/desk/contacts', { callerPhone: '2025550143', language: 'es', formToken: crypto.randomUUID() });
      assert.equal(opened.statusCode, 303, opened.body.slice(0, 500));
      const callUrl = (opened.headers.location as string).split('?')[0]!;
      const id = callUrl.split('/').pop()!;

      const page = await b.get(`${callUrl}?sq=${encodeURIComponent('cambio de direccion')}`);
      assert.equal(page.statusCode, 200);
      const panel = section(page.body, 'scripts-panel');
      assert.ok(panel.includes(html(script('change-of-address').es.title)), panel.slice(0, 500));
      assert.ok(panel.includes(html(es('scripts.use')) ) || panel.includes(html(en('scripts.use'))));
      assert.match(panel, /href="[^"]*slang=en#scripts-heading"/);
      const english = await b.get(`${callUrl}?sq=${encodeURIComponent('change of address')}&slang=en`);
      assert.ok(section(english.body, 'scripts-panel').includes(html(script('change-of-address').en.title)));

      const used = await b.post(`/desk/contacts/${id}/scripts`, { scriptId: 'change-of-address', slang: 'es', sq: 'cambio de direccion' });
      assert.equal(used.statusCode, 303, used.body.slice(0, 500));
      const after1 = await b.get(used.headers.location as string);
      const list = after1.body.slice(after1.body.indexOf('data-testid="scripts-used"'));
      assert.ok(list.includes(html(script('change-of-address').es.title)), list.slice(0, 300));
      const events = (await t.deps.contacts.eventsOf(id)).filter((e) => e.kind === 'script');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.detail!.language, 'es');
      // Without the page's CSRF token the POST is refused and nothing is recorded.
      const forged = await t.app.inject({ method: 'POST', url: `/desk/contacts/${id}/scripts`, payload: 'scriptId=biometrics', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: Object.entries(b.jar).map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(forged.statusCode, 403);
      assert.equal((await t.deps.contacts.eventsOf(id)).filter((e) => e.kind === 'script').length, 1);
      // An unknown script is the 404 page.
      assert.equal((await b.post(`/desk/contacts/${id}/scripts`, { scriptId: 'nope', slang: 'es', sq: '' })).statusCode, 404);
    });
  });
}
