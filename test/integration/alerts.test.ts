/**
 * Status-change alerts (CONTRACT.md section 6a), end to end on a real SMTP server (smtp-server on an ephemeral port,
 * read back with mailparser): the contract's 202 for a known and an unknown case, 400s naming fields; the
 * confirmation mail's link confirms; a status change through the case feed sends exactly one message per confirmed
 * subscriber (none to pending or unsubscribed ones, none for a re-sent record or a change the public does not see);
 * a duplicate notice alerts too; unsubscribe by GET and by POST (RFC 8058, with the List-Unsubscribe headers on the
 * mail); the rate limits; no A-number in any message; the report's counts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { caseRecord, ndjson, receiptNumber } from '../support/factories.ts';
import { OutboxWorker, smtpTransport } from '../../src/outbox/worker.ts';
import type { DeliveryPolicy } from '../../src/outbox/policy.ts';

const FROM = 'Switchboard <no-reply@agency.test>';
const PUBLIC_URL = 'https://help.example.gov';
const FAST: DeliveryPolicy = { maxAttempts: 3, retryDelaysMs: [20, 40], jitter: 0, leaseMs: 60_000, pollIntervalMs: 20, batchSize: 50 };
const received = [{ date: '2025-01-14', status: 'case-was-received' }];
const approved = [...received, { date: '2025-06-02', status: 'case-was-approved' }];

for (const kind of databaseKinds()) {
  describe(`status-change alerts [${kind}]`, () => {
    let t: TestApp;
    let smtp: TestSmtp;
    let worker: OutboxWorker;
    let feedToken: string;
    let n = 0;

    before(async () => {
      smtp = await startTestSmtp();
      t = await startTestApp(kind, { env: { PUBLIC_URL, PUBLIC_RATE_LIMIT: '1000' } });
      worker = new OutboxWorker({ db: t.deps.database.db, dialect: t.deps.database.dialect, transport: smtpTransport(smtp.url), mailFrom: FROM, policy: FAST });
      feedToken = await t.clientToken(['case-feed']);
    });
    after(async () => {
      await worker?.stop(1000).catch(() => {});
      await t?.close();
      await smtp?.close();
    });

    const feed = async (records: unknown[]) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/case-feed', payload: ndjson(records), headers: { 'content-type': 'application/x-ndjson', ...bearer(feedToken) } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { accepted: number };
    };
    /** Each test's own client address, so the per-client limit of one test does not meet another's. */
    const signUp = (body: Record<string, unknown>, ip = `10.0.0.${++n}`) =>
      t.app.inject({ method: 'POST', url: '/api/v1/public/alerts', payload: body, remoteAddress: ip });
    const mailTo = (address: string): ParsedMail[] => smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address.toLowerCase());
    const deliver = () => worker.drain();
    const linkIn = (mail: ParsedMail, path: 'confirm' | 'unsubscribe') => {
      const m = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}(/alerts/${path}\\?token=[A-Za-z0-9_-]+(?:&lang=es)?)`).exec(mail.text ?? '');
      assert.ok(m, `a ${path} link under PUBLIC_URL in: ${mail.text}`);
      return m[1]!;
    };
    /** Signs up and follows the confirmation link; returns the confirmation mail. */
    async function subscribe(receipt: string, email: string, language: 'en' | 'es' = 'en') {
      assert.equal((await signUp({ receiptNumber: receipt, email, language })).statusCode, 202);
      await deliver();
      const [mail] = mailTo(email).slice(-1);
      assert.ok(mail, `a confirmation mail to ${email}`);
      const res = await t.app.inject({ method: 'GET', url: linkIn(mail, 'confirm') });
      assert.equal(res.statusCode, 200);
      return mail;
    }

    test('202 confirmation-sent for a known and an unknown case alike; a mail with a confirmation link only for the known one', async () => {
      const rn = receiptNumber();
      await feed([caseRecord({ receiptNumber: rn, history: received })]);
      const known = await signUp({ receiptNumber: rn.toLowerCase().replace(/^(...)/, '$1-'), email: 'Known.Person@Example.org', language: 'en' });
      const unknown = await signUp({ receiptNumber: receiptNumber(), email: 'unknown.case@example.org', language: 'en' });
      for (const res of [known, unknown]) {
        assert.equal(res.statusCode, 202);
        assert.deepEqual(res.json(), { status: 'confirmation-sent' });
      }
      await deliver();
      const [mail, ...more] = mailTo('known.person@example.org');
      assert.ok(mail);
      assert.equal(more.length, 0);
      assert.match(mail.subject ?? '', new RegExp(rn));
      assert.match(mail.text ?? '', /\/alerts\/confirm\?token=/);
      assert.equal(mailTo('unknown.case@example.org').length, 0);
      const stored = await t.deps.database.db.selectFrom('alert_subscriptions').select(['subject', 'address', 'status']).execute();
      assert.ok(stored.every((s) => s.address !== 'unknown.case@example.org'));
      assert.deepEqual(stored.filter((s) => s.subject === rn), [{ subject: rn, address: 'known.person@example.org', status: 'pending' }]);
      // Audited with the address masked, never in clear.
      const entries = await t.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'alert-signup').execute();
      assert.equal(entries.length, 2);
      assert.ok(entries.every((e) => !(e.detail ?? '').includes('example.org') || (e.detail ?? '').includes('•••@')));
      assert.ok(entries.every((e) => !(e.detail ?? '').includes('known.person') && !(e.detail ?? '').includes('unknown.case')));
    });

    test('400s name the bad fields; a bad receipt number alone is invalid-receipt-number and is not echoed', async () => {
      const rn = receiptNumber();
      const bad = await signUp({ receiptNumber: 'EAC12', email: 'a@example.org', language: 'en' });
      assert.equal(bad.statusCode, 400);
      assert.equal(problem(bad).code, 'invalid-receipt-number');
      assert.doesNotMatch(bad.body, /EAC12/);
      const none = await signUp({ receiptNumber: rn, language: 'en' });
      assert.equal(none.statusCode, 400);
      assert.deepEqual(problem(none).errors?.map((e) => e.field), ['email']);
      const both = await signUp({ receiptNumber: rn, email: 'a@example.org', phone: '+15555550123', language: 'en' });
      assert.equal(problem(both).code, 'invalid-request');
      assert.deepEqual(problem(both).errors?.map((e) => e.field), ['email']);
      const many = await signUp({ receiptNumber: 'nope', email: 'not-an-address', language: 'en' });
      assert.equal(many.statusCode, 400);
      assert.deepEqual(problem(many).errors?.map((e) => e.field).sort(), ['email', 'receiptNumber']);
      const french = await signUp({ receiptNumber: rn, email: 'a@example.org', language: 'fr' });
      assert.equal(french.statusCode, 400);
      assert.deepEqual(problem(french).errors?.map((e) => e.field), ['language']);
      const phone = await signUp({ receiptNumber: rn, phone: '12', language: 'es' });
      assert.deepEqual(problem(phone).errors?.map((e) => e.field), ['phone']);
      const noLanguage = await signUp({ receiptNumber: rn, email: 'a@example.org' });
      assert.equal(noLanguage.statusCode, 400);
    });

    test('a feed change sends exactly one alert per confirmed subscriber, none to pending or unsubscribed ones, none for a re-sent record', async () => {
      const rn = receiptNumber();
      const record = caseRecord({ receiptNumber: rn, history: received });
      await feed([record]);
      const confirmedEn = `c.en.${rn}@example.org`;
      const confirmedEs = `c.es.${rn}@example.org`;
      const pending = `p.${rn}@example.org`;
      const leaving = `u.${rn}@example.org`;
      await subscribe(rn, confirmedEn, 'en');
      await subscribe(rn, confirmedEs, 'es');
      const leavingConfirm = await subscribe(rn, leaving, 'en');
      assert.equal((await signUp({ receiptNumber: rn, email: pending, language: 'en' })).statusCode, 202);
      // The one who leaves: one click on the link (a GET), twice (idempotent).
      const unsubscribePath = linkIn(leavingConfirm, 'unsubscribe');
      assert.equal((await t.app.inject({ method: 'GET', url: unsubscribePath })).statusCode, 200);
      const again = await t.app.inject({ method: 'GET', url: unsubscribePath });
      assert.equal(again.statusCode, 200);
      assert.match(again.body, /already off/);
      await deliver();
      const before = smtp.received.length;

      // A change the public does not see (the applicant's address) sends nothing.
      await feed([{ ...record, applicant: { ...(record.applicant as object), address: { street: '2 Main St', city: 'Austin', state: 'TX', zip: '78701' } } }]);
      await deliver();
      assert.equal(smtp.received.length, before);

      const changed = { ...record, history: approved };
      await feed([changed]);
      await deliver();
      const en = mailTo(confirmedEn).filter((m) => /Case Was Approved/.test(m.subject ?? ''));
      const es = mailTo(confirmedEs).filter((m) => /Caso Fue Aprobado/.test(m.subject ?? ''));
      assert.equal(en.length, 1);
      assert.equal(es.length, 1);
      assert.equal(smtp.received.length, before + 2, 'nothing to the pending or the unsubscribed address');
      assert.equal(mailTo(pending).filter((m) => /Approved/.test(m.subject ?? '')).length, 0);
      assert.equal(mailTo(leaving).filter((m) => /Approved/.test(m.subject ?? '')).length, 0);
      const alert = en[0]!;
      assert.match(alert.text ?? '', new RegExp(`${rn}[\\s\\S]*Case Was Approved`));
      assert.match(linkIn(alert, 'unsubscribe'), /^\/alerts\/unsubscribe\?token=/);
      assert.match(linkIn(es[0]!, 'unsubscribe'), /&lang=es$/);
      // RFC 8058 headers on the mail.
      const header = (name: string) => (alert.headerLines.find((h) => h.key === name)?.line ?? '').replace(/\r\n[ \t]+/g, ' ');
      assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      assert.match(header('list-unsubscribe'), new RegExp(`^List-Unsubscribe: <${PUBLIC_URL.replace(/\./g, '\\.')}/alerts/unsubscribe\\?token=[A-Za-z0-9_-]{43}>$`));
      // Never the A-number, the applicant's name or the date of birth.
      for (const m of smtp.received) {
        assert.doesNotMatch(`${m.subject}\n${m.text}`, /A?012345678|Ana Pérez|1990-03-02/);
      }

      // The same record again, and again in another batch: nothing more.
      await feed([changed]);
      await feed([changed, changed]);
      await deliver();
      assert.equal(smtp.received.length, before + 2);
    });

    test('a status change before confirmation is not sent later; one after it is', async () => {
      const rn = receiptNumber();
      const record = caseRecord({ receiptNumber: rn, history: received });
      await feed([record]);
      const email = `late.${rn}@example.org`;
      assert.equal((await signUp({ receiptNumber: rn, email, language: 'en' })).statusCode, 202);
      await feed([{ ...record, history: [...received, { date: '2025-03-01', status: 'fingerprints-were-taken' }] }]);
      await deliver();
      const [confirmMail] = mailTo(email);
      assert.ok(confirmMail);
      assert.equal(mailTo(email).length, 1, 'only the confirmation: nothing is sent before confirmation');
      const confirmPath = linkIn(confirmMail, 'confirm');
      assert.equal((await t.app.inject({ method: 'GET', url: confirmPath })).statusCode, 200);
      const twice = await t.app.inject({ method: 'GET', url: confirmPath });
      assert.match(twice.body, /already on/);
      await deliver();
      assert.equal(mailTo(email).length, 1, 'confirming does not send the change from before it');
      await feed([{ ...record, history: [...received, { date: '2025-03-01', status: 'fingerprints-were-taken' }, { date: '2025-06-02', status: 'case-was-approved' }] }]);
      await deliver();
      assert.equal(mailTo(email).length, 2);
    });

    test('unsubscribe by POST (RFC 8058 one-click, no CSRF token) stops the alerts', async () => {
      const rn = receiptNumber();
      const record = caseRecord({ receiptNumber: rn, history: received });
      await feed([record]);
      const email = `post.${rn}@example.org`;
      const confirmMail = await subscribe(rn, email);
      const res = await t.app.inject({ method: 'POST', url: linkIn(confirmMail, 'unsubscribe'), payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /alerts are off/);
      const row = await t.deps.database.db.selectFrom('alert_subscriptions').select(['status', 'unsubscribed_at']).where('address', '=', email.toLowerCase()).executeTakeFirstOrThrow();
      assert.equal(row.status, 'unsubscribed');
      assert.ok(row.unsubscribed_at);
      await feed([{ ...record, history: approved }]);
      await deliver();
      assert.equal(mailTo(email).length, 1);
      // A link that is not ours: 404 page, nothing changed.
      const bogus = await t.app.inject({ method: 'GET', url: `/alerts/unsubscribe?token=${'x'.repeat(43)}` });
      assert.equal(bogus.statusCode, 404);
    });

    test('a repeated sign-up does not duplicate; it sends the confirmation again, at most 3 a day per address', async () => {
      const rn = receiptNumber();
      await feed([caseRecord({ receiptNumber: rn, history: received })]);
      const email = `again.${rn}@example.org`;
      for (let i = 0; i < 3; i++) assert.equal((await signUp({ receiptNumber: rn, email, language: 'en' })).statusCode, 202);
      const fourth = await signUp({ receiptNumber: rn, email, language: 'en' });
      assert.equal(fourth.statusCode, 429);
      assert.equal(problem(fourth).code, 'rate-limited');
      assert.ok(Number(fourth.headers['retry-after']) > 0);
      await deliver();
      assert.equal(mailTo(email).length, 3);
      const rows = await t.deps.database.db.selectFrom('alert_subscriptions').select('id').where('address', '=', email.toLowerCase()).execute();
      assert.equal(rows.length, 1);
      // The per-address limit holds for an unknown case too (the answers do not tell them apart).
      const other = `unknown.${rn}@example.org`;
      for (let i = 0; i < 3; i++) assert.equal((await signUp({ receiptNumber: receiptNumber(), email: other, language: 'en' })).statusCode, 202);
      assert.equal((await signUp({ receiptNumber: receiptNumber(), email: other, language: 'en' })).statusCode, 429);
    });

    test('sign-ups per client address are limited', async () => {
      const ip = '10.9.9.9';
      const codes: number[] = [];
      for (let i = 0; i < 21; i++) codes.push((await signUp({ receiptNumber: receiptNumber(), email: `client.${i}@example.org`, language: 'en' }, ip)).statusCode);
      assert.deepEqual(codes.slice(0, 20), Array(20).fill(202));
      assert.equal(codes[20], 429);
    });

    test('a duplicate notice issued by the office changes the public status: one alert', async () => {
      const rn = receiptNumber();
      await feed([caseRecord({ receiptNumber: rn, history: received })]);
      const email = `dup.${rn}@example.org`;
      await subscribe(rn, email);
      const office = await t.signIn('office', { office: 'VSC' });
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${rn}/notices`, payload: { type: 'duplicate', noticeId: 'N1' }, headers: bearer(office.token) });
      assert.equal(res.statusCode, 201, res.body);
      await deliver();
      const alerts = mailTo(email).filter((m) => /Duplicate Notice Was Mailed/.test(m.subject ?? ''));
      assert.equal(alerts.length, 1);
    });

    test('text messages are queued in the outbox with the same shape (not delivered)', async () => {
      const rn = receiptNumber();
      await feed([caseRecord({ receiptNumber: rn, history: received })]);
      assert.equal((await signUp({ receiptNumber: rn, phone: '(555) 555-0177', language: 'es' })).statusCode, 202);
      const row = await t.deps.database.db.selectFrom('outbox').selectAll().where('to_address', '=', '+15555550177').executeTakeFirstOrThrow();
      assert.equal(row.channel, 'sms');
      assert.equal(row.template, 'alert-confirm');
      assert.equal(row.lang, 'es');
      assert.match(row.body_text, /\/alerts\/confirm\?token=.+&lang=es/);
    });

    test('the report counts sign-ups and messages', async () => {
      const s = await t.deps.alerts.summary('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z');
      assert.ok(s.signups >= 5);
      assert.ok(s.confirmed >= 4);
      assert.ok(s.alertMessages >= 4);
      assert.ok(s.confirmationMessages >= s.confirmed);
      assert.equal(s.textMessages, 1);
      // The contact center report's `alerts` key gives the same counts for the period (today, in the agency's zone).
      const supervisor = await t.signIn('supervisor');
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/reports/contact-center?from=2026-01-01&to=2030-12-31', headers: bearer(supervisor.token) });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().alerts, { signups: s.signups, confirmed: s.confirmed, unsubscribed: s.unsubscribed, confirmationMessages: s.confirmationMessages, alertMessages: s.alertMessages });
      const csv = await t.app.inject({ method: 'GET', url: '/api/v1/reports/contact-center?from=2026-01-01&to=2030-12-31&format=csv', headers: bearer(supervisor.token) });
      assert.match(csv.body, new RegExp(`alerts\\.alertMessages,,${s.alertMessages}`));
    });
  });
}
