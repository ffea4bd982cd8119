/**
 * /admin/retention through inject with real sessions and CSRF forms (PageBrowser), on SQLite and PostgreSQL: the
 * rules start as the agency file's defaults (rows of retention_rules); a rule changed on the page is the one the
 * purge applies (and `switchboard purge --dry-run` shows), while a call under an Ombudsman review is still kept;
 * refused input names each field and changes nothing; two admins saving from the same revision: the second is told;
 * the change is in the audit trail with its admin; other roles get 403 and a form without its CSRF token is refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { PageBrowser } from '../support/page-browser.ts';
import { databaseKinds } from '../support/databases.ts';
import { runCli } from '../support/cli.ts';
import { FeedbackService } from '../../src/feedback/service.ts';

const DAY = 86_400_000;
const plusYears = (iso: string, n: number, ms: number) => {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return new Date(d.getTime() + ms);
};

for (const kind of databaseKinds()) {
  describe(`admin pages: retention rules [${kind}]`, () => {
    let t: TestApp;
    let b: PageBrowser;
    let adminId: string;
    let feed: string;
    let ombudsman: string;

    before(async () => {
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '100000' } });
      const a = await t.signIn('admin');
      adminId = a.id;
      b = await new PageBrowser(t).signIn(a.email);
      feed = await t.clientToken(['contact-feed']);
      ombudsman = (await t.signIn('ombudsman')).token;
    });
    after(async () => t?.close());

    const db = () => t.deps.database.db;
    const rule = (k: string) => db().selectFrom('retention_rules').selectAll().where('kind', '=', k).executeTakeFirstOrThrow();
    const removed = (r: { kinds: Array<{ kind: string; removed: number }> }, k: string) => r.kinds.find((x) => x.kind === k)!.removed;
    const revisionOf = (html: string) => /name="revision" value="(\d+)"/.exec(html)![1]!;
    async function platformCall(externalId: string, endedAt: string) {
      const res = await t.app.inject({
        method: 'POST', url: '/api/v1/contact-records', headers: bearer(feed),
        payload: [{ externalId, startedAt: new Date(Date.parse(endedAt) - 600_000).toISOString(), endedAt, callerPhone: '+1 212 555 0199', tier: 'tier1', recordingUri: `https://recordings.example.org/${externalId}` }],
      });
      assert.equal(res.json().accepted, 1, res.body);
      return (await db().selectFrom('contacts').select(['id', 'reference']).where('external_id', '=', externalId).executeTakeFirstOrThrow());
    }

    test('the rules start as the agency file\'s defaults, listed in English and Spanish; only the dated kinds have a form', async () => {
      const rows = await db().selectFrom('retention_rules').select(['kind', 'keep_unit', 'keep_n', 'updated_by']).orderBy('kind').execute();
      assert.deepEqual(rows.map((r) => [r.kind, r.keep_unit, r.keep_n === null ? null : Number(r.keep_n), r.updated_by]), [
        ['contacts', 'years', 3, 'system'], ['documents', 'years', 6, 'system'], ['drafts', 'days', 30, 'system'],
        ['feedback', 'years', 3, 'system'], ['notes', null, null, 'system'], ['recordings', 'days', 90, 'system'],
      ]);
      const en = await b.get('/admin/retention?lang=en');
      assert.equal(en.statusCode, 200);
      assert.match(en.body, /data-testid="rule-contacts">3 years after the call ended</);
      assert.match(en.body, /data-testid="rule-notes">With their call record</);
      const es = await b.get('/admin/retention?lang=es');
      assert.match(es.body, /<html lang="es"/);
      assert.match(es.body, /data-testid="rule-recordings">90 días después de terminar la llamada</);
      await b.get('/admin/retention?lang=en');
      for (const k of ['contacts', 'recordings', 'feedback', 'documents']) assert.equal((await b.get(`/admin/retention/${k}`)).statusCode, 200, k);
      for (const k of ['drafts', 'notes', 'emails']) {
        assert.equal((await b.get(`/admin/retention/${k}`)).statusCode, 404, k);
        assert.equal((await b.post(`/admin/retention/${k}`, { unit: 'days', n: '60', basis: 'Kept sixty days for no good reason at all.', revision: '1' })).statusCode, 404, k);
      }
      assert.equal(Number((await rule('drafts')).keep_n), 30);
    });

    test('refused input names each field and changes nothing; a rule saved from an old revision is refused', async () => {
      const form = await b.get('/admin/retention/contacts');
      const revision = revisionOf(form.body);
      const bad = await b.post('/admin/retention/contacts', { unit: 'days', n: '30', basis: 'because', revision });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="error-summary"/);
      assert.ok(bad.body.includes('href="#n"') && bad.body.includes('href="#basis"'));
      assert.match(bad.body, /id="n-error">Keep these records at least 90 days/);
      assert.ok(bad.body.includes('value="30"'), 'what was typed is kept');
      const unit = await b.post('/admin/retention/feedback', { unit: 'weeks', n: 'two', basis: 'Kept two weeks for the weekly report on pages.', revision });
      assert.ok(unit.body.includes('href="#unit"') && unit.body.includes('href="#n"'));
      assert.equal((await b.post('/admin/retention/feedback', { unit: 'years', n: '101', basis: 'Kept for a century, for the archives of the agency.', revision })).statusCode, 400);
      assert.equal(Number((await rule('contacts')).keep_n), 3);
      assert.equal((await rule('contacts')).keep_unit, 'years');
      assert.equal((await rule('feedback')).keep_unit, 'years');

      const first = await b.post('/admin/retention/documents', { unit: 'years', n: '7', basis: 'Kept seven years after the request closed, as the records officer asked.', revision });
      assert.equal(first.statusCode, 303);
      const late = await b.post('/admin/retention/documents', { unit: 'years', n: '5', basis: 'Kept five years after the request closed, to save space.', revision });
      assert.equal(late.statusCode, 409, 'saved from the revision before the first change');
      assert.match(late.body, /data-testid="problem">Someone else changed this rule/);
      assert.equal(Number((await rule('documents')).keep_n), 7);
      assert.match((await b.get('/admin/retention')).body, /data-testid="rule-documents">7 years after the request closed</);
    });

    test('a shorter feedback rule changed on the page is the one the purge applies, and the one the command line shows', async () => {
      const received = new Date(Date.now() - 400 * DAY);
      const fb = await new FeedbackService({ db: db(), audit: t.deps.audit, idempotency: t.deps.idempotency, clock: () => received })
        .record({ kind: 'anonymous' }, { page: '/case-status', helpful: false }, { source: 'api' });
      const stays = () => db().selectFrom('feedback').select('id').where('id', '=', fb.id).executeTakeFirst();
      assert.equal(removed(await t.deps.retention.plan(), 'feedback'), 0, 'inside 3 years');

      const form = await b.get('/admin/retention/feedback');
      const done = await b.send('/admin/retention/feedback', { unit: 'months', n: '12', basis: 'Page feedback is kept one year: the yearly report is all it serves.', revision: revisionOf(form.body) });
      assert.match(done.body, /data-testid="done">The rule for Page feedback is changed/);
      assert.match(done.body, /data-testid="rule-feedback">12 months after it was received</);
      assert.match(done.body, /data-testid="due-feedback">1</);
      const dry = await runCli(t.db, ['purge', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /^feedback\s+12 months after it was received\s+1\s+-$/m);
      assert.ok(await stays(), 'the dry run removed nothing');

      const report = await t.deps.retention.purge();
      assert.equal(removed(report, 'feedback'), 1);
      assert.equal(await stays(), undefined, 'removed under the new rule');
      const entries = await db().selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'retention-rule-change').where('subject', '=', 'retention:feedback').execute();
      assert.deepEqual(entries.map((e) => [e.actor, JSON.parse(e.detail ?? '{}').from, JSON.parse(e.detail ?? '{}').to]), [[`staff:${adminId}`, '3 years after it was received', '12 months after it was received']]);
      assert.equal((await t.deps.audit.verify()).ok, true);
    });

    test('a shorter contacts rule removes the calls past it, and a call under review is still kept until the review closes', async () => {
      const ended = new Date(Date.now() - 3_600_000).toISOString();
      const free = await platformCall('ADM-RET-FREE', ended);
      const held = await platformCall('ADM-RET-HELD', ended);
      const review = await t.app.inject({ method: 'POST', url: '/api/v1/ombudsman/call-reviews', headers: bearer(ombudsman), payload: { reference: held.reference, concern: 'The caller says the agent gave the wrong office address.' } });
      assert.equal(review.statusCode, 201, review.body);
      const later = t.deps.retention.withClock(() => plusYears(ended, 1, DAY));
      const contact = (id: string) => db().selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst();
      assert.equal(removed(await later.purge(), 'contacts'), 0, 'a year on, the 3-year rule keeps both');

      const form = await b.get('/admin/retention/contacts');
      await b.send('/admin/retention/contacts', { unit: 'years', n: '1', basis: 'Call records are kept one year after the call ended, as the records officer decided.', revision: revisionOf(form.body) });
      const report = await later.purge();
      assert.equal(removed(report, 'contacts'), 1);
      assert.equal(report.kinds.find((k) => k.kind === 'contacts')!.held, 1);
      assert.equal(await contact(free.id), undefined, 'the call past the new rule goes');
      assert.ok(await contact(held.id), 'the call under review stays');
      const closed = await t.app.inject({ method: 'POST', url: `/api/v1/ombudsman/call-reviews/${review.json().reviewNumber}/close`, headers: bearer(ombudsman), payload: { outcome: 'Reviewed with the agency: the address given was wrong; the agent was coached.' } });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal(removed(await later.purge(), 'contacts'), 1);
      assert.equal(await contact(held.id), undefined, 'and goes once the review closed');
    });

    test('403 for every other role on every page and form, nothing changed; a form without its CSRF token is refused', async () => {
      const before = await rule('recordings');
      const form = { unit: 'days', n: '365', basis: 'Recording references are kept a whole year for training purposes.', revision: String(before.revision) };
      for (const role of ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman'] as const) {
        const other = await new PageBrowser(t).signIn((await t.signIn(role)).email);
        await other.get('/staff');
        for (const url of ['/admin/retention', '/admin/retention/recordings']) assert.equal((await other.get(url)).statusCode, 403, `${role} GET ${url}`);
        assert.equal((await other.post('/admin/retention/recordings', form)).statusCode, 403, `${role} POST`);
      }
      assert.equal((await b.post('/admin/retention/recordings', form, null)).statusCode, 403, 'no CSRF token');
      assert.deepEqual(await rule('recordings'), before);
      const anon = await t.app.inject({ method: 'GET', url: '/admin/retention' });
      assert.equal(anon.statusCode, 302);
      assert.equal(anon.headers.location, '/sign-in?next=%2Fadmin%2Fretention');
    });
  });
}
