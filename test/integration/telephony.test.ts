/**
 * The voice webhooks (CONTRACT.md section 8a) on both databases: requests signed by the twilio package itself over
 * PUBLIC_URL, TwiML read with a real XML parser (htmlparser2 in XML mode, not Switchboard's own reader).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import htmlparser2, { type DomNode } from 'htmlparser2';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { readTwiml } from '../../src/telephony/twiml.ts';
import { seedDemoTelephony } from '../../src/telephony/seed.ts';

const TOKEN = 'test-auth-token-0123456789abcdef';
const PUBLIC_URL = 'https://help.example.gov';

let sidCounter = 0;
const newSid = () => `CA${(++sidCounter).toString(16).padStart(8, '0')}${'0'.repeat(24)}`;

/** The <Response> element and its element children, by a real XML parser. */
function twimlOf(xml: string): DomNode {
  const response = htmlparser2.parseDOM(xml, { xmlMode: true, decodeEntities: true }).find((n) => n.type === 'tag');
  assert.ok(response, xml);
  assert.equal(response.name, 'Response');
  return response;
}
const tags = (n: DomNode): DomNode[] => (n.children ?? []).filter((c) => c.type === 'tag');
const textOf = (n: DomNode): string => (n.children ?? []).map((c) => (c.type === 'text' ? c.data ?? '' : textOf(c))).join('');
/** Every <Say> of the document, in order (inside a Gather too), as [language, text]. */
function says(n: DomNode): Array<[string, string]> {
  return tags(n).flatMap((c) => (c.name === 'Say' ? [[c.attribs?.language ?? '', textOf(c)] as [string, string]] : says(c)));
}
const gatherOf = (r: DomNode) => tags(r).find((c) => c.name === 'Gather');

for (const kind of databaseKinds()) {
  describe(`telephony webhooks [${kind}]`, () => {
    let t: TestApp;
    let supervisor: string;

    before(async () => {
      t = await startTestApp(kind, { env: { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_URL } });
      supervisor = (await t.signIn('supervisor')).token;
    });
    after(() => t.close());

    const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
    /** A webhook request signed as Twilio signs it (over PUBLIC_URL + path and query, and the form parameters). */
    const signed = (url: string, params: Record<string, string>, token = TOKEN, app = t) =>
      app.app.inject({
        method: 'POST', url, payload: form(params),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${PUBLIC_URL}${url}`, params) },
      });
    const call = (from = '+12025550100') => ({ CallSid: newSid(), From: from, To: '+18003755283', CallStatus: 'in-progress', AccountSid: 'AC' + '1'.repeat(32), Direction: 'inbound' });
    const step = async (url: string, params: Record<string, string>) => {
      const res = await signed(url, params);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/xml/);
      return twimlOf(res.body);
    };
    const count = async (table: 'telephony_calls' | 'contacts') => Number((await t.deps.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
    const load = async (overrides: Record<string, unknown>) => {
      const rec = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: rec }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return rec.receiptNumber as string;
    };
    /** Walks a call to its status read back: Spanish or English, prefix key, the ten digits. */
    const statusCall = async (rn: string, lang: 'en' | 'es') => {
      const c = call();
      await step('/telephony/voice', c);
      const menu = await step('/telephony/language?try=1', { ...c, Digits: lang === 'en' ? '1' : '2' });
      const prefixMenu = await step(gatherOf(menu)!.attribs!.action!, { ...c, Digits: '1' });
      const key = String(t.deps.agency.receiptPrefixes.indexOf(rn.slice(0, 3)) + 1);
      const digitsPrompt = await step(gatherOf(prefixMenu)!.attribs!.action!, { ...c, Digits: key });
      return { c, answer: await step(gatherOf(digitsPrompt)!.attribs!.action!, { ...c, Digits: rn.slice(3) }), prefixMenu, digitsPrompt };
    };

    test('a new call: the menu offers English (1) and Spanish (2) in a DTMF Gather, in both languages', async () => {
      const r = await step('/telephony/voice', call());
      const gather = gatherOf(r);
      assert.ok(gather);
      assert.equal(gather.attribs!.input, 'dtmf');
      assert.equal(gather.attribs!.numDigits, '1');
      assert.equal(gather.attribs!.action, '/telephony/language?try=1');
      const prompts = says(gather);
      assert.deepEqual(prompts.map(([l]) => l), ['en-US', 'es-US']);
      assert.match(prompts[0]![1], /For English, press 1/);
      assert.match(prompts[1]![1], /Para español, oprima 2/);
    });

    test('unsigned, wrongly signed, or signed over the Host header instead of PUBLIC_URL: 403, nothing recorded, the denial audited', async () => {
      const before = await count('telephony_calls');
      const c = call();
      const unsigned = await t.app.inject({ method: 'POST', url: '/telephony/voice', payload: form(c), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(unsigned.statusCode, 403);
      assert.equal(problem(unsigned).code, 'forbidden');
      assert.equal((await signed('/telephony/voice', c, 'another-token')).statusCode, 403);
      const overHost = await t.app.inject({
        method: 'POST', url: '/telephony/voice', payload: form(c),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, 'http://localhost:80/telephony/voice', c) },
      });
      assert.equal(overHost.statusCode, 403);
      // A signature over other parameters (a changed Digits) does not pass either.
      const tampered = await t.app.inject({
        method: 'POST', url: '/telephony/menu?lang=en&try=1', payload: form({ ...c, Digits: '2' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC_URL}/telephony/menu?lang=en&try=1`, { ...c, Digits: '1' }) },
      });
      assert.equal(tampered.statusCode, 403);
      const status = await t.app.inject({ method: 'POST', url: '/telephony/status', payload: form({ ...c, CallStatus: 'completed', CallDuration: '30' }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' } });
      assert.equal(status.statusCode, 403);
      assert.equal(await count('telephony_calls'), before);
      const found = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?callerPhone=${encodeURIComponent(c.From)}`, headers: bearer(supervisor) });
      assert.equal(found.json().total, 0);
      const denied = await t.deps.database.db.selectFrom('audit_log').select(['action', 'outcome']).where('outcome', '=', 'denied').where('action', 'like', 'POST /telephony/%').execute();
      assert.ok(denied.length >= 5, JSON.stringify(denied));
    });

    test('TWILIO_AUTH_TOKEN unset: every webhook answers 503 unavailable and records nothing', async () => {
      const off = await startTestApp(kind, { sharing: t, env: { PUBLIC_URL } });
      try {
        const before = await count('telephony_calls');
        const c = call();
        for (const url of ['/telephony/voice', '/telephony/status', '/telephony/menu?lang=en']) {
          const res = await signed(url, { ...c, CallStatus: 'completed', CallDuration: '20' }, TOKEN, off);
          assert.equal(res.statusCode, 503, url);
          assert.equal(problem(res).code, 'unavailable');
        }
        assert.equal(await count('telephony_calls'), before);
      } finally {
        await off.close();
      }
    });

    test('Spanish: after 2 the menu speaks Spanish (es-US) with its three choices', async () => {
      const c = call();
      await step('/telephony/voice', c);
      const r = await step('/telephony/language?try=1', { ...c, Digits: '2' });
      const gather = gatherOf(r)!;
      assert.equal(gather.attribs!.action, '/telephony/menu?lang=es&try=1');
      const [[lang, text]] = says(gather) as [[string, string]];
      assert.equal(lang, 'es-US');
      assert.match(text, /número de recibo, oprima 1.*agente, oprima 2.*fuerzas armadas.*oprima 3/);
    });

    test('a known case: the receipt prefix by one key, ten digits, then Case Status Online\'s title and description in the caller\'s language', async () => {
      const rn = await load({ receiptNumber: receiptNumber('WAC'), receivedDate: todayIn(t.deps.agency.timeZone) });
      const { answer, prefixMenu, digitsPrompt } = await statusCall(rn, 'es');
      const options = says(gatherOf(prefixMenu)!).map(([, s]) => s).join(' ');
      assert.match(options, /Para W A C, oprima 2\./);
      assert.equal(gatherOf(digitsPrompt)!.attribs!.numDigits, '10');
      const presented = (await t.deps.caseStatus.find(rn))!;
      const spoken = says(answer);
      assert.ok(spoken.every(([l]) => l === 'es-US'));
      const texts = spoken.map(([, s]) => s);
      assert.ok(texts.includes(presented.current.title.es), JSON.stringify(texts));
      assert.ok(texts.includes(presented.current.description.es), JSON.stringify(texts));
      assert.ok(!texts.some((s) => /fuera del tiempo normal/.test(s)), 'a case received today is not outside normal processing time');
      assert.equal(gatherOf(answer)!.attribs!.action, '/telephony/after-status?lang=es');
    });

    test('outside normal processing time: said after the status, with the service request offered', async () => {
      const rn = await load({ receivedDate: '2024-01-10' });
      assert.equal((await t.deps.processingTimes.inquiryByReceipt(rn)).outsideNormalProcessingTime, true);
      const { answer } = await statusCall(rn, 'en');
      const texts = says(answer).map(([, s]) => s);
      assert.ok(texts.includes((await t.deps.caseStatus.find(rn))!.current.title.en));
      assert.ok(texts.some((s) => /outside normal processing time\. You may ask for a service request/.test(s)), JSON.stringify(texts));
    });

    test('an unknown receipt number: the agency\'s wording, and the digits asked again (try 2)', async () => {
      const { answer } = await statusCall(receiptNumber('EAC'), 'en');
      const texts = says(answer).map(([, s]) => s);
      assert.match(texts[0]!, /^Case Status Online does not recognize the receipt number entered\. Please check your receipt number and try again\./);
      assert.match(gatherOf(answer)!.attribs!.action!, /^\/telephony\/receipt\?lang=en&prefix=1&try=2$/);
    });

    test('wrong keys and silence are retried, then the call ends politely after the third try', async () => {
      const c = call();
      const again = await step('/telephony/menu?lang=en&try=1', { ...c, Digits: '7' });
      assert.equal(gatherOf(again)!.attribs!.action, '/telephony/menu?lang=en&try=2');
      assert.match(says(again)[0]![1], /not one of the choices/);
      const silent = await step('/telephony/language?try=2', { ...c, Digits: '' });
      assert.equal(gatherOf(silent)!.attribs!.action, '/telephony/language?try=3');
      const end = await step('/telephony/menu?lang=es&try=3', { ...c });
      assert.equal(gatherOf(end), undefined);
      assert.ok(tags(end).some((n) => n.name === 'Hangup'));
      assert.match(says(end)[0]![1], /Adiós/);
    });

    test('queues by tier, skill and language, with the estimated wait from calls waiting, handle times and agents signed in', async () => {
      const enq = (r: DomNode) => textOf(tags(r).find((n) => n.name === 'Enqueue')!).trim();
      assert.equal(enq(await step('/telephony/menu?lang=en&try=1', { ...call(), Digits: '2' })), 'tier1-en');
      assert.equal(enq(await step('/telephony/menu?lang=es&try=1', { ...call(), Digits: '2' })), 'tier1-es');
      assert.equal(enq(await step('/telephony/after-status?lang=es', { ...call(), Digits: '1' })), 'tier1-es');
      // tier2-military-en: nobody signed in yet → no basis for a figure.
      const first = await step('/telephony/menu?lang=en&try=1', { ...call(), Digits: '3' });
      assert.equal(enq(first), 'tier2-military-en');
      assert.ok(says(first).some(([, s]) => s === 'We cannot estimate the wait right now.'), JSON.stringify(says(first)));
      // One military officer signed in, ended Tier 2 English calls of 10 minutes, two calls now waiting ahead:
      // ceil(2 × 10 ÷ 1) = 20 minutes.
      await t.signIn('tier2', { skills: ['en', 'military'] });
      const now = Date.now();
      const r = await t.deps.contacts.storeRecords({ kind: 'system' }, [0, 1].map((i) => ({
        externalId: `handle-${kind}-${i}`, startedAt: new Date(now - (i + 1) * 3_600_000).toISOString(), endedAt: new Date(now - (i + 1) * 3_600_000 + 600_000).toISOString(), callerPhone: '+12025550199', tier: 'tier2',
      })));
      assert.equal(r.accepted, 2);
      await step('/telephony/menu?lang=en&try=1', { ...call(), Digits: '3' });
      const third = await step('/telephony/menu?lang=en&try=1', { ...call(), Digits: '3' });
      assert.deepEqual(says(third).map(([, s]) => s), ['Please stay on the line for the next available officer who helps members of the military and their families.', 'The estimated wait is about 20 minutes.']);
    });

    test('the status callback: a completed call becomes one contact record however often it is sent, found by callerPhone, with the call\'s language and tier', async () => {
      const from = '+13055550142';
      const c = call(from);
      await step('/telephony/voice', c);
      await step('/telephony/language?try=1', { ...c, Digits: '2' });
      await step('/telephony/menu?lang=es&try=1', { ...c, Digits: '2' });
      for (const status of ['ringing', 'in-progress', 'busy']) {
        const res = await signed('/telephony/status', { ...c, CallStatus: status });
        assert.equal(res.statusCode, 200);
      }
      const none = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?callerPhone=${encodeURIComponent(from)}`, headers: bearer(supervisor) });
      assert.equal(none.json().total, 0, 'only a completed call is recorded');
      for (let i = 0; i < 2; i++) {
        const res = await signed('/telephony/status', { ...c, CallStatus: 'completed', CallDuration: '95' });
        assert.equal(res.statusCode, 200);
        assert.equal(tags(twimlOf(res.body)).length, 0);
      }
      const found = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?callerPhone=${encodeURIComponent('(305) 555-0142')}`, headers: bearer(supervisor) });
      assert.equal(found.statusCode, 200, found.body);
      assert.equal(found.json().total, 1);
      const item = found.json().items[0];
      assert.equal(item.source, 'platform');
      assert.equal(item.language, 'es');
      assert.equal(item.tier, 'tier1');
      assert.equal(item.callerPhone, from);
      const row = await t.deps.database.db.selectFrom('telephony_calls').selectAll().where('call_sid', '=', c.CallSid).executeTakeFirstOrThrow();
      assert.ok(Date.parse(item.startedAt) <= Date.parse(item.endedAt));
      assert.equal(Date.parse(item.startedAt), Date.parse(row.started_at), 'started at the first webhook');
      assert.equal(row.queue, 'tier1-es');
      assert.ok(row.recorded_at);
    });

    test('the demo\'s calls through the phone menu: contact records from the platform with their language, tier and receipt; seeding again stores nothing twice', async () => {
      await load({ office: 'VSC', receivedDate: '2025-03-01' });
      const first = await seedDemoTelephony(t.deps.database.db, t.deps.telephony);
      assert.deepEqual(first, { calls: 6, recorded: 6 });
      const rows = await t.deps.database.db.selectFrom('telephony_calls').selectAll().where('call_sid', 'like', 'CAdemo%').orderBy('call_sid').execute();
      assert.deepEqual(rows.map((r) => [r.language, r.outcome, r.queue]), [
        ['en', 'status-heard', null], ['es', 'status-heard', null], ['en', 'queued', 'tier1-en'], ['es', 'queued', 'tier1-es'], ['en', 'queued', 'tier2-military-en'], ['es', null, null],
      ]);
      assert.ok(rows[0]!.receipt_number && rows[1]!.receipt_number);
      const contacts = await t.deps.database.db.selectFrom('contacts').select(['source', 'language', 'tier', 'disposition', 'started_at', 'ended_at']).where('external_id', 'like', 'CAdemo%').orderBy('external_id').execute();
      assert.deepEqual(contacts.map((c) => [c.source, c.language, c.tier, c.disposition]), [
        ['platform', 'en', 'tier1', 'resolved'], ['platform', 'es', 'tier1', 'resolved'], ['platform', 'en', 'tier1', null], ['platform', 'es', 'tier1', null], ['platform', 'en', 'tier2', null], ['platform', 'es', 'tier1', 'dropped'],
      ]);
      assert.equal(Date.parse(contacts[0]!.ended_at!) - Date.parse(contacts[0]!.started_at), 142_000);
      assert.deepEqual(await seedDemoTelephony(t.deps.database.db, t.deps.telephony), { calls: 6, recorded: 0 });
    });

    test('Switchboard\'s own TwiML reader reads what the webhook wrote as the XML parser does', async () => {
      const c = call();
      const res = await signed('/telephony/voice', c);
      const step = readTwiml(res.body);
      const parsed = twimlOf(res.body);
      assert.deepEqual([...step.says, ...(step.gather?.prompts ?? [])].map((s) => s.text), says(parsed).map(([, s]) => s));
      assert.equal(step.gather?.action, gatherOf(parsed)!.attribs!.action);
    });
  });
}
