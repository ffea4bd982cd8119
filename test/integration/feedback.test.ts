/**
 * Feedback (CONTRACT.md section 11; issue 10 item 4) on SQLite and PostgreSQL: POST /api/v1/feedback (201, 400 naming
 * each bad field), the "Was this page helpful?" form under public pages without JavaScript (Yes; No with and without
 * reasons and a comment; back to the same page with a thank-you; a return address off the site refused), the
 * longer Contact Center comment page, and the staff list (view-reports) with counts by page, 403 for other roles.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`feedback [${kind}]`, () => {
    let t: TestApp;
    let supervisor: string;
    let ombudsman: string;
    let tier1: string;

    before(async () => {
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '100000' } });
      supervisor = (await t.signIn('supervisor')).token;
      ombudsman = (await t.signIn('ombudsman')).token;
      tier1 = (await t.signIn('tier1')).token;
    });
    after(() => t.close());

    const api = (payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/api/v1/feedback', payload: payload as Record<string, unknown>, headers });
    const rows = () => t.deps.database.db.selectFrom('feedback').selectAll().orderBy('created_at').orderBy('id').execute();
    const latest = async () => (await rows()).at(-1)!;

    /** A public page's form: its cookie, CSRF token and return address, as a browser would have them. */
    async function pageForm(url: string) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, res.body);
      const form = /<form method="post" action="\/feedback\/page[^"]*"[\s\S]*?<\/form>/.exec(res.body)?.[0];
      assert.ok(form, `${url} has the feedback form`);
      return {
        cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        csrf: /name="_csrf" value="([^"]+)"/.exec(form)![1]!,
        back: /name="page" value="([^"]*)"/.exec(form)![1]!.replace(/&amp;/g, '&'),
        form,
      };
    }
    const send = async (f: { cookie: string; csrf: string }, fields: Array<[string, string]>, url = '/feedback/page') =>
      t.app.inject({
        method: 'POST', url, headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([['_csrf', f.csrf], ...fields]).toString(),
      });

    test('API: 201 with the page path only (its query is not kept), reasons and comment; audited in the same commit', async () => {
      const res = await api({ page: '/inquiry?receiptNumber=EAC2590012345', helpful: false, reasons: ['confusing', 'outdated', 'confusing'], comment: '  Too many words.  ' });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['createdAt', 'id']);
      const row = await latest();
      assert.equal(row.id, res.json().id);
      assert.equal(row.page, '/inquiry');
      assert.equal(Number(row.helpful), 0);
      assert.deepEqual(JSON.parse(row.reasons), ['confusing', 'outdated']);
      assert.equal(row.comment, 'Too many words.');
      assert.equal(row.source, 'api');
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'actor']).where('subject', '=', `feedback:${row.id}`).execute();
      assert.deepEqual(audit, [{ action: 'feedback.create', actor: 'anonymous' }]);
      const yes = await api({ helpful: true });
      assert.equal(yes.statusCode, 201, yes.body);
      assert.equal((await latest()).page, null);
      assert.equal(Number((await latest()).helpful), 1);
    });

    test('API: an Idempotency-Key sent twice records once', async () => {
      const before = (await rows()).length;
      const a = await api({ page: '/', helpful: true }, { 'idempotency-key': `fb-${kind}-1` });
      const b = await api({ page: '/', helpful: true }, { 'idempotency-key': `fb-${kind}-1` });
      assert.equal(a.statusCode, 201);
      assert.equal(b.statusCode, 201);
      assert.equal(b.json().id, a.json().id);
      assert.equal((await rows()).length, before + 1);
    });

    test('API: 400 naming each bad field, nothing recorded', async () => {
      const before = (await rows()).length;
      const cases: Array<[unknown, string[]]> = [
        [{}, ['helpful']],
        [{ reasons: ['confusing', 'boring'] }, ['reasons[1]']],
        [{ helpful: true, reasons: ['outdated'] }, ['reasons']],
        [{ comment: 'x'.repeat(2001) }, ['comment']],
        [{ page: '//evil.example/x', helpful: true }, ['page']],
        [{ page: 'https://evil.example/', helpful: false, reasons: ['nope'], comment: 'y'.repeat(2001) }, ['page', 'reasons[0]', 'comment']],
      ];
      for (const [body, fields] of cases) {
        const res = await api(body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`);
        const p = problem(res);
        assert.equal(p.code, 'invalid-request');
        assert.deepEqual(p.errors?.map((e) => e.field), fields, JSON.stringify(p.errors));
      }
      assert.equal((await api({ comment: 'z'.repeat(2000) })).statusCode, 201, 'exactly 2,000 characters is allowed');
      assert.equal((await rows()).length, before + 1);
    });

    test('every public page has the form without JavaScript; staff pages and the sign-in page do not', async () => {
      for (const url of ['/', '/case-status', '/ask', '/inquiry', '/prepare', '/service-requests', '/ask', '/call-record', '/priority-date']) {
        const res = await t.app.inject({ method: 'GET', url: `${url}?lang=es` });
        assert.equal(res.statusCode, 200, url);
        assert.match(res.body, /<section[^>]*id="feedback"[^>]*aria-labelledby="feedback-heading"/, url);
        assert.match(res.body, /¿Le sirvió esta página\?/, url);
        assert.doesNotMatch(res.body, /<script[^>]*feedback/, url);
      }
      assert.doesNotMatch((await t.app.inject({ method: 'GET', url: '/sign-in' })).body, /id="feedback-heading"/);
      const staffPage = await t.app.inject({ method: 'GET', url: '/staff/feedback', headers: { cookie: `sb_session=${supervisor}` } });
      assert.equal(staffPage.statusCode, 200);
      assert.doesNotMatch(staffPage.body, /id="feedback-heading"/);
      const notFound = await t.app.inject({ method: 'GET', url: '/no-such-page' });
      assert.doesNotMatch(notFound.body, /id="feedback-heading"/);
    });

    test('the page form: "Yes" is recorded and the browser goes back to the same page, which says thank you', async () => {
      const f = await pageForm('/ask?q=address&lang=en');
      assert.equal(f.back, '/ask', 'the path only: a query may hold a receipt number, and is never echoed');
      const inquiry = await t.app.inject({ method: 'GET', url: '/inquiry?receiptNumber=EAC12' });
      assert.match(inquiry.body, /name="page" value="\/inquiry"/);
      assert.doesNotMatch(inquiry.body.replace(/href="[^"]*"/g, ''), /EAC12/, 'only the language link keeps the address');
      const res = await send(f, [['page', '/ask?q=address&lang=en'], ['helpful', 'yes'], ['reasons', 'confusing']]);
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, '/ask?q=address&lang=en&feedback=thanks#feedback', 'a query sent back is kept (a same-site address)');
      const row = await latest();
      assert.equal(row.page, '/ask');
      assert.equal(Number(row.helpful), 1);
      assert.deepEqual(JSON.parse(row.reasons), [], 'reasons ticked before "Yes" are not kept');
      assert.equal(row.source, 'page-form');
      const back = await t.app.inject({ method: 'GET', url: String(res.headers.location).split('#')[0]!, headers: { cookie: f.cookie } });
      assert.equal(back.statusCode, 200);
      assert.match(back.body, /<p role="status">Thank you\. We read every answer\.<\/p>/);
      assert.doesNotMatch(back.body, /action="\/feedback\/page/, 'the form is not offered again');
    });

    test('the page form: "No" without reasons, and "No" with reasons and a comment', async () => {
      const f = await pageForm('/case-status');
      const plain = await send(f, [['page', f.back], ['helpful', 'no']]);
      assert.equal(plain.statusCode, 303);
      assert.equal(plain.headers.location, '/case-status?feedback=thanks#feedback');
      let row = await latest();
      assert.equal(Number(row.helpful), 0);
      assert.deepEqual(JSON.parse(row.reasons), []);
      assert.equal(row.comment, null);

      for (const code of ['confusing', 'outdated', 'broken-links', 'not-what-i-looked-for', 'other']) assert.match(f.form, new RegExp(`name="reasons" value="${code}"`));
      const full = await send(f, [['page', '/case-status?lang=es'], ['reasons', 'broken-links'], ['reasons', 'not-what-i-looked-for'], ['comment', 'El enlace al formulario no abre.'], ['helpful', 'no']]);
      assert.equal(full.statusCode, 303);
      assert.equal(full.headers.location, '/case-status?lang=es&feedback=thanks#feedback');
      row = await latest();
      assert.equal(row.page, '/case-status');
      assert.equal(Number(row.helpful), 0);
      assert.deepEqual(JSON.parse(row.reasons), ['broken-links', 'not-what-i-looked-for']);
      assert.equal(row.comment, 'El enlace al formulario no abre.');
    });

    test('the page form: a return address off the site goes home instead; a missing CSRF token is refused; an unknown reason is 400', async () => {
      const f = await pageForm('/');
      for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
        const res = await send(f, [['page', bad], ['helpful', 'yes']]);
        assert.equal(res.statusCode, 303, bad);
        assert.equal(res.headers.location, '/?feedback=thanks#feedback', bad);
      }
      const before = (await rows()).length;
      const forged = await send({ cookie: '', csrf: 'forged' }, [['page', '/'], ['helpful', 'yes']]);
      assert.equal(forged.statusCode, 403);
      const unknown = await send(f, [['page', '/'], ['helpful', 'no'], ['reasons', 'boring']]);
      assert.equal(unknown.statusCode, 400);
      assert.equal((await rows()).length, before);
    });

    test('the page form: a comment too long shows the comment page with the message, keeping the words; sent shorter, back to the page', async () => {
      const f = await pageForm('/prepare');
      const long = 'a'.repeat(2001);
      const res = await send(f, [['page', '/prepare'], ['reasons', 'confusing'], ['comment', long], ['helpful', 'no']]);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Your comment is too long\. Use 2000 characters or fewer\./);
      assert.match(res.body, new RegExp(`<textarea[^>]*aria-invalid="true"[^>]*>${long}</textarea>`));
      assert.match(res.body, /name="page" value="\/prepare"/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
      const again = await send({ cookie: f.cookie, csrf }, [['page', '/prepare'], ['helpful', 'no'], ['reasons', 'confusing'], ['comment', 'Shorter now.']], '/feedback');
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, '/prepare?feedback=thanks#feedback');
      const row = await latest();
      assert.deepEqual([row.page, Number(row.helpful), JSON.parse(row.reasons), row.comment], ['/prepare', 0, ['confusing'], 'Shorter now.']);
    });

    test('the Contact Center comment page: a longer comment, recorded as about the Contact Center; empty is an error', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/feedback' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Tell us about the Contact Center<\/h1>/);
      const f = { cookie: page.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
      const empty = await send(f, [['comment', '   ']], '/feedback');
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Write your comment\./);
      const comment = 'I waited 40 minutes, then the agent was very kind and made a service request for my delayed case.\n\nThank you.';
      const res = await send(f, [['comment', comment]], '/feedback?lang=es');
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/feedback?sent=1&lang=es#feedback-sent');
      const row = await latest();
      assert.deepEqual([row.page, row.helpful, row.comment, Number(row.about_contact_center), row.source, row.lang], [null, null, comment, 1, 'comment-page', 'es']);
      const sent = await t.app.inject({ method: 'GET', url: '/feedback?sent=1&lang=es' });
      assert.match(sent.body, /Gracias\. Recibimos su comentario\./);
    });

    test('staff review: newest first with counts by page (supervisor, Ombudsman); 403 for Tier 1; sign-in for nobody', async () => {
      await api({ page: '/guidance/x', helpful: false, reasons: ['other'], comment: 'Newest of all <b>bold</b>' });
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/feedback?pageSize=5', headers: bearer(ombudsman) });
      assert.equal(list.statusCode, 200, list.body);
      const body = list.json();
      assert.equal(body.items.length, 5);
      assert.equal(body.total, (await rows()).length);
      assert.equal(body.items[0].comment, 'Newest of all <b>bold</b>');
      const times = body.items.map((i: { createdAt: string }) => i.createdAt);
      assert.deepEqual(times, [...times].sort().reverse());
      const all = await rows();
      const caseStatus = body.byPage.find((p: { page: string | null }) => p.page === '/case-status');
      assert.deepEqual(caseStatus, { page: '/case-status', total: all.filter((r) => r.page === '/case-status').length, helpful: 0, notHelpful: 2, comments: 1 });

      const page = await t.app.inject({ method: 'GET', url: '/staff/feedback', headers: { cookie: `sb_session=${supervisor}` } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Feedback on public pages<\/h1>/);
      assert.match(page.body, /Newest of all &lt;b&gt;bold&lt;\/b&gt;/, 'comments are escaped');
      assert.ok(page.body.indexOf('Newest of all') < page.body.indexOf('El enlace al formulario'), 'newest first');
      assert.match(page.body, /<th scope="row"><code>\/case-status<\/code><\/th><td>\d+<\/td><td>0<\/td><td>2<\/td><td>1<\/td>/);

      assert.equal((await t.app.inject({ method: 'GET', url: '/staff/feedback', headers: { cookie: `sb_session=${tier1}` } })).statusCode, 403);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/feedback', headers: bearer(tier1) })).statusCode, 403);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/feedback' })).statusCode, 401);
      const anon = await t.app.inject({ method: 'GET', url: '/staff/feedback' });
      assert.equal(anon.statusCode, 302);
      assert.match(String(anon.headers.location), /^\/sign-in\?next=/);
    });
  });
}
