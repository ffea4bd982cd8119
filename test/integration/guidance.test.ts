/**
 * Guidance pages (issue 10 item 5) on SQLite and PostgreSQL: the seed's own page published at start-up from
 * reference/uscis/guidance (once, however often the app starts), in English and Spanish with its last published date
 * and the feedback form; staff who publish reference data publish a new version through /staff/guidance (earlier
 * versions kept and readable); markup is escaped, never raw HTML; other roles 403; links from /prepare and home.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { loadGuidanceSources } from '../../src/guidance/service.ts';
import { parseBody } from '../../src/guidance/checks.ts';
import { longDate } from '../../src/platform/i18n/format.ts';
import { todayIn } from '../../src/domain/calendar.ts';

const SLUG = 'contact-center-call';

test('the markup: paragraphs, lists, subheadings and safe links only', () => {
  assert.deepEqual(parseBody('## Before\nOne line\nand the next.\n\n- a [case status](/case-status)\n- b [bad](javascript:alert) [far](//evil.example) [ok](https://www.dhs.gov/x)\n\n<script>x</script>'), [
    { kind: 'h2', text: 'Before' },
    { kind: 'p', parts: [{ text: 'One line and the next.' }] },
    { kind: 'ul', items: [[{ text: 'a ' }, { text: 'case status', href: '/case-status' }], [{ text: 'b ' }, { text: 'bad' }, { text: ' ' }, { text: 'far' }, { text: ' ' }, { text: 'ok', href: 'https://www.dhs.gov/x' }]] },
    { kind: 'p', parts: [{ text: '<script>x</script>' }] },
  ]);
});

for (const kind of databaseKinds()) {
  describe(`guidance pages [${kind}]`, () => {
    let t: TestApp;
    let admin: string;
    let tier1: string;
    const zone = 'America/New_York';

    before(async () => {
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '100000' } });
      admin = (await t.signIn('admin')).token;
      tier1 = (await t.signIn('tier1')).token;
    });
    after(() => t.close());

    const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? { cookie: `sb_session=${session}` } : {} });
    const versions = () => t.deps.database.db.selectFrom('guidance_versions').selectAll().where('slug', '=', SLUG).orderBy('version').execute();

    async function publish(session: string, fields: Record<string, string>) {
      const form = await get('/staff/guidance', session);
      assert.equal(form.statusCode, 200, form.body);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const cookie = [`sb_session=${session}`, ...form.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
      return t.app.inject({ method: 'POST', url: '/staff/guidance', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
    }

    test('the seed page is published at start-up once, in English and Spanish, with its last published date and the feedback form', async () => {
      const rows = await versions();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.published_by, 'system');
      assert.deepEqual(await t.deps.guidance.load(loadGuidanceSources('uscis')), { published: [] }, 'loading the same files again publishes nothing');
      const en = await get(`/guidance/${SLUG}?lang=en`);
      assert.equal(en.statusCode, 200);
      assert.match(en.body, /<h1 id="guidance-title">Getting the most out of your call to the USCIS Contact Center<\/h1>/);
      assert.match(en.body, /<h2>Tier 2: Immigration Service Officers<\/h2>/);
      assert.match(en.body, /<li>Give legal advice<\/li>/);
      assert.match(en.body, /<a class="usa-link" href="\/case-status">Check your case status online<\/a>/);
      const date = longDate(todayIn(zone, new Date(rows[0]!.published_at)), 'en');
      assert.match(en.body, new RegExp(`<strong>Last published date:</strong> <time datetime="\\d{4}-\\d{2}-\\d{2}">${date}</time>`));
      assert.match(en.body, /id="feedback-heading"[^>]*>Was this page helpful\?/);
      assert.match(en.body, new RegExp(`name="page" value="/guidance/${SLUG}"`));
      const es = await get(`/guidance/${SLUG}?lang=es`);
      assert.match(es.body, /<html lang="es">/);
      assert.match(es.body, /Cómo sacar el mayor provecho de su llamada al Centro de Contacto de USCIS/);
      assert.match(es.body, /<h2>Nivel 1: Representantes de Servicio al Cliente<\/h2>/);
      assert.match(es.body, new RegExp(`Fecha de la última publicación:</strong> <time[^>]*>${longDate(todayIn(zone, new Date(rows[0]!.published_at)), 'es')}</time>`));
      assert.match(es.body, /¿Le sirvió esta página\?/);
      assert.equal((await get('/guidance/no-such-page')).statusCode, 404);
    });

    test('linked from "Prepare for your call" and the home page', async () => {
      for (const url of ['/prepare', '/']) {
        const res = await get(`${url}?lang=es`);
        assert.match(res.body, new RegExp(`href="/guidance/${SLUG}\\?lang=es">Cómo sacar el mayor provecho de su llamada al Centro de Contacto</a>`), url);
      }
    });

    test('an admin publishes a new version: the page shows it and its date, the old version stays readable, audited; HTML is escaped', async () => {
      // The first version as if published long ago: its date shows until the next version.
      await t.deps.database.db.updateTable('guidance_versions').set({ published_at: '2019-12-20T15:00:00.000Z' }).where('slug', '=', SLUG).where('version', '=', 1).execute();
      assert.match((await get(`/guidance/${SLUG}?lang=en`)).body, /<time datetime="2019-12-20">December 20, 2019<\/time>/);
      const current = await get(`/staff/guidance/${SLUG}`, admin);
      assert.equal(current.statusCode, 200);
      assert.match(current.body, /Version 1<\/a>/);
      assert.match(current.body, /<textarea[^>]*id="enBody"[^>]*>The USCIS Contact Center answers/, 'the form starts from the newest text');
      const res = await publish(admin, {
        slug: SLUG, enTitle: 'Your call to the Contact Center', enBody: 'New first paragraph <b>bold</b>.\n\n- One\n- Two',
        esTitle: 'Su llamada al Centro de Contacto', esBody: 'Primer párrafo nuevo.',
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, `/staff/guidance/${SLUG}?published=2#published`);
      const rows = await versions();
      assert.deepEqual(rows.map((r) => Number(r.version)), [1, 2]);
      assert.match(rows[1]!.published_by, /^staff:/);
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('subject', '=', `guidance:${SLUG}`).orderBy('at').execute();
      assert.deepEqual(audit.map((a) => a.action), ['guidance.publish', 'guidance.publish']);

      const page = await get(`/guidance/${SLUG}?lang=en`);
      assert.match(page.body, /<h1 id="guidance-title">Your call to the Contact Center<\/h1>/);
      assert.match(page.body, /<p>New first paragraph &lt;b&gt;bold&lt;\/b&gt;\.<\/p>/);
      assert.doesNotMatch(page.body, /<b>bold<\/b>/);
      assert.match(page.body, /<ul class="usa-list"><li>One<\/li><li>Two<\/li><\/ul>/);
      assert.match(page.body, new RegExp(`<time datetime="${todayIn(zone)}">${longDate(todayIn(zone), 'en')}</time>`));
      assert.match((await get(`/guidance/${SLUG}?lang=es`)).body, /<p>Primer párrafo nuevo\.<\/p>/);

      const old = await get(`/staff/guidance/${SLUG}?version=1`, admin);
      assert.equal(old.statusCode, 200);
      assert.match(old.body, /Version 1: Getting the most out of your call to the USCIS Contact Center/);
      assert.match(old.body, /Version 2<\/a>/);
      // Start-up again: the reference file has not changed, so the staff's version stays the page.
      assert.deepEqual(await t.deps.guidance.load(loadGuidanceSources('uscis')), { published: [] });
      assert.match((await get(`/guidance/${SLUG}`)).body, /Your call to the Contact Center/);
    });

    test('a new page by address; a bad form is 400 naming the fields and keeps what was typed', async () => {
      const bad = await publish(admin, { slug: 'Bad Slug!', enTitle: 'Title', enBody: '', esTitle: '', esBody: 'Texto' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#slug">Use lower-case letters/);
      assert.match(bad.body, /href="#enBody">Write the text in English/);
      assert.match(bad.body, /href="#esTitle">Write a title in Spanish/);
      assert.match(bad.body, /<input class="usa-input" id="slug" name="slug" value="Bad Slug!" aria-invalid="true"/);
      const ok = await publish(admin, { slug: 'after-your-call', enTitle: 'After your call', enBody: 'Keep your notes.', esTitle: 'Después de su llamada', esBody: 'Guarde sus notas.' });
      assert.equal(ok.statusCode, 303, ok.body);
      assert.equal((await get('/guidance/after-your-call?lang=es')).statusCode, 200);
      const list = await get('/staff/guidance', admin);
      assert.match(list.body, /href="\/guidance\/after-your-call"/);
      assert.match(list.body, new RegExp(`href="/guidance/${SLUG}"`));
    });

    test('other roles: 403; nobody signed in: to sign-in; the public cannot see the staff pages', async () => {
      assert.equal((await get('/staff/guidance', tier1)).statusCode, 403);
      const res = await publish(admin, { slug: 'x-y', enTitle: 'a', enBody: 'b', esTitle: 'c', esBody: 'd' });
      assert.equal(res.statusCode, 303);
      const form = await get('/staff/guidance', admin);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const cookie = [`sb_session=${tier1}`, ...form.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
      const denied = await t.app.inject({ method: 'POST', url: '/staff/guidance', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, slug: 'x-y', enTitle: 'a', enBody: 'b', esTitle: 'c', esBody: 'd' }).toString() });
      assert.equal(denied.statusCode, 403);
      assert.equal((await t.deps.database.db.selectFrom('guidance_versions').select('version').where('slug', '=', 'x-y').execute()).length, 1);
      const anon = await get('/staff/guidance');
      assert.equal(anon.statusCode, 302);
      assert.match(String(anon.headers.location), /^\/sign-in\?next=/);
    });
  });
}
