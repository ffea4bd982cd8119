/**
 * /admin/scripts through inject with real sessions and CSRF forms (PageBrowser), on SQLite and PostgreSQL: a script
 * written on the page, approved by a second admin and published is what GET /api/v1/scripts returns (in both
 * languages, at the next version; the earlier one stays readable); the author cannot approve their own draft; a
 * retired script disappears from the search API and from a call, and start-up loading of the reference files brings
 * back neither it nor the replaced text; refused input gets its field errors and changes nothing; every change is in
 * the audit trail with its admin; other roles get 403 and a form without its CSRF token is refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { PageBrowser } from '../support/page-browser.ts';
import { databaseKinds } from '../support/databases.ts';
import { loadScriptSources } from '../../src/scripts/service.ts';

type Item = { id: string; title: string; version: number; language: string; body: string };

const BODY_EN = 'If your card was pickpocketed or stolen, report it to the police first. Then ask for a new card with the form for a replacement, and keep the police report number.';
const BODY_ES = 'Si un carterista le robó la tarjeta, denúncielo primero a la policía. Luego pida una tarjeta nueva con el formulario de reemplazo y guarde el número de la denuncia.';

for (const kind of databaseKinds()) {
  describe(`admin pages: scripts [${kind}]`, () => {
    let t: TestApp;
    let a: PageBrowser;
    let b: PageBrowser;
    let ids: { a: string; b: string };
    let tier1: string;

    before(async () => {
      t = await startTestApp(kind);
      const [ua, ub] = [await t.signIn('admin', { email: 'ada.admin@agency.test' }), await t.signIn('admin', { email: 'bo.admin@agency.test' })];
      ids = { a: ua.id, b: ub.id };
      a = await new PageBrowser(t).signIn(ua.email);
      b = await new PageBrowser(t).signIn(ub.email);
      tier1 = (await t.signIn('tier1')).token;
    });
    after(async () => t?.close());

    const db = () => t.deps.database.db;
    const search = async (q: string, lang: 'en' | 'es') => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/scripts?q=${encodeURIComponent(q)}&lang=${lang}`, headers: bearer(tier1) });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { items: Item[] }).items;
    };
    const audited = async (action: string, subject: string) =>
      (await db().selectFrom('audit_log').select(['actor']).where('action', '=', action).where('subject', '=', subject).orderBy('seq').execute()).map((r) => r.actor);
    const draftCount = async () => Number((await db().selectFrom('script_drafts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const draftIdOf = (location: unknown) => /\/admin\/scripts\/drafts\/([0-9a-f-]{36})/.exec(String(location))![1]!;
    const form = (slug: string, en: string, es: string) => ({
      newTopic: '1', slug, enTitle: 'Stolen card', enBody: en, enKeywords: 'pickpocket, stolen card\npolice report', enBoundary: '',
      esTitle: 'Tarjeta robada', esBody: es, esKeywords: 'carterista, tarjeta robada', esBoundary: '',
    });

    test('the pages open in English and Spanish, linked from the admin\'s staff home', async () => {
      for (const lang of ['en', 'es']) {
        for (const url of ['/admin/scripts', '/admin/scripts/new', '/admin/scripts/biometrics', '/admin/scripts/biometrics/draft']) {
          const res = await a.get(`${url}?lang=${lang}`);
          assert.equal(res.statusCode, 200, `${url} ${lang}: ${res.body.slice(0, 300)}`);
          assert.match(res.body, new RegExp(`<html lang="${lang}"`));
        }
      }
      await a.get('/admin/scripts?lang=en');
      const home = await a.get('/staff');
      assert.ok(home.body.includes('href="/admin/scripts"'), 'linked from the staff home');
      assert.ok(home.body.includes('href="/admin/retention"'));
      const list = await a.get('/admin/scripts');
      assert.ok((list.body.match(/data-script-id="/g) ?? []).length >= 40, 'every reference script is listed');
      assert.ok((await a.get('/admin/scripts/no-such-script')).statusCode === 404);
    });

    test('a new script: refused input names each field and stores nothing; written by one admin, approved by another, published, the API finds it', async () => {
      const none = await draftCount();
      const bad = await a.post('/admin/scripts/drafts', { ...form('New Script!', 'too short', ''), enTitle: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="error-summary"/);
      for (const href of ['#slug', '#enTitle', '#enBody', '#esBody']) assert.ok(bad.body.includes(`href="${href}"`), href);
      assert.match(bad.body, /id="enBody-error">English: Enter a text of at least 40 characters\./);
      assert.match(bad.body, /aria-invalid="true"/);
      assert.ok(bad.body.includes('value="New Script!"'), 'what was typed is kept');
      assert.equal((await a.post('/admin/scripts/drafts', form('biometrics', BODY_EN, BODY_ES))).body.includes('href="#slug"'), true, 'an existing id is refused');
      assert.equal(await draftCount(), none, 'nothing stored');

      const made = await a.post('/admin/scripts/drafts', form('stolen-card', BODY_EN, BODY_ES));
      assert.equal(made.statusCode, 303, made.body.slice(0, 500));
      const id = draftIdOf(made.headers.location);
      const own = await a.get(made.headers.location as string);
      assert.match(own.body, /data-testid="own-draft"/);
      assert.ok(!own.body.includes(`/admin/scripts/drafts/${id}/approve`), 'no Approve button for the author');
      assert.equal((await a.post(`/admin/scripts/drafts/${id}/approve`, {})).statusCode, 403, 'the author may not approve');
      assert.equal((await a.post(`/admin/scripts/drafts/${id}/publish`, {})).statusCode, 409, 'nor publish before approval');
      assert.deepEqual(await search('pickpocket', 'en'), [], 'not published yet');

      const review = await b.get(`/admin/scripts/drafts/${id}`);
      assert.ok(review.body.includes(`/admin/scripts/drafts/${id}/approve`));
      const approved = await b.send(`/admin/scripts/drafts/${id}/approve`, {});
      assert.match(approved.body, /data-testid="draft-status">Approved, not yet published/);
      const published = await b.post(`/admin/scripts/drafts/${id}/publish`, {});
      assert.equal(published.statusCode, 303);
      assert.equal(published.headers.location, '/admin/scripts/stolen-card?done=published');
      assert.match((await b.get(published.headers.location)).body, /data-testid="script-status">Published: version 1/);

      const en = (await search('pickpocket', 'en')).find((i) => i.id === 'stolen-card');
      assert.deepEqual(en, { id: 'stolen-card', title: 'Stolen card', version: 1, language: 'en', body: BODY_EN });
      assert.equal((await search('carterista', 'es')).find((i) => i.id === 'stolen-card')?.body, BODY_ES);
      assert.deepEqual(await audited('script.draft', 'script:stolen-card'), [`staff:${ids.a}`]);
      assert.deepEqual(await audited('script.approve', 'script:stolen-card'), [`staff:${ids.b}`]);
      assert.deepEqual(await audited('script.publish', 'script:stolen-card'), [`staff:${ids.b}`]);
      assert.equal((await t.deps.audit.verify()).ok, true);
    });

    test('a new version of a reference script: the form starts from the published text; one open draft per script; the author publishes once approved', async () => {
      const before = (await search('biometrics', 'en')).find((i) => i.id === 'biometrics')!;
      const formPage = await a.get('/admin/scripts/biometrics/draft');
      assert.ok(formPage.body.includes(`name="baseVersion" value="${before.version}"`));
      assert.ok(formPage.body.includes('Biometrics appointments (fingerprints and photo)'), 'filled in with the published text');
      const sources = loadScriptSources('uscis');
      const bio = sources.find((s) => s.id === 'biometrics')!;
      const fields = {
        slug: 'biometrics', baseVersion: String(before.version),
        enTitle: bio.en.title, enBody: `${bio.en.body}\n\nBring your reading glasses if you need them to sign.`, enKeywords: bio.en.keywords.join('\n'), enBoundary: '',
        esTitle: bio.es.title, esBody: `${bio.es.body}\n\nTraiga sus anteojos si los necesita para firmar.`, esKeywords: bio.es.keywords.join('\n'), esBoundary: '',
      };
      const stale = await a.post('/admin/scripts/drafts', { ...fields, baseVersion: String(before.version - 1 || 99) });
      assert.equal(stale.statusCode, 409, 'written from an older version than the newest');
      const made = await a.post('/admin/scripts/drafts', fields);
      assert.equal(made.statusCode, 303, made.body.slice(0, 500));
      const id = draftIdOf(made.headers.location);
      const count = await draftCount();
      const second = await b.post('/admin/scripts/drafts', fields);
      assert.equal(second.statusCode, 409);
      assert.match(second.body, /data-testid="problem">This script already has a draft waiting for review/);
      assert.equal(await draftCount(), count, 'no second open draft');
      assert.equal((await b.get('/admin/scripts/biometrics/draft')).statusCode, 303, 'the form sends the reader to the waiting draft');

      await b.send(`/admin/scripts/drafts/${id}/approve`, {});
      await a.send(`/admin/scripts/drafts/${id}/publish`, {});
      const now = (await search('biometrics', 'en')).filter((i) => i.id === 'biometrics');
      assert.equal(now.length, 1);
      assert.equal(now[0]!.version, before.version + 1);
      assert.match(now[0]!.body, /reading glasses/);
      assert.match((await search('datos biometricos', 'es')).find((i) => i.id === 'biometrics')!.body, /anteojos/);
      const topic = await a.get('/admin/scripts/biometrics');
      assert.ok(topic.body.includes(`data-version="${before.version}"`) && topic.body.includes(`data-version="${before.version + 1}"`), 'both versions listed');

      // Start-up loads the reference files again: the admin's version stays the one in use.
      assert.deepEqual((await t.deps.scripts.load(sources)).published, []);
      assert.match((await search('biometrics', 'en')).find((i) => i.id === 'biometrics')!.body, /reading glasses/);
      assert.deepEqual(await audited('script.publish', 'script:biometrics'), ['system', `staff:${ids.a}`], 'the reference file at start-up, then the admin');
    });

    test('sending a draft back needs a reason, frees the script for a new draft, and publishes nothing', async () => {
      const made = await a.post('/admin/scripts/drafts', form('lost-passport-abroad', BODY_EN, BODY_ES));
      const id = draftIdOf(made.headers.location);
      const bad = await b.post(`/admin/scripts/drafts/${id}/reject`, { note: '  ' });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.body.includes('href="#note"'));
      assert.match((await b.get(`/admin/scripts/drafts/${id}`)).body, /data-testid="draft-status">Waiting for review/);
      const back = await b.send(`/admin/scripts/drafts/${id}/reject`, { note: 'The title does not say the card was lost abroad.' });
      assert.match(back.body, /data-testid="review-note">The title does not say the card was lost abroad\./);
      assert.equal((await b.post(`/admin/scripts/drafts/${id}/approve`, {})).statusCode, 409, 'a draft sent back cannot be approved');
      assert.deepEqual((await search('pickpocket', 'en')).map((i) => i.id), ['stolen-card'], 'only the published one');
      assert.equal((await a.post('/admin/scripts/drafts', form('lost-passport-abroad', BODY_EN, BODY_ES))).statusCode, 303, 'a new draft may be written');
      assert.deepEqual(await audited('script.reject', 'script:lost-passport-abroad'), [`staff:${ids.b}`]);
    });

    test('a retired script disappears from the search API and from calls, stays retired when the files load again, and its versions stay readable', async () => {
      assert.ok((await search('fee waiver', 'en')).some((i) => i.id === 'fee-waiver'));
      const bad = await a.post('/admin/scripts/fee-waiver/retire', { reason: '' });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.body.includes('href="#reason"'));
      assert.ok((await search('fee waiver', 'en')).some((i) => i.id === 'fee-waiver'), 'a refused retirement changes nothing');

      const done = await a.send('/admin/scripts/fee-waiver/retire', { reason: 'The agency no longer takes fee waiver requests by phone.' });
      assert.match(done.body, /data-testid="script-status">Retired/);
      assert.ok(!done.body.includes('/admin/scripts/fee-waiver/retire'), 'no Retire button on a retired script');
      for (const lang of ['en', 'es'] as const) assert.ok(!(await search(lang === 'en' ? 'fee waiver I-912' : 'exención de tarifa I-912', lang)).some((i) => i.id === 'fee-waiver'), lang);
      const all = await t.app.inject({ method: 'GET', url: '/api/v1/scripts?lang=en&pageSize=200', headers: bearer(tier1) });
      assert.ok(!(all.json().items as Item[]).some((i) => i.id === 'fee-waiver'), 'nor in the full list');
      const call = (await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(tier1), payload: { channel: 'phone', callerPhone: '2025550143', language: 'en' } })).json();
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${call.id}/scripts`, headers: bearer(tier1), payload: { scriptId: 'fee-waiver' } })).statusCode, 404);
      assert.deepEqual((await t.deps.scripts.load(loadScriptSources('uscis'))).published, [], 'the files do not bring it back');
      assert.ok(!(await search('fee waiver I-912', 'en')).some((i) => i.id === 'fee-waiver'));
      assert.equal((await a.post('/admin/scripts/fee-waiver/retire', { reason: 'Again.' })).statusCode, 409);
      assert.match((await a.get('/admin/scripts')).body, /data-script-id="fee-waiver"[\s\S]*?Retired/);
      const rows = await db().selectFrom('scripts').select(['version', 'latest', 'retired_by']).where('slug', '=', 'fee-waiver').execute();
      assert.ok(rows.length === 2 && rows.every((r) => Number(r.latest) === 0 && r.retired_by === `staff:${ids.a}`), 'the rows stay, retired');
      assert.deepEqual(await audited('script.retire', 'script:fee-waiver'), [`staff:${ids.a}`]);
    });

    test('403 for every other role on every page and form, nothing changed; a form without its CSRF token is refused', async () => {
      const made = await a.post('/admin/scripts/drafts', form('only-admins', BODY_EN, BODY_ES));
      const id = draftIdOf(made.headers.location);
      const gets = ['/admin/scripts', '/admin/scripts/new', '/admin/scripts/biometrics', '/admin/scripts/biometrics/draft', `/admin/scripts/drafts/${id}`];
      const posts: Array<[string, Record<string, string>]> = [
        ['/admin/scripts/drafts', form('sneaky-script', BODY_EN, BODY_ES)],
        [`/admin/scripts/drafts/${id}/approve`, {}], [`/admin/scripts/drafts/${id}/reject`, { note: 'No.' }], [`/admin/scripts/drafts/${id}/publish`, {}],
        ['/admin/scripts/processing-times/retire', { reason: 'Because.' }],
      ];
      const before = await draftCount();
      for (const role of ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman'] as const) {
        const other = await new PageBrowser(t).signIn((await t.signIn(role)).email);
        await other.get('/staff');
        for (const url of gets) assert.equal((await other.get(url)).statusCode, 403, `${role} GET ${url}`);
        for (const [url, body] of posts) assert.equal((await other.post(url, body)).statusCode, 403, `${role} POST ${url}`);
      }
      for (const [url, body] of posts) assert.equal((await b.post(url, body, null)).statusCode, 403, `no CSRF token: POST ${url}`);
      assert.equal(await draftCount(), before);
      assert.match((await b.get(`/admin/scripts/drafts/${id}`)).body, /data-testid="draft-status">Waiting for review/);
      assert.ok((await search('processing times', 'en')).some((i) => i.id === 'processing-times'));
      const anon = await t.app.inject({ method: 'GET', url: '/admin/scripts' });
      assert.equal(anon.statusCode, 302);
      assert.equal(anon.headers.location, '/sign-in?next=%2Fadmin%2Fscripts');
    });
  });
}
