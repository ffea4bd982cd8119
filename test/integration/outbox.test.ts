/**
 * The outbox, delivered to a real SMTP server (smtp-server on an ephemeral port, read back with mailparser):
 * mail commits with its transaction or not at all, is delivered once, retried with backoff, failed at the last
 * attempt, claimed by one of two instances racing, taken over from a crashed instance; and read by admins.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { loadConfig, ConfigError } from '../../src/platform/config.ts';
import { OutboxWorker, messageIdFor, smtpTransport, type MailTransport } from '../../src/outbox/worker.ts';
import type { OutgoingMessage } from '../../src/outbox/service.ts';
import type { DeliveryPolicy } from '../../src/outbox/policy.ts';
import { findMessage } from '../../src/outbox/store.ts';

const FROM = 'Switchboard <no-reply@agency.test>';
const FAST: DeliveryPolicy = { maxAttempts: 3, retryDelaysMs: [20, 40], jitter: 0, leaseMs: 60_000, pollIntervalMs: 20, batchSize: 5 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let n = 0;
const message = (extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  to: `person.${++n}@example.test`, subject: `Your request SR-${n} was answered`, bodyText: `Hello.\nThe answer to request ${n}.\nReply by calling us.`,
  lang: 'en', template: 'service-request-answered', subjectRef: `SR-${n}`, ...extra,
});

for (const kind of databaseKinds()) {
  describe(`outbox [${kind}]`, () => {
    let t: TestApp;
    let smtp: TestSmtp;
    const workers: OutboxWorker[] = [];
    const worker = (options: { app?: TestApp; policy?: Partial<DeliveryPolicy>; transport?: MailTransport; workerId?: string; clock?: () => Date } = {}) => {
      const app = options.app ?? t;
      const w = new OutboxWorker({
        db: app.deps.database.db, dialect: app.deps.database.dialect, transport: options.transport ?? smtpTransport(smtp.url), mailFrom: FROM,
        policy: { ...FAST, ...options.policy }, ...(options.workerId ? { workerId: options.workerId } : {}), ...(options.clock ? { clock: options.clock } : {}),
      });
      workers.push(w);
      return w;
    };
    const enqueue = (m: OutgoingMessage) => t.deps.database.db.transaction().execute((trx) => t.deps.outbox.enqueue(trx, m));
    const row = (id: string) => findMessage(t.deps.database.db, id);
    const to = (address: string) => smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);
    /** Runs the worker's rounds until the message is sent or failed (retries are tens of milliseconds apart). */
    async function settle(w: OutboxWorker, id: string) {
      for (let i = 0; i < 200; i++) {
        await w.drain();
        const r = await row(id);
        if (r && (r.state === 'sent' || r.state === 'failed')) return r;
        await sleep(10);
      }
      throw new Error(`message ${id} did not settle`);
    }

    before(async () => {
      t = await startTestApp(kind);
      smtp = await startTestSmtp();
    });
    beforeEach(() => { smtp.refuse = () => null; });
    after(async () => {
      for (const w of workers) await w.stop();
      await smtp.close();
      await t.close();
    });

    test('mail queued in a transaction that rolls back is never sent', async () => {
      const m = message();
      let id = '';
      await assert.rejects(t.deps.database.db.transaction().execute(async (trx) => {
        id = await t.deps.outbox.enqueue(trx, m);
        throw new Error('the answer failed');
      }), /the answer failed/);
      assert.equal(await row(id), undefined, 'no outbox row outlives its rolled-back transaction');
      await worker().drain();
      assert.equal(to(m.to).length, 0);
    });

    test('committed mail is delivered once, from MAIL_FROM, with its subject, body and a Message-ID from its outbox id', async () => {
      const m = message();
      const id = await enqueue(m);
      assert.equal((await row(id))?.state, 'pending');
      const w = worker();
      const sent = await settle(w, id);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.attempts, 1);
      assert.ok(sent.sent_at);
      assert.equal(sent.claimed_by, null);
      const got = to(m.to);
      assert.equal(got.length, 1);
      const mail = got[0]!;
      assert.equal(mail.subject, m.subject);
      assert.equal(mail.text?.trim(), m.bodyText);
      assert.deepEqual(Array.isArray(mail.from) ? null : mail.from?.value[0], { address: 'no-reply@agency.test', name: 'Switchboard' });
      assert.equal(mail.messageId, messageIdFor(id, FROM));
      assert.equal(sent.message_id, messageIdFor(id, FROM));
      assert.equal(mail.headers.get('content-language'), 'en');
      await w.drain();
      await sleep(30);
      await w.drain();
      assert.equal(to(m.to).length, 1, 'a sent message is not sent again');
    });

    test('a temporary refusal (451) is retried with backoff, then the message is sent', async () => {
      const m = message();
      smtp.refuse = (address, attempt) => (address === m.to && attempt <= 2 ? 451 : null);
      const id = await enqueue(m);
      const w = worker();
      await w.drain();
      const waiting = await row(id);
      assert.equal(waiting?.state, 'pending', 'back in the queue after the first refusal');
      assert.equal(waiting?.last_error, 'smtp-451');
      assert.ok(waiting!.next_attempt_at > waiting!.created_at, 'the retry waits');
      const sent = await settle(w, id);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.attempts, 3);
      assert.equal(sent.last_error, null);
      assert.equal(smtp.recipientsOffered.filter((a) => a === m.to).length, 3);
      assert.equal(to(m.to).length, 1);
    });

    test('a permanent refusal fails the message after the last attempt; an admin may send it again', async () => {
      const m = message();
      smtp.refuse = (address) => (address === m.to ? 550 : null);
      const id = await enqueue(m);
      const w = worker();
      const failed = await settle(w, id);
      assert.equal(failed.state, 'failed');
      assert.equal(failed.attempts, FAST.maxAttempts);
      assert.equal(failed.last_error, 'smtp-550');
      assert.equal(smtp.recipientsOffered.filter((a) => a === m.to).length, FAST.maxAttempts, 'tried exactly maxAttempts times');
      assert.equal(to(m.to).length, 0);

      // The page's retry button (a CSRF-protected form), then the worker sends it.
      smtp.refuse = () => null;
      const admin = await t.signIn('admin');
      const jar = `sb_session=${admin.token}`;
      const page = await t.app.inject({ method: 'GET', url: '/staff/outbox?state=failed', headers: { cookie: jar } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`action="/staff/outbox/${id}/retry"`));
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const csrfCookie = page.cookies.find((c) => c.name === 'sb_csrf')!;
      const withoutToken = await t.app.inject({ method: 'POST', url: `/staff/outbox/${id}/retry`, headers: { cookie: `${jar}; sb_csrf=${csrfCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      assert.equal(withoutToken.statusCode, 403, 'no CSRF token, no retry');
      const retry = await t.app.inject({ method: 'POST', url: `/staff/outbox/${id}/retry`, headers: { cookie: `${jar}; sb_csrf=${csrfCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
      assert.equal(retry.statusCode, 303);
      assert.equal((await row(id))?.state, 'pending');
      const again = await t.app.inject({ method: 'POST', url: `/staff/outbox/${id}/retry`, headers: { cookie: `${jar}; sb_csrf=${csrfCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
      assert.equal(again.statusCode, 409, 'only a failed message can be sent again');
      const audit = (await t.app.inject({ method: 'GET', url: `/api/v1/audit?subject=outbox:${id}`, headers: bearer(admin.token) })).json();
      assert.deepEqual(audit.items.map((e: { action: string }) => e.action), ['outbox-retry']);
      const sent = await settle(w, id);
      assert.equal(sent.state, 'sent');
      assert.equal(to(m.to).length, 1);
    });

    test('two instances racing over one database deliver each message exactly once', async () => {
      // On PostgreSQL a second instance with its own connections; on SQLite (one serving process) a second worker
      // on the same database in the same process.
      const second = kind === 'postgres' ? await startTestApp(kind, { sharing: t }) : t;
      try {
        const messages = Array.from({ length: 24 }, () => message());
        const ids = await Promise.all(messages.map(enqueue));
        const a = worker({ policy: { batchSize: 3 } });
        const b = worker({ app: second, policy: { batchSize: 3 } });
        const [byA, byB] = await Promise.all([a.drain(), b.drain()]);
        assert.equal(byA + byB, messages.length, 'every message claimed once between them');
        for (const id of ids) assert.equal((await row(id))?.state, 'sent');
        for (const m of messages) assert.equal(to(m.to).length, 1, `${m.to} got one message`);
        if (kind === 'postgres') assert.ok(byA > 0 && byB > 0, `both instances worked (${byA} and ${byB})`);
      } finally {
        if (second !== t) await second.close();
      }
    });

    test('a claim that outlives its lease (a crashed instance) is taken over and the message sent once', async () => {
      const m = message();
      const id = await enqueue(m);
      let release: ((err: Error) => void) | undefined;
      let back = false;
      const hung: MailTransport = { send: () => (back ? Promise.reject(new Error('connection lost')) : new Promise((_, reject) => { release = reject; })), close: () => {} };
      const crashed = worker({ transport: hung, workerId: 'crashed' });
      const stuck = crashed.drain();
      try {
        for (let i = 0; i < 100 && (await row(id))?.state !== 'sending'; i++) await sleep(5);
        const claimed = await row(id);
        assert.equal(claimed?.claimed_by, 'crashed');
        assert.equal(claimed?.state, 'sending');
        const live = worker({ workerId: 'live' });
        await live.drain();
        assert.equal((await row(id))?.state, 'sending', 'a claim within its lease is left alone');
        // Two minutes later (past the one-minute lease) another instance finds the claim lapsed.
        const later = worker({ workerId: 'later', clock: () => new Date(Date.now() + 120_000) });
        const sent = await settle(later, id);
        assert.equal(sent.state, 'sent');
        assert.equal(sent.attempts, 2, 'the crashed attempt counts');
        assert.equal(to(m.to).length, 1);
      } finally {
        // The crashed instance comes back and its send fails: it no longer holds the claim, so it changes nothing.
        back = true;
        release?.(new Error('connection lost'));
        await stuck;
      }
      assert.equal((await row(id))?.state, 'sent');
    });

    test('with SMTP_URL set, serve\'s worker delivers what is enqueued in its process without waiting for a round', async () => {
      const served = await startTestApp(kind, { sharing: t, env: { SMTP_URL: smtp.url, MAIL_FROM: FROM } });
      try {
        const w = served.deps.outboxWorker;
        assert.ok(w, 'SMTP_URL set: a worker');
        w.start();
        await sleep(50);
        const m = message();
        const id = await served.deps.database.db.transaction().execute((trx) => served.deps.outbox.enqueue(trx, m));
        // The SMTP server has the message before the worker records it as sent: wait for both.
        for (let i = 0; i < 300 && (to(m.to).length === 0 || (await row(id))?.state !== 'sent'); i++) await sleep(10);
        assert.equal(to(m.to).length, 1);
        assert.equal((await row(id))?.state, 'sent');
        await w.stop();
      } finally {
        await served.close();
      }
    });

    test('without SMTP_URL mail stays pending, and admins read it through the API and the page; others are refused', async () => {
      assert.equal(t.deps.outboxWorker, null, 'no SMTP_URL: no worker');
      const m = message({ bodyText: 'Su solicitud fue contestada.\nLlámenos si necesita más ayuda.', lang: 'es' });
      const id = await enqueue(m);
      const admin = await t.signIn('admin');
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/outbox?state=pending', headers: bearer(admin.token) });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['items', 'page', 'pageSize', 'total']);
      const it = body.items.find((i: { id: string }) => i.id === id);
      assert.deepEqual({ ...it, createdAt: undefined, nextAttemptAt: undefined }, {
        id, channel: 'email', to: m.to, subject: m.subject, bodyText: m.bodyText, lang: 'es', template: 'service-request-answered', subjectRef: m.subjectRef,
        state: 'pending', attempts: 0, lastError: null, sentAt: null, messageId: null, createdAt: undefined, nextAttemptAt: undefined,
      });
      assert.ok(body.items.every((i: { state: string }) => i.state === 'pending'));
      const sentOnly = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox?state=sent&pageSize=1', headers: bearer(admin.token) })).json();
      assert.equal(sentOnly.items.length, 1);
      assert.ok(sentOnly.total > 1);
      assert.equal(sentOnly.items[0].state, 'sent');
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/outbox?state=lost', headers: bearer(admin.token) })).statusCode, 400);

      const home = await t.app.inject({ method: 'GET', url: '/staff', headers: { cookie: `sb_session=${admin.token}` } });
      assert.match(home.body, /<a href="\/staff\/outbox">Outgoing mail<\/a>/, 'the admin home links to the outbox');
      const tier1 = await t.signIn('tier1');
      const tier1Home = await t.app.inject({ method: 'GET', url: '/staff', headers: { cookie: `sb_session=${tier1.token}` } });
      assert.doesNotMatch(tier1Home.body, /\/staff\/outbox/, 'no outbox link for others');
      const page = await t.app.inject({ method: 'GET', url: '/staff/outbox?state=pending&lang=es', headers: { cookie: `sb_session=${admin.token}` } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<title>Correo saliente/);
      assert.match(page.body, new RegExp(`data-outbox-id="${id}"`));
      assert.match(page.body, /Su solicitud fue contestada\.<br \/>\s*Llámenos/, 'the body is readable, line by line');
      assert.match(page.body, /data-testid="smtp-off"/);
      assert.match(page.body, /data-testid="sms-off"/, 'no text message account either');

      const tier2 = await t.signIn('tier2');
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: bearer(tier2.token) })).statusCode, 403);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/outbox' })).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'GET', url: '/staff/outbox', headers: { cookie: `sb_session=${tier2.token}` } })).statusCode, 403);
      const anonymous = await t.app.inject({ method: 'GET', url: '/staff/outbox' });
      assert.equal(anonymous.statusCode, 302);
      assert.equal(anonymous.headers.location, '/sign-in?next=%2Fstaff%2Foutbox');
      const reads = (await t.app.inject({ method: 'GET', url: `/api/v1/audit?actor=staff:${admin.id}`, headers: bearer(admin.token) })).json();
      assert.ok(reads.items.some((e: { action: string }) => e.action === 'outbox-read'), 'reading the outbox is audited');
      assert.equal((await row(id))?.state, 'pending');
    });
  });
}

test('bad SMTP_URL, MAIL_FROM or PUBLIC_URL stop start-up with a message', () => {
  assert.throws(() => loadConfig({ SMTP_URL: 'http://mail.example.test' }), ConfigError);
  assert.throws(() => loadConfig({ SMTP_URL: 'not a url' }), ConfigError);
  assert.throws(() => loadConfig({ MAIL_FROM: 'nobody' }), ConfigError);
  assert.throws(() => loadConfig({ PUBLIC_URL: 'ftp://x.test' }), ConfigError);
  const c = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'Help Desk <help@agency.test>', PUBLIC_URL: 'https://help.example.gov/', PORT: '8080' });
  assert.deepEqual([c.smtpUrl, c.mailFrom, c.publicUrl], ['smtp://127.0.0.1:2525', 'Help Desk <help@agency.test>', 'https://help.example.gov']);
  const d = loadConfig({ PORT: '8080' });
  assert.deepEqual([d.smtpUrl, d.publicUrl], [null, 'http://localhost:8080']);
});
