/**
 * Text messages of the outbox through Twilio's API, sent by the `twilio` package's own client to a local stand-in of
 * Twilio's REST API (test/support/twilio-api.ts): delivered once with the provider's SID kept; a refusal Twilio
 * marks as final (an invalid number) fails at once, a 503 is retried; a Messaging Service SID is sent as one; the
 * configuration is all or nothing; and a call record asked for by text at the end of a call reaches the phone
 * through the app's own worker. On SQLite and PostgreSQL.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { startTestTwilioApi, type TestTwilioApi } from '../support/twilio-api.ts';
import { loadConfig, ConfigError } from '../../src/platform/config.ts';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import { twilioSmsTransport } from '../../src/outbox/sms.ts';
import type { OutgoingMessage } from '../../src/outbox/service.ts';
import type { DeliveryPolicy } from '../../src/outbox/policy.ts';
import { findMessage } from '../../src/outbox/store.ts';

const FAST: DeliveryPolicy = { maxAttempts: 3, retryDelaysMs: [20, 40], jitter: 0, leaseMs: 60_000, pollIntervalMs: 20, batchSize: 5 };
const FROM_NUMBER = '+12025550100';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n = 0;
const text = (extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  channel: 'sms', to: `+1202555${String(1000 + ++n).slice(-4)}`, subject: '', bodyText: `Switchboard: your call record ${n}. Reference 1234 5678 9012.`,
  lang: 'en', template: 'call-record', subjectRef: `call-${n}`, ...extra,
});

test('SMS configuration: all three of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM, or none', () => {
  const sid = `AC${'0'.repeat(32)}`;
  assert.equal(loadConfig({ TWILIO_AUTH_TOKEN: 'x' }).sms, null, 'the voice webhooks\' token alone sends no texts');
  assert.throws(() => loadConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_SMS_FROM: FROM_NUMBER }), ConfigError);
  assert.throws(() => loadConfig({ TWILIO_ACCOUNT_SID: 'not-a-sid', TWILIO_AUTH_TOKEN: 'x', TWILIO_SMS_FROM: FROM_NUMBER }), /AC followed by 32 hex/);
  assert.throws(() => loadConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'x', TWILIO_SMS_FROM: '202-555-0100' }), /E\.164/);
  assert.throws(() => loadConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'x', TWILIO_SMS_FROM: FROM_NUMBER, TWILIO_API_URL: 'ftp://x' }), /TWILIO_API_URL/);
  assert.deepEqual(loadConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'x', TWILIO_SMS_FROM: `MG${'a'.repeat(32)}` }).sms, { accountSid: sid, authToken: 'x', from: `MG${'a'.repeat(32)}`, apiUrl: null });
});

for (const kind of databaseKinds()) {
  describe(`text messages through Twilio [${kind}]`, () => {
    let t: TestApp;
    let api: TestTwilioApi;
    const workers: OutboxWorker[] = [];
    const worker = (from = FROM_NUMBER, authToken = api.authToken) => {
      const w = new OutboxWorker({
        db: t.deps.database.db, dialect: t.deps.database.dialect, mailFrom: 'Switchboard <no-reply@agency.test>', policy: FAST,
        sms: twilioSmsTransport({ accountSid: api.accountSid, authToken, from, apiUrl: api.url, timeoutMs: 5_000 }),
      });
      workers.push(w);
      return w;
    };
    const enqueue = (m: OutgoingMessage) => t.deps.database.db.transaction().execute((trx) => t.deps.outbox.enqueue(trx, m));
    async function settled(w: OutboxWorker, id: string) {
      for (let i = 0; i < 200; i++) {
        await w.drain();
        const r = await findMessage(t.deps.database.db, id);
        if (r && (r.state === 'sent' || r.state === 'failed')) return r;
        await sleep(10);
      }
      throw new Error(`message ${id} did not settle`);
    }

    before(async () => {
      api = await startTestTwilioApi();
      t = await startTestApp(kind, { env: { TWILIO_ACCOUNT_SID: api.accountSid, TWILIO_AUTH_TOKEN: api.authToken, TWILIO_SMS_FROM: FROM_NUMBER, TWILIO_API_URL: api.url } });
    });
    beforeEach(() => { api.refuse = () => null; });
    after(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await t.deps.outboxWorker?.stop();
      await t?.close();
      await api?.close();
    });

    test('a text is sent once, from the configured number, and the provider\'s message SID is kept', async () => {
      await t.deps.outboxWorker?.stop(); // this test's own worker only
      const m = text();
      const id = await enqueue(m);
      const row = await settled(worker(), id);
      assert.equal(row.state, 'sent', row.last_error ?? '');
      const sent = api.requests.filter((r) => r.params.To === m.to);
      assert.equal(sent.length, 1);
      assert.ok(sent[0]!.authorized, 'signed with the account SID and auth token');
      assert.deepEqual(sent[0]!.params, { To: m.to, From: FROM_NUMBER, Body: m.bodyText });
      assert.match(row.message_id ?? '', /^SM[0-9a-f]{32}$/);
      await worker().drain();
      assert.equal(api.requests.filter((r) => r.params.To === m.to).length, 1, 'not sent again');
    });

    test('an invalid number (Twilio 21211, 400) fails at once; a 503 is retried and then sent; wrong credentials fail', async () => {
      const bad = text();
      const flaky = text();
      api.refuse = (p, attempt) => p.To === bad.to ? { status: 400, code: 21211 } : p.To === flaky.to && attempt === 1 ? { status: 503, code: 20500 } : null;
      const w = worker();
      const a = { id: await enqueue(bad) };
      const b = { id: await enqueue(flaky) };
      const failed = await settled(w, a.id);
      assert.equal(failed.state, 'failed');
      assert.equal(failed.last_error, 'twilio-21211');
      assert.equal(api.requests.filter((r) => r.params.To === bad.to).length, 1, 'a final refusal is not retried');
      const retried = await settled(w, b.id);
      assert.equal(retried.state, 'sent');
      assert.equal(Number(retried.attempts), 2);
      assert.equal(api.requests.filter((r) => r.params.To === flaky.to).length, 2);
      const c = { id: await enqueue(text()) };
      const refused = await settled(worker(FROM_NUMBER, 'wrong-token'), c.id);
      assert.equal(refused.state, 'failed');
      assert.equal(refused.last_error, 'twilio-20003');
    });

    test('a Messaging Service SID is sent as MessagingServiceSid, not From', async () => {
      const service = `MG${'b'.repeat(32)}`;
      const m = text();
      const id = await enqueue(m);
      assert.equal((await settled(worker(service), id)).state, 'sent');
      const sent = api.requests.find((r) => r.params.To === m.to)!;
      assert.equal(sent.params.MessagingServiceSid, service);
      assert.equal(sent.params.From, undefined);
    });

    test('a call record asked for by text at the end of a call reaches the phone through the app\'s own worker', async () => {
      const app = await startTestApp(kind, { sharing: t, env: { TWILIO_ACCOUNT_SID: api.accountSid, TWILIO_AUTH_TOKEN: api.authToken, TWILIO_SMS_FROM: FROM_NUMBER, TWILIO_API_URL: api.url } });
      try {
        assert.ok(app.deps.outboxWorker, 'a worker exists for texts alone (no SMTP_URL)');
        const agent = await app.signIn('tier1');
        const post = (url: string, payload: object) => app.app.inject({ method: 'POST', url, payload, headers: bearer(agent.token) });
        const opened = await post('/api/v1/contacts', { channel: 'phone', callerPhone: '(202) 555-0177', language: 'es' });
        assert.equal(opened.statusCode, 201, opened.body);
        const { id, reference } = opened.json() as { id: string; reference: string };
        const ended = await post(`/api/v1/contacts/${id}/end`, { disposition: 'resolved', sendRecord: { channel: 'sms', to: '(202) 555-0177' } });
        assert.equal(ended.statusCode, 200, ended.body);
        let got;
        for (let i = 0; i < 500 && !got; i++) {
          got = api.requests.find((r) => r.params.To === '+12025550177');
          if (!got) await sleep(20);
        }
        assert.ok(got, 'the text reached the provider');
        assert.equal(got.params.From, FROM_NUMBER);
        assert.ok(got.params.Body!.replace(/\D/g, '').includes(reference), `the body carries the call reference: ${got.params.Body}`);
        const row = await app.deps.database.db.selectFrom('outbox').select(['state', 'channel', 'lang']).where('to_address', '=', '+12025550177').executeTakeFirstOrThrow();
        for (let i = 0; i < 100 && row.state !== 'sent'; i++) {
          await sleep(20);
          Object.assign(row, await app.deps.database.db.selectFrom('outbox').select(['state']).where('to_address', '=', '+12025550177').executeTakeFirstOrThrow());
        }
        assert.deepEqual(row, { state: 'sent', channel: 'sms', lang: 'es' });
        // The admins' outbox page says mail is not delivered (no SMTP_URL) and texts are.
        const admin = await app.signIn('admin');
        const page = await app.app.inject({ method: 'GET', url: '/staff/outbox', headers: { cookie: `sb_session=${admin.token}` } });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /data-testid="smtp-off"/);
        assert.doesNotMatch(page.body, /data-testid="sms-off"/);
      } finally {
        await app.deps.outboxWorker?.stop();
        await app.close();
      }
    });
  });
}
