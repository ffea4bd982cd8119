/**
 * The contact center report (CONTRACT.md section 12) on SQLite and PostgreSQL, over data whose answers are known:
 * calls loaded as platform records (POST /api/v1/contact-records) and opened at the desk (the desk's service with
 * past clocks, and the desk API now), callbacks reached on time and late, missed and left open past due, service
 * requests answered before and after their due dates in two offices' time zones, one reopened, repeat callers, an
 * Ombudsman call review; every figure asserted exactly, for March 2026, the fiscal year 2026 and the default
 * period; the CSV with a formula neutralised; 400 for a bad period; 403 for Tier 1 and office staff.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import type { Actor } from '../../src/platform/actor.ts';
import type { Role } from '../../src/domain/roles.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { fiscalYearBounds, fiscalYearOf } from '../../src/reports/checks.ts';

const idem = (key: string) => ({ scope: 'test', key, requestHash: '' });
const at = (iso: string) => () => new Date(iso);
const REASON = 'Caller needs Tier 2 to explain the case.';

for (const kind of databaseKinds()) {
  describe(`the contact center report [${kind}]`, () => {
    let t: TestApp;
    const people: Record<string, { token: string; actor: Actor }> = {};
    const receipts: Record<string, string> = {};
    let n = 0;

    const person = async (key: string, role: Role, options: { office?: string; skills?: string[] } = {}) => {
      const email = `rep.${key}.${kind}@agency.test`;
      const s = await t.signIn(role, { email, ...options });
      people[key] = { token: s.token, actor: { kind: 'staff', sessionId: 'test', user: { id: s.id, email, name: key, role, office: options.office ?? null, agentId: s.agentId } } };
    };
    const get = (url: string, key: string) => t.app.inject({ method: 'GET', url, headers: bearer(people[key]!.token) });
    /** A desk call opened by Tier 1 at `when`, linked to the case `caseKey` when given; its id. */
    const deskCall = async (when: string, phone: string, language: 'en' | 'es', caseKey?: string) => {
      const contacts = t.deps.contacts.withClock(at(when));
      const opened = JSON.parse((await contacts.open(people.tier1!.actor, { channel: 'phone', callerPhone: phone, language }, idem(`open-${++n}`))).body) as { id: string };
      if (caseKey) await contacts.linkCase(people.tier1!.actor, opened.id, receipts[caseKey]!);
      return opened.id;
    };
    const callback = async (contactId: string, when: string) => {
      const made = JSON.parse((await t.deps.callbacks.withClock(at(when)).escalate(people.tier1!.actor, contactId, { reason: REASON, urgency: 'urgent' }, idem(`cb-${++n}`))).body) as { id: string; mode: string; dueAt: string };
      assert.equal(made.mode, 'callback');
      return made;
    };
    const attempt = (id: string, when: string, outcome: 'reached' | 'no-answer' | 'voicemail') => t.deps.callbacks.withClock(at(when)).attempt(people.tier2!.actor, id, outcome);
    const request = async (caseKey: string, type: string, when: string) => {
      const res = await t.deps.serviceRequests.withClock(at(when)).create(people.tier1!.actor, { receiptNumber: receipts[caseKey]!, type, details: 'The caller asks why the interview letter never came.' }, idem(`sr-${++n}`));
      assert.equal(res.status, 201, res.body);
      return JSON.parse(res.body) as { referralNumber: string; dueDate: string };
    };
    const answer = async (referral: string, officeKey: string, when: string, text = 'We re-sent the interview notice to the address on file.') => {
      const sr = t.deps.serviceRequests.withClock(at(when));
      await sr.claim(people[officeKey]!.actor, referral);
      await sr.respond(people[officeKey]!.actor, referral, text);
    };

    before(async () => {
      t = await startTestApp(kind);
      await person('tier1', 'tier1');
      await person('tier2', 'tier2', { skills: ['en', 'es'] });
      await person('vsc', 'office', { office: 'VSC' });
      await person('csc', 'office', { office: 'CSC' });
      for (const role of ['supervisor', 'ombudsman', 'admin'] as const) await person(role, role);
      for (const k of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7']) {
        const rec = caseRecord({ office: k === 'R3' ? 'CSC' : 'VSC' });
        receipts[k] = rec.receiptNumber as string;
        const r = await t.deps.feed.import((async function* () { yield { line: 1, value: rec }; })(), { kind: 'system' });
        assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      }

      // Platform records: four in March 2026 (local days, America/New_York), two just outside it.
      const feed = await t.clientToken(['contact-feed']);
      const rec = (externalId: string, startedAt: string, tier: string, phone = '+1 212 555 0100') =>
        ({ externalId, startedAt, endedAt: new Date(Date.parse(startedAt) + 300_000).toISOString(), callerPhone: phone, agentId: null, tier });
      const loaded = await t.app.inject({
        method: 'POST', url: '/api/v1/contact-records', headers: bearer(feed), payload: [
          rec('P1', '2026-03-02T14:00:00Z', 'tier1', '+1 212 555 0101'),
          rec('P2', '2026-03-03T15:00:00Z', 'tier2', '+1 212 555 0102'),
          rec('P3', '2026-03-31T23:30:00-04:00', 'tier1'), // 31 March local: in
          rec('P4', '2026-04-01T00:30:00-04:00', 'tier1'), // 1 April local: out
          rec('P5', '2026-02-28T23:59:00-05:00', 'tier1'), // 28 February local: out
          rec('P6', '2026-03-01T00:00:00-05:00', 'tier1'), // the first moment of 1 March: in
        ],
      });
      assert.equal(loaded.json().accepted, 6, loaded.body);

      // Desk calls and callbacks. B calls twice about R1 and is called back (three calls on one case: a repeat caller);
      // C calls about two different cases (not one); D calls about R4 and is called back late (a repeat caller).
      const d1 = await deskCall('2026-03-10T15:00:00Z', '(202) 555-0111', 'es', 'R1');
      const cb1 = await callback(d1, '2026-03-10T15:05:00Z');
      await attempt(cb1.id, '2026-03-11T15:00:00Z', 'reached'); // on time (due 72 hours after)
      await deskCall('2026-03-12T15:00:00Z', '(202) 555-0111', 'es', 'R1');
      await deskCall('2026-03-13T15:00:00Z', '(202) 555-0112', 'en', 'R2');
      await deskCall('2026-03-14T15:00:00Z', '(202) 555-0112', 'en', 'R3');
      const d5 = await deskCall('2026-03-16T15:00:00Z', '(202) 555-0113', 'en', 'R4');
      const cb2 = await callback(d5, '2026-03-16T15:05:00Z');
      await attempt(cb2.id, '2026-03-20T15:00:00Z', 'reached'); // late
      await deskCall('2026-04-02T15:00:00Z', '(202) 555-0113', 'en', 'R4'); // April: out of the period
      const d6 = await deskCall('2026-03-17T15:00:00Z', '(202) 555-0114', 'en');
      const cb3 = await callback(d6, '2026-03-17T15:05:00Z');
      await attempt(cb3.id, '2026-03-18T15:00:00Z', 'no-answer');
      await attempt(cb3.id, '2026-03-18T17:00:00Z', 'voicemail'); // missed
      const d7 = await deskCall('2026-03-18T15:00:00Z', '(202) 555-0115', 'en');
      await callback(d7, '2026-03-18T15:05:00Z'); // never attempted: open past due now, late

      // Service requests. VSC keeps America/New_York, CSC America/Los_Angeles; no federal holiday in March 2026.
      const s1 = await request('R1', 'other', '2026-03-02T15:00:00Z'); // Mon 2 March, due 23 March
      assert.equal(s1.dueDate, '2026-03-23');
      await answer(s1.referralNumber, 'vsc', '2026-03-05T15:00:00Z'); // 3 business days, on time
      const s2 = await request('R2', 'typographical-error', '2026-03-02T15:00:00Z'); // due 9 March (5 business days)
      assert.equal(s2.dueDate, '2026-03-09');
      await answer(s2.referralNumber, 'vsc', '2026-03-12T03:30:00Z'); // 11 March 23:30 EDT: 7 business days, late
      const s3 = await request('R3', 'other', '2026-03-04T18:00:00Z'); // CSC, Wed 4 March
      await answer(s3.referralNumber, 'csc', '2026-03-10T06:30:00Z'); // 9 March 23:30 PDT
      await t.deps.serviceRequests.withClock(at('2026-03-12T17:00:00Z')).reopen(people.tier1!.actor, s3.referralNumber, 'The caller says the answer did not resolve it.');
      await answer(s3.referralNumber, 'csc', '2026-03-13T20:00:00Z', 'The interview was moved to 2 April; a new notice is on its way.'); // answered again 13 March: 7 business days, on time (new due date)
      await request('R4', 'other', '2026-03-20T15:00:00Z'); // open
      const s5 = await request('R5', 'other', '2026-02-27T15:00:00Z'); // February: out, though answered in March
      await answer(s5.referralNumber, 'vsc', '2026-03-03T15:00:00Z');
      await request('R6', 'other', '2026-03-31T23:00:00-04:00'); // 31 March local: in, open
      const s7 = await request('R7', 'other', '2026-03-02T14:00:00Z');
      await answer(s7.referralNumber, 'vsc', '2026-03-02T20:00:00Z'); // the same day: 0 business days

      // The Ombudsman's call reviews: one asked for in March, one in April.
      const review = (when: string, callTime: string, phone: string) =>
        t.deps.callReviews.withClock(at(when)).request(people.ombudsman!.actor, { callTime, callerPhone: phone, concern: 'The agent did not explain the notice at all.' }, idem(`rv-${++n}`));
      assert.equal((await review('2026-03-25T15:00:00Z', '2026-03-02T14:10:00Z', '2125550101')).status, 201);
      assert.equal((await review('2026-04-05T15:00:00Z', '2026-03-03T15:10:00Z', '2125550102')).status, 201);

      // A case assistance request (DHS Form 7001) made in March, through the Ombudsman's intake.
      const assistance = (receiptNumber: string, date: string) => ({
        requester: { name: 'Ana Pérez', email: 'ana@example.org' }, cases: [{ receiptNumber, formType: 'I-130' }],
        priorActions: [{ date, kind: 'call' }], reasons: 'My I-130 has been pending for three years and nobody can tell me why.',
      });
      const ca = await t.deps.caseAssistance.withClock(at('2026-03-20T15:00:00Z')).submit({ kind: 'anonymous' }, assistance(receipts.R1!, '2026-03-10'), idem(`ca-${++n}`));
      assert.equal(ca.status, 201, ca.body);

      // Now (the current fiscal year): one call at the desk API, one case assistance request and four feedback answers through the public API.
      const now = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(people.tier1!.token), payload: { channel: 'phone', callerPhone: '(202) 555-0199', language: 'es' } });
      assert.equal(now.statusCode, 201, now.body);
      const ca2 = await t.app.inject({ method: 'POST', url: '/api/v1/ombudsman/case-assistance', payload: assistance(receipts.R2!, todayIn('America/New_York')) });
      assert.equal(ca2.statusCode, 201, ca2.body);
      for (const payload of [{ page: '/', helpful: true }, { page: '/', helpful: true, comment: 'Clear, thank you.' }, { page: '/ask', helpful: false, reasons: ['confusing'] }, { comment: '=HYPERLINK("x") the agent was kind' }]) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/feedback', payload });
        assert.equal(res.statusCode, 201, res.body);
      }
    });
    after(() => t.close());

    const MARCH = {
      period: { from: '2026-03-01', to: '2026-03-31' },
      calls: { total: 13, byTier: { tier1: 10, tier2: 3 }, byLanguage: { en: 10, es: 3 } },
      escalations: { total: 4, share: 0.3077 },
      callbacks: { made: 4, onTime: 1, late: 2, missed: 1 },
      serviceRequests: {
        total: 6, byType: { other: 5, 'typographical-error': 1 }, byOffice: { CSC: 1, VSC: 5 },
        onTimeShare: 0.75, medianBusinessDaysToAnswer: 5, reopenedShare: 0.1667,
      },
      repeatCallers: 2,
      ombudsman: { caseAssistance: 1, callReviews: 1 },
      feedback: { helpful: 0, notHelpful: 0, comments: 0 },
      alerts: { signups: 0, confirmed: 0, unsubscribed: 0, confirmationMessages: 0, alertMessages: 0 },
    };

    test('March 2026: every figure, exactly, in the contract\'s shape', async () => {
      for (const who of ['supervisor', 'ombudsman', 'admin']) {
        const res = await get('/api/v1/reports/contact-center?from=2026-03-01&to=2026-03-31', who);
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json(), MARCH);
        assert.deepEqual(Object.keys(res.json()), ['period', 'calls', 'escalations', 'callbacks', 'serviceRequests', 'repeatCallers', 'ombudsman', 'feedback', 'alerts']);
      }
    });

    test('the fiscal year 2026 (1 October 2025 to 30 September 2026) counts April and February too', async () => {
      const res = await get('/api/v1/reports/contact-center?fiscalYear=2026', 'supervisor');
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.deepEqual(r.period, { from: '2025-10-01', to: '2026-09-30' });
      assert.deepEqual(r.calls, { total: 16, byTier: { tier1: 13, tier2: 3 }, byLanguage: { en: 13, es: 3 } });
      assert.deepEqual(r.serviceRequests.byOffice, { CSC: 1, VSC: 6 });
      assert.equal(r.serviceRequests.onTimeShare, 0.8); // S5: 3 March is within its due date
      assert.equal(r.repeatCallers, 2);
      assert.deepEqual(r.ombudsman, { caseAssistance: 1, callReviews: 2 });
      assert.deepEqual(r.feedback, { helpful: 0, notHelpful: 0, comments: 0 });
      const same = await get('/api/v1/reports/contact-center?from=2025-10-01&to=2026-09-30', 'supervisor');
      assert.deepEqual(same.json(), r);
    });

    test('by default: the current fiscal year to date', async () => {
      const today = todayIn('America/New_York');
      const res = await get('/api/v1/reports/contact-center', 'ombudsman');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().period, { from: fiscalYearBounds(fiscalYearOf(today)).from, to: today });
      assert.deepEqual(res.json().calls, { total: 1, byTier: { tier1: 1 }, byLanguage: { es: 1 } });
      assert.deepEqual(res.json().escalations, { total: 0, share: 0 });
      assert.equal(res.json().serviceRequests.medianBusinessDaysToAnswer, null);
      assert.equal(res.json().serviceRequests.onTimeShare, null);
      assert.deepEqual(res.json().ombudsman, { caseAssistance: 1, callReviews: 0 });
      assert.deepEqual(res.json().feedback, { helpful: 2, notHelpful: 1, comments: 2 });
    });

    test('CSV: metric,dimension,value rows with the same figures; a cell that could start a formula is neutralised', async () => {
      const res = await get('/api/v1/reports/contact-center?from=2026-03-01&to=2026-03-31&format=csv', 'admin');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="contact-center-2026-03-01-to-2026-03-31.csv"/);
      const lines = res.body.split('\r\n');
      assert.equal(lines[0], 'metric,dimension,value');
      assert.equal(lines.at(-1), '');
      for (const l of ['calls.total,,13', 'calls.byTier,tier1,10', 'calls.byLanguage,es,3', 'escalations.share,,0.3077', 'callbacks.late,,2',
        'serviceRequests.byType,typographical-error,1', 'serviceRequests.byOffice,CSC,1', 'serviceRequests.medianBusinessDaysToAnswer,,5', 'repeatCallers,,2', 'ombudsman.callReviews,,1']) {
        assert.ok(lines.includes(l), `${l} in\n${res.body}`);
      }
      // A dimension that starts a formula (a platform record's tier cannot, so one is written as a contact's language).
      await t.deps.database.db.updateTable('contacts').set({ language: '=cmd()' }).where('external_id', '=', 'P6').execute();
      const evil = await get('/api/v1/reports/contact-center?from=2026-03-01&to=2026-03-31&format=csv', 'admin');
      assert.ok(evil.body.includes("\r\ncalls.byLanguage,'=cmd(),1\r\n"), evil.body);
      assert.ok(!/(^|[\r\n,])=cmd/.test(evil.body));
      await t.deps.database.db.updateTable('contacts').set({ language: 'en' }).where('external_id', '=', 'P6').execute();
    });

    const page = (url: string, key?: string) => t.app.inject({ method: 'GET', url, headers: key ? { cookie: `sb_session=${people[key]!.token}` } : {} });

    test('the page: the period, the key figures, an accessible SVG chart beside a table with the same numbers for each breakdown; in Spanish too', async () => {
      const res = await page('/reports/contact-center?from=2026-03-01&to=2026-03-31&lang=en', 'supervisor');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.body;
      assert.ok(body.includes('<h1>Contact center report</h1>'));
      assert.ok(body.includes('March 1, 2026 to March 31, 2026'));
      assert.match(body, /<tr data-figure="calls"><th scope="row">Calls<\/th><td class="text-right">13<\/td><\/tr>/);
      assert.match(body, /<tr data-figure="escalations"><th scope="row">[^<]+<\/th><td class="text-right">4 \(30\.8% of calls\)<\/td>/);
      assert.match(body, /<tr data-figure="median"><th scope="row">[^<]+<\/th><td class="text-right">5 business days<\/td>/);
      assert.match(body, /<tr data-figure="onTimeShare"><th scope="row">[^<]+<\/th><td class="text-right">75%<\/td>/);
      const charts = [...body.matchAll(/<svg [^>]*role="img" aria-labelledby="([\w-]+)-title \1-desc"[^>]*>/g)].map((m) => m[1]);
      assert.deepEqual(charts, ['calls-tier', 'calls-language', 'callbacks', 'requests-type', 'requests-office', 'feedback']);
      assert.ok(body.includes('<title id="calls-tier-title">Calls by tier</title><desc id="calls-tier-desc">13 calls by tier: Tier 1: 10; Tier 2: 3.</desc>'));
      assert.ok(body.includes('<desc id="callbacks-desc">4 callbacks promised: On time: 1; Late: 2; Missed: 1; Not yet due: 0.</desc>'));
      const callbacks = body.slice(body.indexOf('data-chart="callbacks"'), body.indexOf('data-chart="requests-type"'));
      for (const [label, n] of [['On time', 1], ['Late', 2], ['Missed', 1], ['Not yet due', 0]]) assert.ok(callbacks.includes(`<tr><th scope="row">${label}</th><td class="text-right">${n}</td></tr>`), `${label} in the table`);
      assert.ok(body.includes('<tr><th scope="row">Vermont Service Center (VSC)</th><td class="text-right">5</td></tr>'));
      assert.ok(!/<script/.test(body.slice(body.indexOf('<main'), body.indexOf('</main>'))), 'no script in the page');
      assert.ok(!/ style="/.test(body), 'no inline styles (the CSP forbids them)');
      assert.ok(body.includes('href="/reports/contact-center?from=2026-03-01&amp;to=2026-03-31&amp;format=csv"'));
      const es = await page('/reports/contact-center?fiscalYear=2026&lang=es', 'ombudsman');
      assert.equal(es.statusCode, 200);
      assert.ok(es.body.includes('Año fiscal 2026: Del 1 de octubre de 2025 al 30 de septiembre de 2026'));
      assert.ok(es.body.includes('<title id="calls-language-title">Llamadas por idioma</title><desc id="calls-language-desc">16 llamadas por idioma: Inglés: 13; Español: 3.</desc>'));
      assert.ok(es.body.includes('<option value="2026" selected>Año fiscal 2026</option>'));
      const csv = await page('/reports/contact-center?fiscalYear=2026&format=csv', 'admin');
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.ok(csv.body.includes('\r\ncalls.total,,16\r\n'));
    });

    test('the page: sign-in first; 403 for roles without reports; a bad period is said on the page (400) with the form', async () => {
      const anon = await page('/reports/contact-center');
      assert.equal(anon.statusCode, 302);
      assert.match(String(anon.headers.location), /^\/sign-in\?next=/);
      for (const who of ['tier1', 'vsc']) assert.equal((await page('/reports/contact-center', who)).statusCode, 403);
      const bad = await page('/reports/contact-center?from=2026-04-01&to=2026-03-01&lang=en', 'supervisor');
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.body.includes('id="report-problem"') && bad.body.includes('Check the first day'));
      assert.ok(bad.body.includes('id="report-from" name="from" type="date" value="2026-04-01"'), 'what was typed is kept');
      const home = await page('/staff', 'ombudsman');
      assert.ok(home.body.includes('href="/reports/contact-center"'), 'linked from the staff home');
      assert.ok(!(await page('/staff', 'tier1')).body.includes('href="/reports/contact-center"'));
    });

    test('403 for Tier 1, Tier 2 and office staff; 401 without a token; 400 naming a bad period', async () => {
      for (const who of ['tier1', 'tier2', 'vsc']) {
        const res = await get('/api/v1/reports/contact-center?from=2026-03-01&to=2026-03-31', who);
        assert.equal(res.statusCode, 403, who);
        assert.equal(problem(res).code, 'forbidden');
        assert.equal((await get('/api/v1/reports/contact-center?format=csv', who)).statusCode, 403);
      }
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/reports/contact-center' })).statusCode, 401);
      const bad = await get('/api/v1/reports/contact-center?from=2026-13-01&to=yesterday', 'supervisor');
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problem(bad).errors!.map((e) => e.field).sort(), ['from', 'to']);
      assert.equal((await get('/api/v1/reports/contact-center?from=2026-04-01&to=2026-03-01', 'supervisor')).statusCode, 400);
      assert.equal((await get('/api/v1/reports/contact-center?fiscalYear=26', 'supervisor')).statusCode, 400);
      assert.equal((await get('/api/v1/reports/contact-center?fiscalYear=2026&from=2026-03-01', 'supervisor')).statusCode, 400);
    });
  });
}
