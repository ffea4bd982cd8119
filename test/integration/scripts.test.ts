/**
 * Scripts and the knowledge base (CONTRACT.md section 8), on SQLite and PostgreSQL: search in both languages with
 * accents ignored both ways, light English stemming and prefixes, the language filter, the list shape; who may read
 * scripts; a script used on a call recorded with its version; a changed text is a new version and the old stays.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { loadScriptSources } from '../../src/scripts/service.ts';
import { normalise, queryTerms, type ScriptSource } from '../../src/scripts/checks.ts';

type Item = { id: string; title: string; version: number; language: string; body: string };

test('normalise folds accents, case and form numbers; queryTerms drops filler words and stems lightly', () => {
  assert.equal(normalise('Información sobre el Formulario I-90, ¡AÑO!'), 'informacion sobre el formulario i90 ano');
  assert.deepEqual(queryTerms('How do I change my address?', 'en'), ['change', 'address']);
  assert.deepEqual(queryTerms('¿Cuánto cuestan las tarifas?', 'es'), ['cuestan', 'tarifa']);
  assert.deepEqual(queryTerms('renewing fees', 'en'), ['renew', 'fee']);
  assert.deepEqual(queryTerms('"); drop table scripts; --', 'en'), ['drop', 'table', 'script']);
});

test('the reference scripts: at least 40 topics, each in English and Spanish, unique ids', () => {
  const all = loadScriptSources('uscis');
  assert.ok(all.length >= 40, `${all.length} topics`);
  for (const s of all) {
    assert.notEqual(s.en.body, s.es.body, s.id);
    assert.ok(s.es.title !== s.en.title || /^[A-Z0-9 ()-]+$/.test(s.en.title), s.id);
  }
  const noAdvice = all.find((s) => s.id === 'no-legal-advice')!;
  assert.match(noAdvice.en.legalAdviceBoundary!, /cannot give legal advice/);
  assert.match(noAdvice.es.legalAdviceBoundary!, /no puedo darle asesoría legal/);
});

for (const kind of databaseKinds()) {
  describe(`scripts [${kind}]`, () => {
    let t: TestApp;
    let tier1: { token: string; id: string; agentId: string };
    let tier1b: { token: string; id: string; agentId: string };
    let tier2: string;

    before(async () => {
      t = await startTestApp(kind);
      tier1 = await t.signIn('tier1');
      tier1b = await t.signIn('tier1');
      tier2 = (await t.signIn('tier2', { skills: ['en', 'es'] })).token;
    });
    after(() => t.close());

    const search = async (q: string, lang: string, token = tier1.token) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/scripts?q=${encodeURIComponent(q)}&lang=${lang}`, headers: bearer(token) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: Item[]; page: number; pageSize: number; total: number };
    };
    const ids = (r: { items: Item[] }) => r.items.map((i) => i.id);

    test('"informacion" finds the Spanish scripts that say "Información" (and "información" finds the same)', async () => {
      const plain = await search('informacion', 'es');
      assert.ok(plain.total > 0);
      assert.ok(plain.items.every((i) => i.language === 'es'));
      assert.ok(plain.items.some((i) => /[Ii]nformación/.test(`${i.title} ${i.body}`)), JSON.stringify(ids(plain)));
      const accented = await search('INFORMACIÓN', 'es');
      assert.deepEqual(new Set(ids(accented)), new Set(ids(plain)));
    });

    test('accents ignored both ways: "dirección" in English-typed form and "direccion" find the change of address first-page', async () => {
      for (const q of ['cambio de direccion', 'cambio de dirección', 'CAMBIO DE DIRECCIÓN']) {
        const r = await search(q, 'es');
        assert.ok(ids(r).slice(0, 3).includes('change-of-address'), `${q}: ${ids(r).join(',')}`);
      }
      // Typed with an accent that the text does not have: "biométricos" vs. "biometrics" in English.
      const en = await search('biométrics', 'en');
      assert.equal(ids(en)[0], 'biometrics', ids(en).join(','));
    });

    test('English: plurals and prefixes match ("fees", "notices", "naturaliz"); a question keeps only its topic words', async () => {
      assert.ok(ids(await search('fees', 'en')).slice(0, 3).includes('filing-fees'));
      assert.ok(ids(await search('lost notices', 'en')).slice(0, 3).includes('lost-notice'));
      assert.ok(ids(await search('naturaliz', 'en')).includes('naturalization'));
      assert.ok(ids(await search('How do I replace my green card?', 'en')).slice(0, 3).includes('replace-green-card'));
      assert.ok(ids(await search('I-90', 'en')).slice(0, 2).includes('replace-green-card'));
      assert.ok(ids(await search('What should I file?', 'en')).slice(0, 3).includes('no-legal-advice'));
      assert.equal((await search('zzzqqq', 'en')).total, 0);
    });

    test('the language filter, the list shape, empty q = every script by title, paging', async () => {
      const en = await search('expedite', 'en');
      assert.ok(en.items.length > 0 && en.items.every((i) => i.language === 'en'));
      assert.deepEqual(Object.keys(en.items[0]!).sort(), ['body', 'id', 'language', 'title', 'version']);
      assert.deepEqual(Object.keys(en).sort(), ['items', 'page', 'pageSize', 'total']);
      // English words do not find Spanish scripts (the Spanish text says "acelerar").
      assert.ok(!ids(await search('acelerar', 'en')).includes('expedite-request'));
      assert.ok(ids(await search('acelerar', 'es')).includes('expedite-request'));
      const all = await search('', 'es');
      assert.ok(all.total >= 40);
      const titles = all.items.map((i) => i.title);
      assert.deepEqual(titles, [...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const page2 = await t.app.inject({ method: 'GET', url: '/api/v1/scripts?lang=es&pageSize=10&page=2', headers: bearer(tier1.token) });
      assert.deepEqual(page2.json().items.map((i: Item) => i.id), ids(all).slice(10, 20));
      assert.equal((await search('biometrics', 'en', tier2)).items[0]!.id, 'biometrics');
    });

    test('who may read scripts: tier1 and tier2; office, admin and supervisor 403; signed out 401; bad lang 400', async () => {
      for (const role of ['office', 'admin', 'supervisor'] as const) {
        const { token } = await t.signIn(role, role === 'office' ? { office: 'VSC' } : {});
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/scripts?q=fees', headers: bearer(token) });
        assert.equal(res.statusCode, 403, role);
      }
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/scripts?q=fees' })).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/scripts?lang=fr', headers: bearer(tier1.token) })).statusCode, 400);
    });

    test('using a script on a call records its id and version (contact event and audit); 404 for an unknown script or another agent\'s call', async () => {
      const opened = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(tier1.token), payload: { channel: 'phone', callerPhone: '2025550143', language: 'es' } });
      const { id } = opened.json() as { id: string };
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/scripts`, headers: bearer(tier1.token), payload: { scriptId: 'biometrics' } });
      assert.equal(res.statusCode, 201, res.body);
      const used = res.json();
      assert.equal(used.scriptId, 'biometrics');
      assert.equal(used.language, 'es'); // the call's language
      assert.ok(Number.isInteger(used.version) && used.version >= 1);
      assert.ok(!Number.isNaN(Date.parse(used.at)));
      const view = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${id}`, headers: bearer(tier1.token) })).json();
      const event = view.events.find((e: { kind: string }) => e.kind === 'script');
      assert.equal(event.detail.scriptId, 'biometrics');
      assert.equal(event.detail.version, used.version);
      const audit = await t.deps.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'contact.script').where('subject', '=', `contact:${id}`).execute();
      assert.equal(audit.length, 1);

      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/scripts`, headers: bearer(tier1.token), payload: { scriptId: 'no-such-topic' } })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/scripts`, headers: bearer(tier1b.token), payload: { scriptId: 'biometrics' } })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/scripts`, headers: bearer(tier1.token), payload: {} })).statusCode, 400);
      // An ended call takes no more scripts (409), and the one recorded stays.
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/end`, headers: bearer(tier1.token), payload: { disposition: 'resolved' } })).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/scripts`, headers: bearer(tier1.token), payload: { scriptId: 'biometrics' } })).statusCode, 409);
      assert.equal((await t.deps.contacts.eventsOf(id)).filter((e) => e.kind === 'script').length, 1);
    });

    test('loading is idempotent; a changed text is a new version in both languages, the old one stays readable', async () => {
      const sources = loadScriptSources('uscis');
      assert.deepEqual((await t.deps.scripts.load(sources)).published, []);
      const before = (await search('biometrics', 'en')).items.find((i) => i.id === 'biometrics')!;
      const changed: ScriptSource[] = sources.map((s) => s.id !== 'biometrics' ? s : { ...s, en: { ...s.en, body: `${s.en.body}\n\nBring a face mask if you wish.` } });
      assert.deepEqual((await t.deps.scripts.load(changed)).published, [`biometrics@${before.version + 1}`]);
      const after1 = (await search('biometrics', 'en')).items.filter((i) => i.id === 'biometrics');
      assert.equal(after1.length, 1); // only the latest is searchable
      assert.equal(after1[0]!.version, before.version + 1);
      assert.match(after1[0]!.body, /face mask/);
      assert.equal((await search('datos biometricos', 'es')).items.find((i) => i.id === 'biometrics')!.version, before.version + 1);
      const session = (await t.deps.staff.resolveSession(tier1.token))!;
      const old = await t.deps.scripts.version({ kind: 'staff', user: session.user, sessionId: session.sessionId }, 'biometrics', 'en', before.version);
      assert.equal(old.body, before.body);
      // A call now records the new version.
      const { id } = (await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(tier1.token), payload: { channel: 'phone', callerPhone: '2025550144', language: 'en' } })).json();
      const used = (await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/scripts`, headers: bearer(tier1.token), payload: { scriptId: 'biometrics' } })).json();
      assert.equal(used.version, before.version + 1);
      // Loading the original text again is yet another version (the text changed back); nothing is lost.
      assert.deepEqual((await t.deps.scripts.load(sources)).published, [`biometrics@${before.version + 2}`]);
    });
  });
}
