/**
 * Webhooks out (issue 12 item 4), on each database: a receiver started by the test (node:http on an ephemeral port)
 * gets each event once, with a Switchboard-Signature it verifies (HMAC-SHA256 over "<t>.<body>", compared in constant
 * time); a failing receiver (500) gets retries with backoff, then success, and the log shows the attempts; a change
 * that rolls back sends nothing; the test event; 403 for non-admins; a removed endpoint gets nothing more.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import type { DeliveryPolicy } from '../../src/outbox/policy.ts';
import { webhookTransport } from '../../src/webhooks/delivery.ts';

const FAST: DeliveryPolicy = { maxAttempts: 4, retryDelaysMs: [20, 40, 80], jitter: 0, leaseMs: 60_000, pollIntervalMs: 20, batchSize: 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received { headers: IncomingHttpHeaders; body: string; at: number }

/** The receiver's side: what docs/webhooks.md tells integrators to do. */
function verify(secret: string, header: string | undefined, body: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(nowSeconds - Number(m[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}

for (const kind of databaseKinds()) {
  describe(`webhooks [${kind}]`, () => {
    let t: TestApp;
    let server: Server;
    let base = '';
    let admin = '';
    let received: Received[] = [];
    /** The status the receiver answers with for its n-th request on a path (1-based). */
    let respond: (path: string, n: number) => number = () => 204;
    const worker = () => new OutboxWorker({ db: t.deps.database.db, dialect: t.deps.database.dialect, webhooks: webhookTransport({ db: t.deps.database.db, allowHttpLocalhost: true }), mailFrom: 'x@agency.test', policy: FAST });
    const hits = (path: string) => received.filter((r) => r.headers['x-path'] === path);

    /**
     * Delivers until nothing is due or waiting (retries are tens of milliseconds apart); gives up after 20 s, not
     * after a count of rounds, so a loaded machine (CI once failed here at 100 rounds, 1.6 s) does not fail it.
     */
    async function deliverAll(): Promise<void> {
      const w = worker();
      for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
        await w.drain();
        const waiting = await t.deps.database.db.selectFrom('outbox').select('id').where('channel', '=', 'webhook').where('state', 'in', ['pending', 'sending']).execute();
        if (waiting.length === 0) return;
        await sleep(15);
      }
      throw new Error('webhook deliveries did not settle');
    }

    async function register(path: string, events: string[]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: bearer(admin), payload: { url: `${base}${path}`, events, description: `Receiver ${path}` } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; secret: string; url: string; events: string[] };
    }

    const load = async (...records: Array<Record<string, unknown>>) => {
      const r = await t.deps.feed.import((async function* () { let line = 0; for (const value of records) yield { line: ++line, value }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
    };

    before(async () => {
      t = await startTestApp(kind, { env: { WEBHOOKS_ALLOW_HTTP_LOCALHOST: 'true' } });
      // The tests deliver with their own fast worker. The app's own one, nudged by every enqueue, raced it and
      // retried on the real schedule (minutes), so a delivery sat pending past any wait (CI failed three times).
      await t.deps.webhookWorker.stop();
      const counts = new Map<string, number>();
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const path = req.url ?? '';
          const n = (counts.get(path) ?? 0) + 1;
          counts.set(path, n);
          received.push({ headers: { ...req.headers, 'x-path': path }, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
          res.statusCode = respond(path, n);
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      admin = (await t.signIn('admin')).token;
    });
    beforeEach(() => { respond = () => 204; });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    });

    test('only admins manage webhooks: 401 without a token, 403 for other roles; bad registrations name the field', async () => {
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/webhooks' })).statusCode, 401);
      for (const role of ['tier1', 'supervisor', 'ombudsman'] as const) {
        const token = (await t.signIn(role)).token;
        const list = await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: bearer(token) });
        assert.equal(list.statusCode, 403, role);
        const create = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: bearer(token), payload: { url: `${base}/x`, events: ['ping'], description: 'x' } });
        assert.equal(create.statusCode, 403, role);
      }
      const plain = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: bearer(admin), payload: { url: 'http://example.com/hook', events: ['case.status-changed'], description: 'Elsewhere' } });
      assert.equal(plain.statusCode, 400);
      assert.deepEqual(problem(plain).errors?.map((e) => [e.field, e.code]), [['url', 'https-required']]);
      const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: bearer(admin), payload: { url: 'https://example.com/hook', events: ['case.deleted'], description: '' } });
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(problem(unknown).errors?.map((e) => [e.field, e.code]), [['events', 'invalid'], ['description', 'required']]);
    });

    test('each event reaches the endpoints that asked for it once, signed with their secret; the list never shows the secret', async () => {
      const cases = await register('/cases', ['case.status-changed']);
      const requests = await register('/requests', ['service-request.created', 'service-request.answered']);
      assert.match(cases.secret, /^whsec_/);
      const listed = await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: bearer(admin) });
      assert.equal(listed.statusCode, 200);
      assert.ok(!listed.body.includes(cases.secret) && !listed.body.includes(requests.secret), 'the secret is shown on creation only');

      // A new case is not a status change; a changed status is, once; the same record again is nothing.
      const rn = receiptNumber();
      const first = caseRecord({ receiptNumber: rn });
      await load(first);
      const approved = { ...first, history: [...(first.history as object[]), { date: '2025-06-02', status: 'case-was-approved' }] };
      await load(approved);
      await load(approved);
      // A service request on that case (Tier 1), then answered by its office.
      const tier1 = (await t.signIn('tier1')).token;
      const sr = await t.app.inject({ method: 'POST', url: '/api/v1/service-requests', headers: bearer(tier1), payload: { receiptNumber: rn, type: 'other', details: 'The caller asks about the approval notice.' } });
      assert.equal(sr.statusCode, 201, sr.body);
      const referral = sr.json().referralNumber as string;
      await deliverAll();
      await deliverAll();

      const statusHits = hits('/cases');
      assert.equal(statusHits.length, 1, 'one status change, one delivery');
      const hit = statusHits[0]!;
      assert.ok(verify(cases.secret, hit.headers['switchboard-signature'] as string, hit.body), 'the signature verifies with the endpoint\'s secret');
      assert.ok(!verify(requests.secret, hit.headers['switchboard-signature'] as string, hit.body), 'and not with another endpoint\'s');
      assert.ok(!verify(cases.secret, hit.headers['switchboard-signature'] as string, hit.body.replace('case-was-approved', 'case-was-denied')), 'a changed body fails');
      const event = JSON.parse(hit.body) as { id: string; type: string; data: Record<string, unknown> };
      assert.equal(hit.headers['switchboard-event'], 'case.status-changed');
      assert.equal(hit.headers['switchboard-event-id'], event.id);
      assert.equal(hit.headers['content-type'], 'application/json');
      assert.equal(event.type, 'case.status-changed');
      assert.deepEqual(event.data, { receiptNumber: rn, formType: 'I-130', office: 'VSC', previousStatus: 'case-was-received', status: 'case-was-approved', statusDate: '2025-06-02' });
      assert.ok(!hit.body.includes('A012345678') && !hit.body.includes('Ana'), 'no A-number or name in a webhook');

      const srHits = hits('/requests');
      assert.deepEqual(srHits.map((h) => h.headers['switchboard-event']), ['service-request.created']);
      const created = JSON.parse(srHits[0]!.body) as { data: Record<string, unknown> };
      assert.equal(created.data.referralNumber, referral);
      assert.ok(verify(requests.secret, srHits[0]!.headers['switchboard-signature'] as string, srHits[0]!.body));

      // The delivery log: one delivered attempt with the receiver's status.
      const log = await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/${cases.id}/deliveries`, headers: bearer(admin) });
      assert.equal(log.statusCode, 200);
      const items = log.json().items as Array<{ eventId: string; event: string; state: string; attempts: number; lastResponseCode: number; nextAttemptAt: string | null }>;
      assert.deepEqual(items.map((d) => [d.eventId, d.event, d.state, d.attempts, d.lastResponseCode, d.nextAttemptAt]), [[event.id, 'case.status-changed', 'sent', 1, 204, null]]);
    });

    test('a failing receiver (500) is retried with backoff until it answers 2xx, with the same event id; the log shows the attempts', async () => {
      const ep = await register('/flaky', ['case.status-changed']);
      respond = (path, n) => (path === '/flaky' && n <= 2 ? 500 : 200);
      const rn = receiptNumber();
      const rec = caseRecord({ receiptNumber: rn });
      await load(rec);
      await load({ ...rec, history: [...(rec.history as object[]), { date: '2025-07-01', status: 'case-was-approved' }] });

      const w = worker();
      await w.drain();
      const afterFirst = (await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries`, headers: bearer(admin) })).json().items[0] as { state: string; attempts: number; lastResponseCode: number; lastError: string; nextAttemptAt: string };
      assert.deepEqual([afterFirst.state, afterFirst.attempts, afterFirst.lastResponseCode, afterFirst.lastError], ['pending', 1, 500, 'http-500']);
      assert.ok(afterFirst.nextAttemptAt, 'the log says when it is tried again');
      await deliverAll();

      const got = hits('/flaky');
      assert.equal(got.length, 3);
      assert.equal(new Set(got.map((h) => h.headers['switchboard-event-id'])).size, 1, 'the same event id on every attempt');
      assert.ok(got[1]!.at - got[0]!.at >= 15 && got[2]!.at - got[1]!.at >= 35, `backoff between attempts (${got[1]!.at - got[0]!.at} ms, ${got[2]!.at - got[1]!.at} ms)`);
      for (const h of got) assert.ok(verify(ep.secret, h.headers['switchboard-signature'] as string, h.body));
      const done = (await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries`, headers: bearer(admin) })).json().items as Array<{ state: string; attempts: number; lastResponseCode: number; lastError: string | null }>;
      assert.deepEqual(done.map((d) => [d.state, d.attempts, d.lastResponseCode, d.lastError]), [['sent', 3, 200, null]]);
    });

    test('an event of a change that rolls back is never queued nor sent', async () => {
      await register('/rollback', ['service-request.created']);
      const before = hits('/rollback').length + hits('/requests').length;
      let queued = 0;
      await assert.rejects(t.deps.database.db.transaction().execute(async (trx) => {
        queued = await t.deps.webhooks.emit(trx, 'service-request.created', { referralNumber: 'X' });
        throw new Error('the change failed');
      }), /the change failed/);
      assert.ok(queued >= 1, 'it was queued inside the transaction, for each subscriber');
      const rows = await t.deps.database.db.selectFrom('outbox').select('id').where('channel', '=', 'webhook').where('body_text', 'like', '%"referralNumber":"X"%').execute();
      assert.equal(rows.length, 0, 'no outbox row outlives its rolled-back transaction');
      await deliverAll();
      assert.equal(hits('/rollback').length + hits('/requests').length, before);
    });

    test('"Send a test event" posts a signed ping to that endpoint only; a removed endpoint gets nothing more', async () => {
      const ep = await register('/ping', ['callback.missed']);
      const other = await register('/ping-other', ['callback.missed']);
      const sent = await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${ep.id}/test`, headers: bearer(admin) });
      assert.equal(sent.statusCode, 202);
      await deliverAll();
      const got = hits('/ping');
      assert.equal(got.length, 1);
      assert.equal(got[0]!.headers['switchboard-event'], 'ping');
      assert.equal(got[0]!.headers['switchboard-event-id'], sent.json().eventId);
      assert.ok(verify(ep.secret, got[0]!.headers['switchboard-signature'] as string, got[0]!.body));
      assert.equal(hits('/ping-other').length, 0);

      const tier1 = (await t.signIn('tier1')).token;
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${ep.id}/test`, headers: bearer(tier1) })).statusCode, 403);

      assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${other.id}`, headers: bearer(admin) })).statusCode, 204);
      await t.deps.database.db.transaction().execute((trx) => t.deps.webhooks.emit(trx, 'callback.missed', { callbackId: 'c1' }));
      await deliverAll();
      assert.equal(hits('/ping-other').length, 0, 'nothing for a removed endpoint');
      assert.equal(hits('/ping').length, 2, 'the remaining subscriber got the event');
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/${other.id}/deliveries`, headers: bearer(admin) })).statusCode, 404);
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'webhook-%').execute();
      assert.ok(['webhook-create', 'webhook-test', 'webhook-remove'].every((a) => audit.some((r) => r.action === a)), 'changes are audited');
      assert.ok(audit.every((r) => !String(r.detail ?? '').includes('whsec_')), 'never the secret');
    });
  });
}
