/**
 * The public call-record look-up, on SQLite and PostgreSQL: the form (pre-filled from the mailed link's
 * ?reference=), the record for the right reference and phone number (date and time in words in the agency's time
 * zone, agent ID, referral numbers, the callback promised), one message for any wrong pair that never says which
 * half was wrong, field errors, Spanish, the Ombudsman's use of it, and the links from the home and Prepare pages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { formatContactReference } from '../../src/domain/contact-reference.ts';
import { formatReferralNumber } from '../../src/domain/referral-number.ts';
import { longDateTime } from '../../src/platform/i18n/format.ts';

const en = translator('en');
const es = translator('es');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

for (const kind of databaseKinds()) {
  describe(`the call-record look-up page [${kind}]`, () => {
    let t: TestApp;
    let reference: string;
    let startedAt: string;
    let agentId: string;
    let referral: string;
    let dueAt: string;
    let other: string;
    let receipt: string;

    before(async () => {
      t = await startTestApp(kind);
      const tier1 = await t.signIn('tier1');
      agentId = tier1.agentId;
      const record = caseRecord({ applicant: { name: 'Ana Pérez', dateOfBirth: '1990-03-02' } });
      receipt = record.receiptNumber as string;
      assert.equal((await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' })).rejectedTotal, 0);
      const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: bearer(tier1.token) });
      const opened = (await post('/api/v1/contacts', { channel: 'phone', callerPhone: '(202) 555-0143', language: 'en' })).json();
      reference = opened.reference;
      startedAt = opened.startedAt;
      assert.equal((await post(`/api/v1/contacts/${opened.id}/verification`, { receiptNumber: record.receiptNumber, name: 'Ana Pérez', dateOfBirth: '1990-03-02' })).json().verified, true);
      const sr = await post('/api/v1/service-requests', { receiptNumber: record.receiptNumber, type: 'other', contactId: opened.id, details: 'The caller asks why the biometrics notice never came. She moved in March.' });
      assert.equal(sr.statusCode, 201, sr.body);
      referral = sr.json().referralNumber;
      const cb = await post(`/api/v1/contacts/${opened.id}/escalations`, { reason: 'Caller needs the pending case explained.', urgency: 'urgent' });
      assert.equal(cb.json().mode, 'callback');
      dueAt = cb.json().dueAt;
      assert.equal((await post(`/api/v1/contacts/${opened.id}/end`, { disposition: 'escalated' })).statusCode, 200);
      other = (await post('/api/v1/contacts', { channel: 'phone', callerPhone: '(202) 555-0199', language: 'en' })).json().reference;
    });
    after(() => t.close());

    const lookup = (form: Record<string, string>, lang = 'en') => t.app.inject({
      method: 'POST', url: `/call-record?lang=${lang}`, payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    test('the form, pre-filled from the mailed link; the Ombudsman text; linked from the home and Prepare pages', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/call-record?reference=${reference}` });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`<h1>${en('callRecord.title')}</h1>`));
      assert.match(res.body, new RegExp(`id="reference" name="reference" type="text" value="${reference}"`));
      assert.match(res.body, /id="phone" name="phone" type="text" value=""/);
      assert.ok(res.body.includes('method="post" action="/call-record?lang=en"'), 'the phone number goes in the body, not the address');
      assert.ok(res.body.includes(html(en('callRecord.why.body', { days: 90, agency: 'USCIS', ombudsman: 'CIS Ombudsman' }))));
      assert.ok((await t.app.inject({ method: 'GET', url: '/' })).body.includes('href="/call-record?lang=en"'));
      const prepare = await t.app.inject({ method: 'GET', url: `/prepare?receipts=${receipt}` });
      assert.ok(prepare.body.includes('href="/call-record?lang=en"'), 'the Prepare page links to it where calls are recorded');
    });

    test('the right pair: the record with date and time in words, the agent ID, the referral number and the callback', async () => {
      const res = await lookup({ reference: formatContactReference(reference), phone: '202-555-0143' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.body;
      assert.match(body, /<title>Your call record – Look up a call record \| Switchboard<\/title>/);
      assert.ok(body.includes(`<strong>${formatContactReference(reference)}</strong>`));
      assert.ok(body.includes(`<dd data-testid="when">${html(longDateTime(startedAt, 'en', 'America/New_York'))}</dd>`), 'in the agency time zone, in words');
      assert.ok(body.includes(`<dd data-testid="agent-id"><strong>${agentId}</strong></dd>`));
      assert.ok(body.includes(`<dd data-testid="referrals">${formatReferralNumber(referral)}</dd>`));
      assert.ok(body.includes(html(en('callRecord.callback.open', { due: longDateTime(dueAt, 'en', 'America/New_York') }))));
      assert.ok(body.includes(html(en('callRecord.ombudsman.staff'))), 'what the Ombudsman asks for');
      assert.ok(body.includes('href="https://www.dhs.gov/topic/cis-ombudsman"'));
    });

    test('a wrong pair: one message whichever half is wrong, never which', async () => {
      const bodies = [];
      for (const form of [
        { reference, phone: '(202) 555-0100' }, // right reference, wrong phone
        { reference: other, phone: '(202) 555-0143' }, // another call's reference, this phone
      ]) {
        const res = await lookup(form);
        assert.equal(res.statusCode, 404);
        assert.ok(res.body.includes(html(en('callRecord.notFound'))));
        assert.ok(!res.body.includes('data-testid="agent-id"'));
        bodies.push(res.body.replace(/value="[^"]*"/g, '').replace(/name="_csrf"[^>]*>/g, ''));
      }
      const strip = (b: string) => b.replace(/sb-trace[^<]*/g, '').replace(/[0-9a-f]{16}/g, '');
      assert.equal(strip(bodies[0]!), strip(bodies[1]!), 'the two refusals read the same');
    });

    test('field errors: missing and malformed, linked from the error summary', async () => {
      const empty = await lookup({ reference: '', phone: '' });
      assert.equal(empty.statusCode, 400);
      assert.ok(empty.body.includes(`<a href="#reference">${html(en('callRecord.error.referenceRequired'))}</a>`));
      assert.ok(empty.body.includes(`<a href="#phone">${html(en('callRecord.error.phoneRequired'))}</a>`));
      assert.match(empty.body, /<title>Error: Look up a call record/);
      const bad = await lookup({ reference: '1234 5678 9012', phone: '12' });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.body.includes(html(en('callRecord.error.referenceInvalid'))));
      assert.ok(bad.body.includes(html(en('callRecord.error.phoneInvalid'))));
      assert.ok(bad.body.includes('value="1234 5678 9012"'), 'what was typed is kept');
    });

    test('in Spanish', async () => {
      const form = await t.app.inject({ method: 'GET', url: '/call-record?lang=es' });
      assert.ok(form.body.includes(`<h1>${es('callRecord.title')}</h1>`));
      const res = await lookup({ reference, phone: '2025550143' }, 'es');
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(html(es('callRecord.resultHeading'))));
      assert.ok(res.body.includes(html(longDateTime(startedAt, 'es', 'America/New_York'))));
      assert.ok((await lookup({ reference, phone: '2025550100' }, 'es')).body.includes(html(es('callRecord.notFound'))));
    });
  });
}
