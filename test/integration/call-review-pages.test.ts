/**
 * The Ombudsman's call review pages (src/call-reviews/pages.ts) through app.inject() as a browser uses them (cookie
 * session, CSRF forms), on SQLite and PostgreSQL: form errors in the error summary linking to their fields, no call
 * found (404) and a call older than 90 days (422) said in words with what to do instead, a request by reference and
 * one by the time (datetime-local, in the agency's time zone) + phone + agent name, the same form sent twice giving
 * one review, the list (open first, paged), the review's record with the call's events and the hold, closing (the
 * outcome required; the hold released; a second close said in words), the supervisor's section and read-only page,
 * and 403 for Tier 1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { PageBrowser, escapedHtml } from '../support/page-browser.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { newContactReference } from '../../src/domain/contact-reference.ts';
import { agencyInstant, reviewInput } from '../../src/call-reviews/pages.ts';

const en = translator('en');
const es = translator('es');
const HOUR = 3_600_000;
const ZONE = 'America/New_York';
const CONCERN = 'The agent said the case was approved, but the status online says it is still pending.';
const OUTCOME = 'The recording shows the agent misread the status. The agent was coached and the person was written to.';

/** Asserts the page holds (or not) a text, saying which: never a generated message (the runner reads the source for one). */
const contains = (html: string, text: string, what = text) => assert.ok(html.includes(text), `the page should hold: ${what}`);
const lacks = (html: string, text: string, what = text) => assert.ok(!html.includes(text), `the page should not hold: ${what}`);
/** The text of an element with this id (the first), tags stripped. */
const textOf = (html: string, id: string): string => {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</(div|section|p|dl|table|ol|dd)>`).exec(html);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
};
const summaryLinks = (html: string): string[] => {
  const box = /id="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...box.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
};
/** The datetime-local value (agency time zone) of an instant. */
const local = (iso: string) => DateTime.fromISO(iso).setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm");

test('a datetime-local value is read in the agency\'s time zone; the form becomes the API\'s body', () => {
  assert.equal(agencyInstant('2026-07-04T09:30', ZONE), '2026-07-04T09:30:00-04:00');
  assert.equal(agencyInstant('2026-12-01 09:30', ZONE), '2026-12-01T09:30:00-05:00');
  assert.equal(agencyInstant('', ZONE), '');
  assert.equal(agencyInstant('next tuesday', ZONE), 'next tuesday');
  assert.deepEqual(reviewInput({ reference: ' 4821 0937 5562 ', callTime: '2026-12-01T09:30', callerPhone: '1', agent: 'x', concern: ' c ' }, ZONE), { reference: '4821 0937 5562', concern: 'c' });
  assert.deepEqual(reviewInput({ reference: '', callTime: '2026-12-01T09:30', callerPhone: '(212) 555-0101', agent: '123 456', concern: 'c' }, ZONE),
    { callTime: '2026-12-01T09:30:00-05:00', callerPhone: '(212) 555-0101', agentId: '123456', concern: 'c' });
  assert.deepEqual(reviewInput({ callTime: '', callerPhone: '', agent: 'Ana Núñez', concern: '' }, ZONE), { callTime: '', callerPhone: '', agentName: 'Ana Núñez', concern: '' });
});

for (const kind of databaseKinds()) {
  describe(`the call review pages [${kind}]`, () => {
    let t: TestApp;
    let feed: string;
    let agent: { agentId: string; id: string };
    let analyst: PageBrowser;
    let supervisor: PageBrowser;
    let tier1: PageBrowser;

    before(async () => {
      t = await startTestApp(kind);
      feed = await t.clientToken(['contact-feed']);
      const a = await t.deps.staff.addUser({ email: 'nunez@agency.test', name: 'Ana Núñez', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      agent = { agentId: a.agentId, id: a.id };
      await t.deps.staff.addUser({ email: 'olga@agency.test', name: 'Olga Analyst', role: 'ombudsman', password: TEST_PASSWORD }, { kind: 'cli' });
      await t.deps.staff.addUser({ email: 'sam@agency.test', name: 'Sam Supervisor', role: 'supervisor', password: TEST_PASSWORD }, { kind: 'cli' });
      await t.deps.staff.addUser({ email: 'tom@agency.test', name: 'Tom Tier1', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      analyst = await new PageBrowser(t).signIn('olga@agency.test');
      supervisor = await new PageBrowser(t).signIn('sam@agency.test');
      tier1 = await new PageBrowser(t).signIn('tom@agency.test');
    });
    after(() => t?.close());

    /** A finished call from the contact platform that started `hoursAgo` hours ago; its reference. */
    const call = async (externalId: string, hoursAgo: number, phone: string, agentId = agent.agentId) => {
      const startedAt = new Date(Math.floor((Date.now() - hoursAgo * HOUR) / 60_000) * 60_000).toISOString();
      const res = await t.app.inject({
        method: 'POST', url: '/api/v1/contact-records', headers: bearer(feed),
        payload: [{ externalId, startedAt, endedAt: new Date(Date.parse(startedAt) + 600_000).toISOString(), callerPhone: phone, agentId, tier: 'tier1', disposition: 'resolved' }],
      });
      assert.equal(res.json().accepted, 1, res.body);
      const row = await t.deps.database.db.selectFrom('contacts').select(['id', 'reference']).where('external_id', '=', externalId).executeTakeFirstOrThrow();
      return { ...row, startedAt };
    };
    const reviewCount = async () => Number((await t.deps.database.db.selectFrom('call_reviews').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const form = (values: Record<string, string>) => ({ reference: '', callTime: '', callerPhone: '', agent: '', concern: '', formKey: crypto.randomUUID(), ...values });

    test('form errors: the error summary links to each field, the messages are beside them, what was typed is kept (English and Spanish)', async () => {
      for (const [lang, tr] of [['en', en], ['es', es]] as const) {
        const page = await analyst.get(`/ombudsman/call-reviews?lang=${lang}`);
        assert.equal(page.statusCode, 200);
        const res = await analyst.post(`/ombudsman/call-reviews?lang=${lang}`, form({ callerPhone: '12', agent: '12345', concern: 'short' }));
        assert.equal(res.statusCode, 400, res.body.slice(0, 500));
        assert.deepEqual(summaryLinks(res.body), ['callTime', 'callerPhone', 'agent', 'concern'], 'in the page\'s order');
        assert.match(res.body, /<title>Error: /);
        for (const [id, key] of [['callTime', 'callTime.invalid'], ['callerPhone', 'callerPhone.invalid-phone'], ['agent', 'agent.invalid']] as const) {
          contains(res.body, `id="${id}-error">${escapedHtml(tr(`callReviews.error.${key}`))}</span>`, `${lang}: ${id} message beside the field`);
          assert.match(res.body, new RegExp(`id="${id}" name="${id}"[^>]*aria-invalid="true"`), `${lang}: ${id} is marked invalid`);
        }
        contains(res.body, escapedHtml(tr('callReviews.error.concern.length', { min: 10, max: '4,000' })), `${lang}: the concern's limits in words`);
        contains(res.body, 'value="12"', 'the phone as typed is kept');
        contains(res.body, '>short</textarea>', 'the concern as typed is kept');
        assert.ok(!/invalid-request|invalid-phone"/.test(res.body.replace(/data-[a-z-]+="[^"]*"/g, '')), 'no raw code on the page');
      }
      const bad = await analyst.post('/ombudsman/call-reviews?lang=en', form({ reference: '1234', concern: CONCERN }));
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(summaryLinks(bad.body), ['reference']);
      assert.equal(await reviewCount(), 0);
    });

    test('no call found: 404 in words with what to do instead, by time and phone and by reference', async () => {
      const res = await analyst.post('/ombudsman/call-reviews?lang=en', form({ callTime: local(new Date().toISOString()), callerPhone: '(212) 555-0190', concern: CONCERN }));
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /data-notice="not-found"/);
      contains(res.body, escapedHtml(en('callReviews.notice.notFoundHeading')));
      contains(res.body, escapedHtml(en('callReviews.notice.leaveAgent')));
      contains(res.body, 'href="/call-record?lang=en"');
      lacks(res.body, 'not-found</', 'never the raw code');
      const es404 = await analyst.post('/ombudsman/call-reviews?lang=es', form({ reference: newContactReference(), concern: CONCERN }));
      assert.equal(es404.statusCode, 404);
      assert.match(es404.body, /data-notice="not-found-reference"/);
      contains(es404.body, escapedHtml(es('callReviews.notice.notFoundReferenceHeading')));
      assert.equal(await reviewCount(), 0);
    });

    test('a call older than 90 days: 422 in words, the date of the call, what to do instead; nothing opened', async () => {
      const old = await call('P-OLD', 91 * 24, '+1 212 555 0191');
      for (const [lang, tr] of [['en', en], ['es', es]] as const) {
        const res = await analyst.post(`/ombudsman/call-reviews?lang=${lang}`, form({ callTime: local(old.startedAt), callerPhone: '212.555.0191', concern: CONCERN }));
        assert.equal(res.statusCode, 422, res.body.slice(0, 300));
        assert.match(res.body, /data-notice="window-closed"/);
        contains(res.body, escapedHtml(tr('callReviews.notice.windowClosedHeading')));
        contains(res.body, escapedHtml(tr('callReviews.notice.windowTell', { days: 90 })));
        const year = old.startedAt.slice(0, 4);
        assert.match(textOf(res.body, 'notice'), new RegExp(year), 'the call\'s date is given');
        assert.ok(!/>[^<]*review-window-closed/.test(res.body), 'never the raw code');
      }
      assert.equal(await reviewCount(), 0);
    });

    let byReference = '';
    let byTime = '';

    test('a request by the call record reference opens the review: its page shows the call, its events, the concern and the hold', async () => {
      // A call made through the desk API: its events and notes are the desk's.
      const agentToken = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'tom@agency.test', password: TEST_PASSWORD } })).json().token as string;
      const own = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(agentToken), payload: { channel: 'phone', callerPhone: '2125550151', language: 'en' } });
      const ref = own.json().reference as string;
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${own.json().id}/notes`, headers: bearer(agentToken), payload: { text: 'Caller asked about the I-485 interview date.' } })).statusCode, 201);
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${own.json().id}/end`, headers: bearer(agentToken), payload: { disposition: 'resolved', notes: 'Told the caller to wait for the notice.' } })).statusCode, 200);

      const res = await analyst.post('/ombudsman/call-reviews?lang=en', form({ reference: `${ref.slice(0, 4)} ${ref.slice(4, 8)} ${ref.slice(8)}`, callerPhone: 'ignored with a reference', concern: CONCERN }));
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const m = /^\/ombudsman\/call-reviews\/(\d{10})\?lang=en&done=requested$/.exec(res.headers.location as string);
      assert.ok(m, String(res.headers.location));
      byReference = m[1]!;
      const page = await analyst.get(res.headers.location as string);
      assert.equal(page.statusCode, 200);
      contains(page.body, escapedHtml(en('callReviews.review.done.requested')));
      contains(page.body, `${ref.slice(0, 4)} ${ref.slice(4, 8)} ${ref.slice(8)}`, 'the call reference, grouped');
      assert.match(page.body, /data-held="true"/);
      contains(page.body, escapedHtml(en('callReviews.review.holdOpenHeading')));
      contains(page.body, escapedHtml(CONCERN));
      contains(page.body, 'Tom Tier1', 'the agent by name');
      contains(page.body, 'Caller asked about the I-485 interview date.', 'the note written on the call');
      contains(page.body, 'Told the caller to wait for the notice.', 'the notes at the end');
      assert.match(page.body, /data-kind="opened"[\s\S]*data-kind="note"[\s\S]*data-kind="ended"/);
      contains(page.body, escapedHtml(en('callReviews.review.foundByReference')));
      contains(page.body, 'id="close-form"', 'the Ombudsman may close it');
      const contactId = (await t.deps.database.db.selectFrom('contacts').select('id').where('reference', '=', ref).executeTakeFirstOrThrow()).id;
      assert.equal(await t.deps.callReviews.isHeld(contactId), true);
    });

    test('a request by about when (in the agency\'s time zone), the phone number in another spelling and the agent\'s name; the same form sent twice opens one review', async () => {
      await call('P-A', 30, '+1 212 555 0160', (await t.signIn('tier1')).agentId); // the same phone, another agent, closer in time
      const target = await call('P-B', 31, '+1 212 555 0160');
      const before = await reviewCount();
      const values = form({ callTime: local(new Date(Date.parse(target.startedAt) + 40 * 60_000).toISOString()), callerPhone: '212-555-0160', agent: 'ana nunez', concern: CONCERN });
      const first = await analyst.post('/ombudsman/call-reviews?lang=es', values);
      assert.equal(first.statusCode, 303, first.body.slice(0, 500));
      const again = await analyst.post('/ombudsman/call-reviews?lang=es', values);
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, first.headers.location, 'the second submit answers with the first review');
      assert.equal(await reviewCount(), before + 1);
      byTime = /\/(\d{10})\?/.exec(first.headers.location as string)![1]!;
      const page = await analyst.get(first.headers.location as string);
      assert.equal(page.statusCode, 200);
      contains(page.body, target.reference.slice(0, 4), 'the call found is the one with that agent');
      contains(page.body, `Ana Núñez (${agent.agentId})`);
      contains(page.body, escapedHtml(es('callReviews.review.foundBy')));
      contains(page.body, 'ana nunez', 'what the person remembered');
      const row = await t.deps.database.db.selectFrom('call_reviews').select('asked_call_time').where('review_number', '=', byTime).executeTakeFirstOrThrow();
      assert.match(row.asked_call_time!, /-0[45]:00$/, 'the time was sent with the agency\'s offset');
      assert.equal(Date.parse(row.asked_call_time!), Date.parse(target.startedAt) + 40 * 60_000);
    });

    test('the list: open first, then closed, newest first; paged 20 at a time; linked from the desk and the staff home', async () => {
      const ref = (await call('P-LIST', 10, '+1 212 555 0170')).reference;
      for (let i = 0; i < 20; i++) {
        const answer = await t.deps.callReviews.withClock(() => new Date(Date.now() - (100 - i) * 60_000))
          .request({ kind: 'staff', user: await ombudsmanUser(), sessionId: 'test' }, { reference: ref, concern: `${CONCERN} (${i})` }, { scope: 'test', key: null, requestHash: String(i) });
        assert.equal(answer.status, 201);
      }
      const list = await analyst.get('/ombudsman/call-reviews?lang=en');
      assert.equal(list.statusCode, 200);
      const rows = [...list.body.matchAll(/data-review="(\d{10})" data-status="(open|closed)"/g)].map((m) => ({ n: m[1]!, status: m[2]! }));
      assert.equal(rows.length, 20, 'one page');
      assert.equal(rows[0]!.n, byTime, 'the newest first');
      assert.equal(rows[1]!.n, byReference);
      contains(list.body, 'rel="next"');
      const second = await analyst.get('/ombudsman/call-reviews?lang=en&page=2');
      const rows2 = [...second.body.matchAll(/data-review="(\d{10})"/g)].map((m) => m[1]);
      assert.equal(rows2.length, (await reviewCount()) - 20);
      contains(second.body, 'rel="prev"');
      contains((await analyst.get('/ombudsman/desk?lang=en')).body, 'href="/ombudsman/call-reviews?lang=en"', 'linked from the desk');
      contains((await analyst.get('/staff')).body, 'href="/ombudsman/call-reviews"', 'linked from the staff home');
      assert.ok(!(await supervisor.get('/staff')).body.includes('href="/ombudsman/call-reviews"'), 'not on a supervisor\'s home');
    });

    async function ombudsmanUser() {
      const row = await t.deps.database.db.selectFrom('staff').selectAll().where('email', '=', 'olga@agency.test').executeTakeFirstOrThrow();
      return { id: row.id, email: row.email, name: row.name, role: 'ombudsman' as const, office: null, agentId: row.agent_id };
    }

    test('the supervisor\'s view lists the open reviews; the supervisor reads a review but has no close form, and may not close', async () => {
      const view = await supervisor.get('/supervisor?lang=en');
      assert.equal(view.statusCode, 200);
      contains(view.body, escapedHtml(en('callReviews.supervisor.heading')));
      contains(view.body, `href="/ombudsman/call-reviews/${byTime}?lang=en"`);
      const more = (await reviewCount()) - 10;
      contains(view.body, escapedHtml(en('callReviews.supervisor.more', { n: more })), 'the rest counted');
      const viewEs = await supervisor.get('/supervisor?lang=es');
      contains(viewEs.body, escapedHtml(es('callReviews.supervisor.heading')));
      const page = await supervisor.get(`/ombudsman/call-reviews/${byTime}?lang=en`);
      assert.equal(page.statusCode, 200);
      lacks(page.body, 'id="close-form"');
      contains(page.body, escapedHtml(en('callReviews.review.readOnly')));
      const list = await supervisor.get('/ombudsman/call-reviews');
      assert.equal(list.statusCode, 200);
      lacks(list.body, 'id="request-form"', 'no request form for a supervisor');
      assert.equal((await supervisor.post(`/ombudsman/call-reviews/${byTime}/close`, { outcome: OUTCOME })).statusCode, 403);
      assert.equal((await supervisor.post('/ombudsman/call-reviews', form({ reference: '123456789012', concern: CONCERN }))).statusCode, 403);
    });

    test('closing: the outcome is required (the error summary), then shown, the hold released; a second close is said in words', async () => {
      const empty = await analyst.post(`/ombudsman/call-reviews/${byReference}/close?lang=en`, { outcome: '  ' });
      assert.equal(empty.statusCode, 400);
      assert.deepEqual(summaryLinks(empty.body), ['outcome']);
      contains(empty.body, `id="outcome-error">${escapedHtml(en('callReviews.error.outcome.length', { min: 10, max: '4,000' }))}`);
      const res = await analyst.post(`/ombudsman/call-reviews/${byReference}/close?lang=en`, { outcome: OUTCOME });
      assert.equal(res.statusCode, 303);
      const page = await analyst.get(res.headers.location as string);
      contains(page.body, escapedHtml(en('callReviews.review.done.closed')));
      contains(page.body, escapedHtml(OUTCOME));
      assert.match(page.body, /data-held="false"/);
      contains(page.body, escapedHtml(en('callReviews.review.holdReleasedHeading')));
      lacks(page.body, 'id="close-form"');
      const contactId = (await t.deps.database.db.selectFrom('call_reviews').select('contact_id').where('review_number', '=', byReference).executeTakeFirstOrThrow()).contact_id;
      assert.equal(await t.deps.callReviews.isHeld(contactId), false);
      const twice = await analyst.post(`/ombudsman/call-reviews/${byReference}/close?lang=es`, { outcome: OUTCOME });
      assert.equal(twice.statusCode, 409);
      contains(twice.body, escapedHtml(es('callReviews.review.alreadyClosed')));
      const list = await analyst.get('/ombudsman/call-reviews?lang=en&page=2');
      const rows = [...list.body.matchAll(/data-review="(\d{10})" data-status="(open|closed)"/g)].map((m) => ({ n: m[1]!, status: m[2]! }));
      assert.deepEqual(rows.at(-1), { n: byReference, status: 'closed' }, 'closed reviews after the open ones');
      assert.ok(!(await supervisor.get('/supervisor')).body.includes(`href="/ombudsman/call-reviews/${byReference}?`), 'no longer on the supervisor\'s view');
    });

    test('Tier 1 may not open the pages (403); signed out, they ask to sign in', async () => {
      assert.equal((await tier1.get('/ombudsman/call-reviews')).statusCode, 403);
      assert.equal((await tier1.get(`/ombudsman/call-reviews/${byTime}`)).statusCode, 403);
      assert.equal((await tier1.post('/ombudsman/call-reviews', form({ reference: '123456789012', concern: CONCERN }))).statusCode, 403);
      assert.equal((await tier1.post(`/ombudsman/call-reviews/${byTime}/close`, { outcome: OUTCOME })).statusCode, 403);
      const anon = await t.app.inject({ method: 'GET', url: '/ombudsman/call-reviews' });
      assert.equal(anon.statusCode, 302);
      assert.match(anon.headers.location as string, /^\/sign-in\?next=/);
    });
  });
}
