/**
 * The Ombudsman's pages (src/ombudsman/pages.ts), through app.inject() as a browser without JavaScript uses them,
 * on SQLite and PostgreSQL: the public case assistance request in steps that keep what was typed (a draft on
 * the server, resumed from its link by another browser), errors beside their fields, the advice on the review
 * before sending, CSRF required, Spanish; then the analyst's desk takes it from the queue to closure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { PageBrowser } from '../support/page-browser.ts';
import { caseRecord } from '../support/factories.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/processing-time.ts';

for (const kind of databaseKinds()) {
  describe(`Ombudsman pages [${kind}]`, () => {
    let t: TestApp;
    let analyst: { email: string; id: string };
    let today: string;

    before(async () => {
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '10000' } });
      analyst = await t.signIn('ombudsman');
      today = todayIn(t.deps.agency.timeZone);
    });
    after(() => t.close());

    const load = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0);
      return record.receiptNumber as string;
    };
    const start = async (b: PageBrowser, lang = 'en') => {
      const intro = await b.get(`/ombudsman/case-assistance?lang=${lang}`);
      assert.equal(intro.statusCode, 200);
      const res = await b.post(`/ombudsman/case-assistance/start?lang=${lang}`, {});
      assert.equal(res.statusCode, 303, res.body);
      const location = res.headers.location as string;
      assert.match(location, /^\/ombudsman\/case-assistance\/d\/[A-Za-z0-9_-]{32}\/you\?lang=/);
      return location.replace(/\/you\?.*$/, '');
    };

    test('steps keep what was typed; another browser resumes from the link; the review shows the advice; sending gives the request number', async () => {
      const young = await load({ receivedDate: addDays(today, -5), history: [{ date: addDays(today, -5), status: 'case-was-received' }], notices: [] });
      const b = new PageBrowser(t);
      const draft = await start(b);
      const you = await b.get(`${draft}/you?lang=en`);
      assert.equal(you.statusCode, 200);
      assert.match(you.headers['cache-control'] as string, /no-store/);
      // For someone else without consent: the error beside its field, and what was typed is kept.
      const refused = await b.post(`${draft}/you?lang=en`, { requesterName: 'Luis Gómez', requesterEmail: 'luis@example.org', filingFor: 'other', applicantName: 'Ana Pérez', applicantDob: '03/02/1990' });
      assert.equal(refused.statusCode, 400, refused.body.slice(0, 500));
      assert.match(refused.body, /id="error-summary"/);
      assert.match(refused.body, /href="#authority-consent"/);
      assert.match(refused.body, /value="Luis Gómez"/);
      const next = await b.post(`${draft}/you?lang=en`, { requesterName: 'Luis Gómez', requesterEmail: 'luis@example.org', filingFor: 'other', applicantName: 'Ana Pérez', applicantDob: '03/02/1990', authority: 'consent' });
      assert.equal(next.statusCode, 303, next.body.slice(0, 500));
      assert.equal(next.headers.location, `${draft}/cases?lang=en`);
      const badCase = await b.post(`${draft}/cases?lang=en`, { case1Receipt: 'nope', case1Form: 'I-130' });
      assert.equal(badCase.statusCode, 400);
      assert.match(badCase.body, /id="case1Receipt-error"/);
      assert.equal((await b.post(`${draft}/cases?lang=en`, { case1Receipt: young, case1Form: 'I-130' })).statusCode, 303);

      // Another browser (no cookies) resumes from the link: what was typed is there.
      const other = new PageBrowser(t);
      const resumed = await other.get(`${draft}/cases?lang=en`);
      assert.equal(resumed.statusCode, 200);
      assert.match(resumed.body, new RegExp(`value="${young}"`));
      assert.equal((await other.post(`${draft}/actions?lang=en`, { action1Date: addDays(today, -200), action1Kind: 'call' })).statusCode, 303);
      assert.equal((await other.post(`${draft}/reasons?lang=en`, { reasons: 'Nobody answers about the case; I need help.' })).statusCode, 303);
      const review = await other.get(`${draft}/review?lang=en`);
      assert.equal(review.statusCode, 200, review.body.slice(0, 500));
      assert.match(review.body, /data-advice="within-processing-time"/);
      assert.match(review.body, /data-advice="contact-agency-first"/);
      assert.doesNotMatch(review.body, /data-advice="outside-ombudsman-remit"/);
      assert.equal(await t.deps.database.db.selectFrom('case_assistance_requests').select('request_number').where('cases', 'like', `%${young}%`).executeTakeFirst(), undefined, 'nothing sent before Send');

      // CSRF: a send without the token is refused.
      assert.equal((await other.post(`${draft}/submit?lang=en`, {}, null)).statusCode, 403);
      const sent = await other.post(`${draft}/submit?lang=en`, {});
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
      const done = await other.get(sent.headers.location as string);
      assert.equal(done.statusCode, 200);
      const number = /id="request-number">(CA\d{9})</.exec(done.body)?.[1];
      assert.ok(number, done.body.slice(0, 1000));
      const row = await t.deps.database.db.selectFrom('case_assistance_requests').selectAll().where('request_number', '=', number!).executeTakeFirstOrThrow();
      assert.equal(row.for_someone_else, 1);
      assert.equal(row.consent, 1);
      assert.deepEqual(JSON.parse(row.advice), ['within-processing-time', 'contact-agency-first']);
      assert.equal(JSON.parse(row.applicant).dateOfBirth, '1990-03-02');
      // Sending again (a reload, a double click) gives the same request, not a second one.
      assert.equal((await other.post(`${draft}/submit?lang=en`, {})).statusCode, 303);
      assert.equal((await t.deps.database.db.selectFrom('case_assistance_requests').select('request_number').where('cases', 'like', `%${young}%`).execute()).length, 1);
      // A step of a sent draft goes to the result.
      assert.equal((await b.get(`${draft}/you?lang=en`)).headers.location, `${draft}/done?lang=en`);
    });

    test('an unknown draft link: 404 with a way to start again; Spanish pages', async () => {
      const b = new PageBrowser(t);
      const gone = await b.get('/ombudsman/case-assistance/d/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/you');
      assert.equal(gone.statusCode, 404);
      assert.match(gone.body, /href="\/ombudsman\/case-assistance\?lang=en"/);
      const draft = await start(b, 'es');
      const es = await b.get(`${draft}/you?lang=es`);
      assert.match(es.body, /<html lang="es"/);
      assert.match(es.body, /Sobre usted/);
    });

    test('the analyst desk: the queue, the request, assign, note, move on and close with the letter', async () => {
      const rn = await load();
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/ombudsman/case-assistance', payload: { requester: { name: 'Ana Pérez', email: 'ana.desk@example.org' }, cases: [{ receiptNumber: rn, formType: 'I-130' }], priorActions: [{ date: addDays(today, -3), kind: 'call' }], reasons: 'Pending for years; nobody answers my letters.' } });
      assert.equal(res.statusCode, 201, res.body);
      const n = res.json().requestNumber as string;
      const b = await new PageBrowser(t).signIn(analyst.email);
      const queue = await b.get('/ombudsman/desk');
      assert.equal(queue.statusCode, 200, queue.body.slice(0, 500));
      assert.match(queue.body, new RegExp(`data-request="${n}"`));
      const page = await b.get(`/ombudsman/desk/${n}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Pending for years/);
      await b.send(`/ombudsman/desk/${n}/assign?lang=en`, { userId: analyst.id });
      await b.send(`/ombudsman/desk/${n}/note?lang=en`, { text: 'Asked the office for the file.' });
      for (const status of ['in-review', 'agency-asked', 'answered']) await b.send(`/ombudsman/desk/${n}/status?lang=en`, { status });
      const refused = await b.post(`/ombudsman/desk/${n}/status?lang=en`, { status: 'closed', outcome: '' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /id="error-summary"/);
      const closed = await b.send(`/ombudsman/desk/${n}/status?lang=en`, { status: 'closed', outcome: 'The office decided the case; the approval notice is in the mail.' });
      assert.match(closed.body, /id="status-word">Closed</);
      assert.match(closed.body, /Asked the office for the file/);
      assert.equal((await t.deps.database.db.selectFrom('outbox').select('template').where('subject_ref', '=', n).execute()).length, 1);
      const tier1 = await t.signIn('tier1');
      const other = await new PageBrowser(t).signIn(tier1.email);
      assert.equal((await other.get('/ombudsman/desk')).statusCode, 403);
    });
  });
}
