/**
 * Ombudsman case assistance requests (DHS Form 7001; CONTRACT.md section 11) through the HTTP API, on SQLite and
 * PostgreSQL: intake with Idempotency-Key, every advice code with data that triggers it and data that does not,
 * priorActionVerified true and false, the consent rule, bad bodies naming fields; the analyst queue's order and
 * service-target dates, 403 for other staff; the detail with cited referrals and calls checked; assignment,
 * notes, the status flow and the closing letter in the outbox; reads audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/processing-time.ts';
import { newReferralNumber } from '../../src/domain/referral-number.ts';

const URL = '/api/v1/ombudsman/case-assistance';
const REASONS = 'My I-130 has been pending for three years and nobody can tell me why.';
const DAY = 86_400_000;

for (const kind of databaseKinds()) {
  describe(`Ombudsman case assistance [${kind}]`, () => {
    let t: TestApp;
    let tier1: { token: string; agentId: string };
    let ombudsman: { token: string; id: string };
    let analyst2: { token: string; id: string };
    let supervisor: string;
    let today: string;

    before(async () => {
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '10000' } });
      tier1 = await t.signIn('tier1');
      ombudsman = await t.signIn('ombudsman');
      analyst2 = await t.signIn('ombudsman');
      supervisor = (await t.signIn('supervisor')).token;
      today = todayIn(t.deps.agency.timeZone);
    });
    after(() => t.close());

    const load = async (overrides: Record<string, unknown> = {}) => {
      const record = caseRecord(overrides);
      const r = await t.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return record.receiptNumber as string;
    };
    /** An old case, outside normal processing time (received in January 2025). */
    const oldCase = () => load();
    /** A case received five days ago: within normal processing time. */
    const newCase = () => load({ receivedDate: addDays(today, -5), history: [{ date: addDays(today, -5), status: 'case-was-received' }], notices: [] });
    const serviceRequest = async (receiptNumber: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/service-requests', headers: bearer(tier1.token), payload: { receiptNumber, type: 'other', details: 'The caller asks why nothing happened on the case for a year.' } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { referralNumber: string; dueDate: string };
    };
    const body = (receiptNumber: string, extra: Record<string, unknown> = {}) => ({
      requester: { name: 'Ana Pérez', email: 'ana@example.org' },
      cases: [{ receiptNumber, formType: 'I-130' }],
      priorActions: [{ date: addDays(today, -10), kind: 'call' }],
      reasons: REASONS,
      ...extra,
    });
    const submit = (payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: URL, payload: payload as object, headers });
    const submitted = async (payload: unknown) => {
      const res = await submit(payload);
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { requestNumber: string; eligibility: { priorActionVerified: boolean; advice: string[] } };
    };
    const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
    const post = (url: string, token: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, payload, headers: bearer(token) });

    test('public intake: 201 with the request number and eligibility; no advice for a clean request; stored and audited; Idempotency-Key replays', async () => {
      const rn = await oldCase();
      const sr = await serviceRequest(rn);
      await t.deps.database.db.updateTable('service_requests').set({ due_date: addDays(today, -3) }).where('referral_number', '=', sr.referralNumber).execute();
      const payload = body(rn, { priorActions: [{ date: addDays(today, -10), kind: 'service-request', referralNumber: sr.referralNumber }] });
      const res = await submit(payload, { 'idempotency-key': `ca-${kind}-1` });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json();
      assert.deepEqual(Object.keys(created).sort(), ['eligibility', 'requestNumber']);
      assert.match(created.requestNumber, /^CA\d{9}$/);
      assert.deepEqual(created.eligibility, { priorActionVerified: true, advice: [] }, 'past due, outside processing time, recent contact, within remit');
      const again = await submit(payload, { 'idempotency-key': `ca-${kind}-1` });
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().requestNumber, created.requestNumber);
      const rows = await t.deps.database.db.selectFrom('case_assistance_requests').select(['status', 'requester']).where('request_number', '=', created.requestNumber).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.status, 'received');
      assert.equal(JSON.parse(rows[0]!.requester).name, 'Ana Pérez');
      const audit = await t.deps.database.db.selectFrom('audit_log').selectAll().where('subject', '=', `case-assistance:${created.requestNumber}`).execute();
      assert.deepEqual(audit.map((a) => a.action), ['case-assistance-submit']);
      assert.doesNotMatch(JSON.stringify(audit), /Ana|ana@example|pending for three years/, 'no PII in the audit trail');
      assert.equal((await submit({ ...payload, reasons: `${REASONS} Changed.` }, { 'idempotency-key': `ca-${kind}-1` })).statusCode, 422);
    });

    test('priorActionVerified: true only for a referral number that exists and belongs to a cited case', async () => {
      const mine = await oldCase();
      const other = await oldCase();
      const srOther = await serviceRequest(other);
      const unknown = await submitted(body(mine, { priorActions: [{ date: addDays(today, -10), kind: 'service-request', referralNumber: newReferralNumber() }] }));
      assert.equal(unknown.eligibility.priorActionVerified, false, 'no such request');
      const foreign = await submitted(body(mine, { priorActions: [{ date: addDays(today, -10), kind: 'service-request', referralNumber: srOther.referralNumber }] }));
      assert.equal(foreign.eligibility.priorActionVerified, false, 'another case\'s request');
      assert.equal(foreign.eligibility.advice.includes('wait-for-agency'), false, 'another case\'s request gives no advice');
      const none = await submitted(body(mine));
      assert.equal(none.eligibility.priorActionVerified, false, 'no referral number cited');
    });

    test('wait-for-agency: a cited request not yet due; not for one past due or answered', async () => {
      const rn = await oldCase();
      const sr = await serviceRequest(rn);
      assert.ok(sr.dueDate > today);
      const cite = { date: addDays(today, -1), kind: 'service-request', referralNumber: sr.referralNumber };
      const waiting = await submitted(body(rn, { priorActions: [cite] }));
      assert.deepEqual(waiting.eligibility, { priorActionVerified: true, advice: ['wait-for-agency'] });
      await t.deps.database.db.updateTable('service_requests').set({ due_date: today }).where('referral_number', '=', sr.referralNumber).execute();
      assert.deepEqual((await submitted(body(rn, { priorActions: [cite] }))).eligibility.advice, [], 'due today is not "not yet due"');
      const rn2 = await oldCase();
      const sr2 = await serviceRequest(rn2);
      await t.deps.database.db.updateTable('service_requests').set({ status: 'answered', active: 0, open_slot: null }).where('referral_number', '=', sr2.referralNumber).execute();
      assert.deepEqual((await submitted(body(rn2, { priorActions: [{ ...cite, referralNumber: sr2.referralNumber }] }))).eligibility.advice, [], 'answered');
    });

    test('within-processing-time: a cited case not yet outside normal processing time; not for an old case or one not loaded', async () => {
      const young = await newCase();
      const old = await oldCase();
      assert.deepEqual((await submitted(body(young))).eligibility.advice, ['within-processing-time']);
      assert.deepEqual((await submitted(body(old))).eligibility.advice, []);
      const both = await submitted({ ...body(old), cases: [{ receiptNumber: old, formType: 'I-130' }, { receiptNumber: young, formType: 'I-130' }] });
      assert.deepEqual(both.eligibility.advice, ['within-processing-time']);
      assert.deepEqual((await submitted(body('EAC2599999999'))).eligibility.advice, [], 'a case Switchboard does not hold');
    });

    test('contact-agency-first: no prior action, or none in the last 90 days; not with one 90 days ago or less', async () => {
      const rn = await oldCase();
      assert.deepEqual((await submitted(body(rn, { priorActions: [] }))).eligibility.advice, ['contact-agency-first']);
      const { priorActions: _unused, ...without } = body(rn);
      assert.deepEqual((await submitted(without)).eligibility.advice, ['contact-agency-first'], 'priorActions left out');
      assert.deepEqual((await submitted(body(rn, { priorActions: [{ date: addDays(today, -91), kind: 'letter' }] }))).eligibility.advice, ['contact-agency-first']);
      assert.deepEqual((await submitted(body(rn, { priorActions: [{ date: addDays(today, -90), kind: 'letter' }] }))).eligibility.advice, []);
    });

    test('outside-ombudsman-remit: legal advice or another agency, in English or Spanish; not for words that merely contain them', async () => {
      const rn = await oldCase();
      for (const reasons of ['I need legal advice: should I appeal the denial?', 'The consulate in Bogotá has not scheduled the interview.', 'Necesito un abogado para mi caso de asilo.', 'El Departamento de Estado no contesta.']) {
        assert.deepEqual((await submitted(body(rn, { reasons }))).eligibility.advice, ['outside-ombudsman-remit'], reasons);
      }
      for (const reasons of ['I never got the notice; the price of a new filing is too high.', 'My fingerprints were taken twice and the case is still pending.']) {
        assert.deepEqual((await submitted(body(rn, { reasons }))).eligibility.advice, [], reasons);
      }
    });

    test('advice never refuses: every code at once still answers 201', async () => {
      const young = await newCase();
      const sr = await serviceRequest(young).catch(() => null);
      const cites = sr ? [{ date: addDays(today, -200), kind: 'service-request', referralNumber: sr.referralNumber }] : [];
      const res = await submitted(body(young, { priorActions: cites, reasons: 'Please give me legal advice about the consulate.' }));
      assert.deepEqual(res.eligibility.advice, sr ? ['wait-for-agency', 'within-processing-time', 'contact-agency-first', 'outside-ombudsman-remit'] : ['within-processing-time', 'contact-agency-first', 'outside-ombudsman-remit']);
    });

    test('filing for someone else needs consent or a G-28 (400 naming consent); the applicant themself does not', async () => {
      const rn = await oldCase();
      const forOther = body(rn, { requester: { name: 'Luis Gómez' }, applicant: { name: 'Ana Pérez', dateOfBirth: '1990-03-02' } });
      const refused = await submit(forOther);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(problem(refused).code, 'invalid-request');
      assert.deepEqual(problem(refused).errors!.map((e) => e.field), ['consent']);
      assert.equal((await submit({ ...forOther, consent: false })).statusCode, 400);
      await submitted({ ...forOther, consent: true });
      await submitted({ ...forOther, g28OnFile: true });
      await submitted(body(rn, { requester: { name: 'ANA PEREZ' }, applicant: { name: 'Ana Pérez' } }));
    });

    test('a bad body: 400 naming each bad field, never echoing a bad receipt number', async () => {
      const res = await submit({
        requester: { name: '', email: 'nope' }, cases: [{ receiptNumber: 'XYZ123SECRET', formType: 'I-999' }],
        priorActions: [{ date: '2099-01-01', kind: 'pigeon', referralNumber: '123' }], reasons: 'short',
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(problem(res).errors!.map((e) => e.field).sort(), [
        'cases.0.formType', 'cases.0.receiptNumber', 'priorActions.0.date', 'priorActions.0.kind', 'priorActions.0.referralNumber', 'reasons', 'requester.email', 'requester.name',
      ]);
      assert.doesNotMatch(res.body, /XYZ123SECRET/);
      const empty = await submit({});
      assert.equal(empty.statusCode, 400);
      assert.deepEqual(problem(empty).errors!.map((e) => e.field).sort(), ['cases', 'reasons', 'requester']);
    });

    test('the analyst queue: oldest first, review-by 30 days and act-by 90 days after receipt; Ombudsman only', async () => {
      const rn = await oldCase();
      const idem = (n: number) => ({ key: null, scope: `test:${n}`, requestHash: String(n) });
      const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
      const made: string[] = [];
      for (const [i, daysAgo] of [[1, 20], [2, 40], [3, 2]] as const) {
        const a = await t.deps.caseAssistance.withClock(() => at(daysAgo)).submit({ kind: 'anonymous' }, body(rn, { priorActions: [{ date: addDays(today, -50), kind: 'call' }] }), idem(i));
        made.push(JSON.parse(a.body).requestNumber as string);
      }
      const res = await get(`${URL}?pageSize=200`, ombudsman.token);
      assert.equal(res.statusCode, 200, res.body);
      const list = res.json();
      assert.deepEqual(Object.keys(list).sort(), ['items', 'page', 'pageSize', 'total']);
      const created = list.items.map((i: { createdAt: string }) => i.createdAt);
      assert.deepEqual(created, [...created].sort(), 'oldest first');
      const mine = list.items.filter((i: { requestNumber: string }) => made.includes(i.requestNumber));
      assert.deepEqual(mine.map((i: { requestNumber: string }) => i.requestNumber), [made[1], made[0], made[2]]);
      const forty = mine[0];
      const createdDate = todayIn(t.deps.agency.timeZone, at(40));
      assert.equal(forty.reviewBy, addDays(createdDate, 30));
      assert.equal(forty.actBy, addDays(createdDate, 90));
      assert.equal(forty.status, 'received');
      assert.equal(forty.assignedTo, null);
      assert.equal((await get(`${URL}?status=in-review&pageSize=200`, ombudsman.token)).json().items.some((i: { requestNumber: string }) => made.includes(i.requestNumber)), false);
      assert.equal((await get(`${URL}?status=bogus`, ombudsman.token)).statusCode, 400);
      for (const token of [tier1.token, supervisor]) {
        const denied = await get(URL, token);
        assert.equal(denied.statusCode, 403);
        assert.equal((await get(`${URL}/${made[0]}`, token)).statusCode, 403);
      }
      assert.equal((await get(URL)).statusCode, 401);
    });

    test('the detail: cited referral numbers and call references checked against what Switchboard holds; read audited', async () => {
      const rn = await oldCase();
      const sr = await serviceRequest(rn);
      const opened = await post('/api/v1/contacts', tier1.token, { channel: 'phone', callerPhone: '2125550111', language: 'en' });
      assert.equal(opened.statusCode, 201, opened.body);
      const reference = opened.json().reference as string;
      const missing = newReferralNumber();
      const { requestNumber } = await submitted(body(rn, {
        applicant: { name: 'Ana Pérez', aNumber: 'A012345678' },
        priorActions: [
          { date: addDays(today, -2), kind: 'service-request', referralNumber: sr.referralNumber },
          { date: addDays(today, -3), kind: 'call', callReference: reference },
          { date: addDays(today, -4), kind: 'service-request', referralNumber: missing },
          { date: addDays(today, -5), kind: 'call', callReference: '999999999999' },
        ],
      }));
      const res = await get(`${URL}/${requestNumber}`, ombudsman.token);
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json();
      assert.equal(d.applicant.aNumber, 'A*****5678', 'masked');
      assert.equal(d.reasons, REASONS);
      const [a, b, c, e] = d.priorActions;
      assert.deepEqual({ found: a.referral.found, belongs: a.referral.belongsToCitedCase, status: a.referral.status, due: a.referral.dueDate }, { found: true, belongs: true, status: 'open', due: sr.dueDate });
      assert.deepEqual(a.referral.history.map((h: { action: string }) => h.action), ['created']);
      assert.equal(b.call.found, true);
      assert.equal(b.call.agentId, tier1.agentId);
      assert.match(b.call.startedAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.deepEqual(c.referral, { referralNumber: missing, found: false, belongsToCitedCase: false });
      assert.deepEqual(e.call, { reference: '999999999999', found: false, aboutCitedCase: false });
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'purpose']).where('subject', '=', `case-assistance:${requestNumber}`).orderBy('seq').execute();
      assert.deepEqual(audit.map((x) => x.action), ['case-assistance-submit', 'case-assistance-read']);
      assert.equal((await get(`${URL}/CA000000000`, ombudsman.token)).statusCode, 404);
    });

    test('analyst actions: assign, notes, received → in-review → agency-asked → answered → closed, each audited; the closing letter in the outbox', async () => {
      const rn = await oldCase();
      const { requestNumber } = await submitted(body(rn));
      const at = `${URL}/${requestNumber}`;
      assert.equal((await post(`${at}/assign`, ombudsman.token, { userId: tier1.agentId })).statusCode, 400, 'not an analyst');
      const assigned = await post(`${at}/assign`, ombudsman.token, { userId: analyst2.id });
      assert.equal(assigned.statusCode, 200, assigned.body);
      assert.equal(assigned.json().assignedTo.id, analyst2.id);
      const noted = await post(`${at}/notes`, analyst2.token, { text: 'Called the applicant; the office has the file.' });
      assert.equal(noted.statusCode, 200, noted.body);
      assert.equal((await post(`${at}/status`, analyst2.token, { status: 'answered' })).statusCode, 409, 'received cannot jump to answered');
      for (const status of ['in-review', 'agency-asked', 'answered']) {
        const r = await post(`${at}/status`, analyst2.token, { status });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().status, status);
      }
      const noOutcome = await post(`${at}/status`, analyst2.token, { status: 'closed' });
      assert.equal(noOutcome.statusCode, 400);
      assert.equal(problem(noOutcome).errors![0]!.field, 'outcome');
      const closed = await post(`${at}/status`, analyst2.token, { status: 'closed', outcome: 'The office reopened the case and scheduled the interview.' });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal(closed.json().status, 'closed');
      assert.ok(closed.json().closedAt);
      assert.deepEqual(closed.json().history.map((h: { action: string }) => h.action), ['received', 'assigned', 'note', 'status', 'status', 'status', 'status']);
      const mail = await t.deps.database.db.selectFrom('outbox').selectAll().where('subject_ref', '=', requestNumber).execute();
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.to_address, 'ana@example.org');
      assert.equal(mail[0]!.template, 'ombudsman-case-assistance-closed');
      assert.match(mail[0]!.body_text, /scheduled the interview/);
      assert.equal((await post(`${at}/status`, analyst2.token, { status: 'in-review' })).statusCode, 409, 'closed is final');
      assert.equal((await post(`${at}/notes`, tier1.token, { text: 'not mine' })).statusCode, 403);
      const audit = await t.deps.database.db.selectFrom('audit_log').select('action').where('subject', '=', `case-assistance:${requestNumber}`).orderBy('seq').execute();
      assert.deepEqual(audit.map((x) => x.action), ['case-assistance-submit', 'case-assistance-assign', 'case-assistance-note', 'case-assistance-status', 'case-assistance-status', 'case-assistance-status', 'case-assistance-status']);
    });
  });
}
