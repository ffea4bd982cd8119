/**
 * Ombudsman call reviews (CONTRACT.md section 11) through the HTTP API, on SQLite and PostgreSQL: the call found
 * from an approximate time and the phone number used (closest first, narrowed by staff ID or name), or by its
 * reference; 404 when none matches; 422 review-window-closed past 90 days; the hold on the call until the review
 * closes; who may ask, read and close.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';

const CONCERN = 'The agent said the case was approved, but the status online says it is pending.';
const HOUR = 3_600_000;

for (const kind of databaseKinds()) {
  describe(`Ombudsman call reviews [${kind}]`, () => {
    let t: TestApp;
    let ombudsman: string;
    let supervisor: string;
    let tier1: string;
    let feed: string;
    let agentA: { agentId: string };
    let agentB: { agentId: string };

    before(async () => {
      t = await startTestApp(kind);
      ombudsman = (await t.signIn('ombudsman')).token;
      supervisor = (await t.signIn('supervisor')).token;
      const a = await t.signIn('tier1');
      tier1 = a.token;
      agentA = a;
      agentB = await t.signIn('tier1');
      feed = await t.clientToken(['contact-feed']);
    });
    after(() => t.close());

    const post = (url: string, token: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: bearer(token) });
    const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
    /** Loads a finished call that started `hoursAgo` hours ago from `phone` with `agentId`. */
    const call = async (externalId: string, hoursAgo: number, phone: string, agentId: string) => {
      const startedAt = new Date(Date.now() - hoursAgo * HOUR).toISOString();
      const res = await post('/api/v1/contact-records', feed, [{ externalId, startedAt, endedAt: new Date(Date.parse(startedAt) + 600_000).toISOString(), callerPhone: phone, agentId, tier: 'tier1' }]);
      assert.equal(res.json().accepted, 1, res.body);
      return startedAt;
    };

    test('by time and phone: the closest call within 2 hours is found; the review is open and the call is held until it closes', async () => {
      await call('R-1', 50, '+1 212 555 0101', agentA.agentId);
      const target = await call('R-2', 48, '+1 212 555 0101', agentB.agentId);
      await call('R-3', 44, '+1 212 555 0101', agentA.agentId); // more than 2 hours from the time given
      const asked = new Date(Date.parse(target) + 30 * 60_000).toISOString();
      const res = await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: asked, callerPhone: '(212) 555-0101', concern: CONCERN });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['contact', 'reviewNumber']);
      assert.match(body.reviewNumber, /^\d{10}$/);
      assert.equal(body.contact.startedAt, target);
      assert.equal(body.contact.agentId, agentB.agentId);
      const contactId = (await t.deps.database.db.selectFrom('contacts').select('id').where('reference', '=', body.contact.reference).executeTakeFirstOrThrow()).id;
      assert.equal(await t.deps.callReviews.isHeld(contactId), true);
      const seen = await get(`/api/v1/ombudsman/call-reviews/${body.reviewNumber}`, supervisor);
      assert.equal(seen.statusCode, 200, seen.body);
      assert.equal(seen.json().status, 'open');
      assert.equal(seen.json().concern, CONCERN);
      assert.equal(seen.json().outcome, undefined);
      const closed = await post(`/api/v1/ombudsman/call-reviews/${body.reviewNumber}/close`, ombudsman, { outcome: 'The agency reviewed the call: the agent misread the status; coaching given.' });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal(closed.json().status, 'closed');
      assert.equal(await t.deps.callReviews.isHeld(contactId), false, 'closing lifts the hold');
      assert.equal((await post(`/api/v1/ombudsman/call-reviews/${body.reviewNumber}/close`, ombudsman, { outcome: 'Closed again for no reason at all.' })).statusCode, 409);
      const audit = await t.deps.database.db.selectFrom('audit_log').select('action').where('subject', '=', `call-review:${body.reviewNumber}`).orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => a.action), ['call-review-request', 'call-review-read', 'call-review-close']);
    });

    test('the staff ID or name narrows the match (name without regard to case); no match is 404', async () => {
      await call('R-10', 30, '+1 212 555 0102', agentA.agentId);
      const other = await call('R-11', 30.5, '+1 212 555 0102', agentB.agentId);
      const asked = new Date(Date.now() - 30 * HOUR).toISOString();
      const byId = await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: asked, callerPhone: '2125550102', agentId: agentB.agentId, concern: CONCERN });
      assert.equal(byId.statusCode, 201, byId.body);
      assert.equal(byId.json().contact.startedAt, other);
      const byName = await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: asked, callerPhone: '2125550102', agentName: 'TEST TIER1', concern: CONCERN });
      assert.equal(byName.statusCode, 201, byName.body);
      const none = await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: asked, callerPhone: '2125550199', concern: CONCERN });
      assert.equal(none.statusCode, 404);
      const wrongAgent = await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: asked, callerPhone: '2125550102', agentId: '999999', concern: CONCERN });
      assert.equal(wrongAgent.statusCode, 404);
    });

    test('a call that started more than 90 days ago: 422 review-window-closed', async () => {
      const old = await call('R-20', 91 * 24, '+1 212 555 0103', agentA.agentId);
      const res = await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: old, callerPhone: '2125550103', concern: CONCERN });
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(problem(res).code, 'review-window-closed');
      const recent = await call('R-21', 89 * 24, '+1 212 555 0104', agentA.agentId);
      assert.equal((await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: recent, callerPhone: '2125550104', concern: CONCERN })).statusCode, 201);
    });

    test('exactly by the call record reference; bad input names each field; only the Ombudsman asks and closes', async () => {
      const opened = await post('/api/v1/contacts', tier1, { channel: 'phone', callerPhone: '2125550105', language: 'en' });
      const ref = opened.json().reference as string;
      const res = await post('/api/v1/ombudsman/call-reviews', ombudsman, { reference: `${ref.slice(0, 4)} ${ref.slice(4, 8)} ${ref.slice(8)}`, concern: CONCERN });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().contact.reference, ref);
      const bad = await post('/api/v1/ombudsman/call-reviews', ombudsman, { callTime: 'last tuesday', callerPhone: '12', agentId: 'x', concern: 'bad' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problem(bad).errors!.map((e) => e.field).sort(), ['agentId', 'callTime', 'callerPhone', 'concern']);
      for (const token of [tier1, supervisor]) {
        assert.equal((await post('/api/v1/ombudsman/call-reviews', token, { reference: ref, concern: CONCERN })).statusCode, 403);
        assert.equal((await post(`/api/v1/ombudsman/call-reviews/${res.json().reviewNumber}/close`, token, { outcome: 'Not theirs to close at all.' })).statusCode, 403);
      }
      assert.equal((await get(`/api/v1/ombudsman/call-reviews/${res.json().reviewNumber}`, tier1)).statusCode, 403);
      assert.equal((await get('/api/v1/ombudsman/call-reviews/1234567890', ombudsman)).statusCode, 404);
    });
  });
}
