/**
 * Case details and notices (CONTRACT.md section 9) through the HTTP API, on SQLite and PostgreSQL: who may read a
 * case (every role), audited reads with their purpose and audited denials, the full A-number and RFEs without
 * their text, the RFE for the holding office only, Tier 2's notice re-issue request into the office's queue, the
 * duplicate notice the office issues, the public status showing it, and a feed re-send keeping it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { CaseDetailsService } from '../../src/case-details/service.ts';

const REASON = 'The caller moved and never received the receipt notice.';
const RFE_TEXT = 'Submit evidence of the bona fide marriage: joint lease, bank statements.';

for (const kind of databaseKinds()) {
  describe(`case details and notices [${kind}]`, () => {
    let t: TestApp;
    let tier1: { token: string; id: string };
    let tier2: { token: string; id: string };
    let vsc: { token: string; id: string };
    let csc: { token: string; id: string };
    let supervisor: { token: string; id: string };
    let ombudsman: { token: string; id: string };
    let admin: { token: string; id: string };

    before(async () => {
      t = await startTestApp(kind);
      tier1 = await t.signIn('tier1');
      tier2 = await t.signIn('tier2');
      vsc = await t.signIn('office', { office: 'VSC' });
      csc = await t.signIn('office', { office: 'CSC' });
      supervisor = await t.signIn('supervisor');
      ombudsman = await t.signIn('ombudsman');
      admin = await t.signIn('admin');
    });
    after(() => t.close());

    const load = async (...records: Array<Record<string, unknown>>) => {
      const r = await t.deps.feed.import((async function* () { let line = 0; for (const value of records) yield { line: ++line, value }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return records;
    };
    const newCase = async (overrides: Record<string, unknown> = {}) => (await load(caseRecord({
      rfes: [{ id: 'RFE1', date: '2025-05-02', text: RFE_TEXT }],
      history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-05-02', status: 'request-for-evidence-was-sent' }],
      ...overrides,
    })))[0]! as { receiptNumber: string } & Record<string, unknown>;
    const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
    const post = (url: string, token: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload, headers: { ...bearer(token), ...headers } });
    const auditOf = (receipt: string) => t.deps.database.db.selectFrom('audit_log').select(['actor', 'action', 'outcome', 'purpose', 'detail'])
      .where('subject', '=', `case:${receipt}`).orderBy('seq').execute();
    const reissue = (rn: string, body: Record<string, unknown> = { noticeId: 'N1', reason: REASON }, token = tier2.token, headers: Record<string, string> = {}) =>
      post(`/api/v1/cases/${rn}/notice-reissue-requests`, token, body, headers);
    const issue = (rn: string, body: Record<string, unknown> = { type: 'duplicate', noticeId: 'N1' }, token = vsc.token, headers: Record<string, string> = {}) =>
      post(`/api/v1/cases/${rn}/notices`, token, body, headers);

    test('the whole case for Tier 2: full A-number, merged history, notices, RFEs without text, timeline, actions; the read audited with its purpose', async () => {
      const c = await newCase({ applicant: { ...(caseRecord().applicant as object), aNumber: 'A12345678', military: true } });
      const res = await get(`/api/v1/cases/${c.receiptNumber.toLowerCase()}?purpose=contact-42`, tier2.token);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.receiptNumber, c.receiptNumber);
      assert.equal(body.formType, 'I-130');
      assert.equal(body.office, 'VSC');
      assert.equal(body.applicant.name, 'Ana Pérez');
      assert.equal(body.applicant.aNumber, 'A012345678', 'the A-number in full, 9 digits');
      assert.equal(body.military, true);
      assert.equal(body.protectedCategory, null);
      assert.equal(body.priorityDate, '2025-01-14');
      assert.deepEqual(body.representative, { name: 'J. Lee', g28OnFile: true });
      assert.equal(body.status, 'request-for-evidence-was-sent');
      assert.deepEqual(body.history.map((h: { status: string; source: string }) => [h.status, h.source]), [['case-was-received', 'feed'], ['request-for-evidence-was-sent', 'feed']]);
      assert.deepEqual(body.notices, [{ id: 'N1', type: 'receipt', date: '2025-01-16', of: null, source: 'feed' }]);
      assert.deepEqual(body.rfes, [{ id: 'RFE1', date: '2025-05-02' }]);
      assert.ok(!res.body.includes('bona fide'), 'no RFE text anywhere in the case view');
      assert.deepEqual(body.timeline.map((e: { kind: string; ref: string }) => `${e.kind}:${e.ref}`),
        ['status:request-for-evidence-was-sent', 'rfe:RFE1', 'notice:N1', 'status:case-was-received'], 'newest first');
      assert.deepEqual(body.actions, ['create-service-request', 'request-notice-reissue']);
      const audit = await auditOf(c.receiptNumber);
      assert.deepEqual(audit.map((a) => [a.actor, a.action, a.outcome, a.purpose]), [[`staff:${tier2.id}`, 'case-read', 'allowed', 'contact-42']]);
      // And through the contract's audit endpoint.
      const listed = await get(`/api/v1/audit?subject=case:${c.receiptNumber}`, admin.token);
      assert.equal(listed.statusCode, 200, listed.body);
      assert.equal(listed.json().items[0].purpose, 'contact-42');
    });

    test('supervisor, Ombudsman and the holding office read the case (200); the office is offered the office actions', async () => {
      const c = await newCase();
      for (const [who, actions] of [[supervisor, []], [ombudsman, []], [vsc, ['issue-duplicate-notice', 'view-rfe']]] as const) {
        const res = await get(`/api/v1/cases/${c.receiptNumber}`, who.token);
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json().actions, actions);
      }
      const audit = await auditOf(c.receiptNumber);
      assert.deepEqual(audit.map((a) => [a.actor, a.outcome, a.purpose]), [[`staff:${supervisor.id}`, 'allowed', null], [`staff:${ombudsman.id}`, 'allowed', null], [`staff:${vsc.id}`, 'allowed', null]]);
    });

    test('Tier 1 and admin: 403 forbidden (Tier 1\'s names its prohibition); the denial is audited with the case', async () => {
      const c = await newCase();
      const t1 = await get(`/api/v1/cases/${c.receiptNumber}?purpose=contact-7`, tier1.token);
      assert.equal(t1.statusCode, 403);
      assert.equal(t1.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(problem(t1).code, 'forbidden');
      assert.equal(t1.json().prohibition, 'case-questions-beyond-status-online');
      assert.match(problem(t1).detail, /Case Status Online/);
      const ad = await get(`/api/v1/cases/${c.receiptNumber}`, admin.token);
      assert.equal(ad.statusCode, 403);
      assert.equal(ad.json().prohibition, undefined);
      assert.ok(!ad.body.includes('Ana'), 'nothing of the case in a denial');
      const audit = await auditOf(c.receiptNumber);
      assert.deepEqual(audit.map((a) => [a.actor, a.action, a.outcome, a.purpose]), [
        [`staff:${tier1.id}`, 'case-read', 'denied', 'contact-7'], [`staff:${admin.id}`, 'case-read', 'denied', null],
      ]);
      // Audited once each: the error handler does not write a second, subject-less entry.
      const all = await t.deps.database.db.selectFrom('audit_log').select('actor').where('outcome', '=', 'denied').where('actor', '=', `staff:${tier1.id}`).execute();
      assert.equal(all.length, 1);
    });

    test('office staff of another office: 404 not-found exactly like an unknown receipt number; the denial is audited', async () => {
      const c = await newCase();
      const elsewhere = await get(`/api/v1/cases/${c.receiptNumber}`, csc.token);
      const unknown = await get('/api/v1/cases/EAC2599999999', csc.token);
      assert.equal(elsewhere.statusCode, 404);
      assert.equal(unknown.statusCode, 404);
      const strip = (b: Record<string, unknown>) => ({ ...b, traceId: undefined });
      assert.deepEqual(strip(elsewhere.json()), strip(unknown.json()));
      assert.deepEqual((await auditOf(c.receiptNumber)).map((a) => [a.actor, a.outcome]), [[`staff:${csc.id}`, 'denied']]);
    });

    test('errors are problem+json: a bad receipt number 400 invalid-receipt-number (not echoed), no token 401', async () => {
      const bad = await get('/api/v1/cases/EAC12<script>', tier2.token);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(problem(bad).code, 'invalid-receipt-number');
      assert.ok(!bad.body.includes('script'));
      const anon = await get('/api/v1/cases/EAC2599999999');
      assert.equal(anon.statusCode, 401);
      assert.equal(problem(anon).code, 'unauthenticated');
    });

    test('an RFE with its text for the holding office (audited); Tier 2 403 naming review-issued-rfes; others 403; another office 404', async () => {
      const c = await newCase();
      const url = `/api/v1/cases/${c.receiptNumber}/rfes/RFE1`;
      const ok = await get(`${url}?purpose=sr-1`, vsc.token);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json(), { receiptNumber: c.receiptNumber, id: 'RFE1', date: '2025-05-02', text: RFE_TEXT });
      const t2 = await get(url, tier2.token);
      assert.equal(t2.statusCode, 403);
      assert.equal(t2.json().prohibition, 'review-issued-rfes');
      for (const who of [tier1, supervisor, ombudsman, admin]) assert.equal((await get(url, who.token)).statusCode, 403);
      assert.equal((await get(url, csc.token)).statusCode, 404);
      assert.equal((await get(`/api/v1/cases/${c.receiptNumber}/rfes/RFE9`, vsc.token)).statusCode, 404);
      const audit = await auditOf(c.receiptNumber);
      assert.deepEqual(audit.filter((a) => a.outcome === 'allowed').map((a) => [a.action, a.purpose]), [['rfe-read', 'sr-1']]);
      assert.equal(audit.filter((a) => a.outcome === 'denied').length, 6);
    });

    test('the reissue → office queue → duplicate issued → status shows Duplicate Notice Was Mailed → a feed re-send keeps it', async () => {
      const record = await newCase();
      const rn = record.receiptNumber;
      // Made on a call the officer has open; a call that is not theirs (or none) is 404 and makes nothing.
      const call = (await post('/api/v1/contacts', tier2.token, { channel: 'phone', callerPhone: '2025550143', language: 'en' })).json().id as string;
      assert.equal((await reissue(rn, { noticeId: 'N1', reason: REASON, contactId: 'contact-9' })).statusCode, 404);
      const made = await reissue(rn, { noticeId: 'N1', reason: REASON, contactId: call });
      assert.equal(made.statusCode, 201, made.body);
      const r = made.json();
      assert.deepEqual(Object.keys(r).sort(), ['createdAt', 'id', 'noticeId', 'office', 'receiptNumber', 'status']);
      assert.deepEqual({ ...r, id: undefined, createdAt: undefined }, { id: undefined, createdAt: undefined, receiptNumber: rn, noticeId: 'N1', office: 'VSC', status: 'open' });

      const again = await reissue(rn);
      assert.equal(again.statusCode, 409);
      assert.equal(problem(again).code, 'conflict');
      assert.equal(again.json().existing.id, r.id);

      const queue = await get('/api/v1/offices/VSC/notice-reissue-requests', vsc.token);
      assert.equal(queue.statusCode, 200, queue.body);
      const item = queue.json().items.find((i: { id: string }) => i.id === r.id);
      assert.equal(item.reason, REASON);
      assert.equal(item.status, 'open');
      assert.equal((await get('/api/v1/offices/VSC/notice-reissue-requests', supervisor.token)).statusCode, 200);
      assert.equal((await get('/api/v1/offices/VSC/notice-reissue-requests', csc.token)).statusCode, 403);
      assert.equal((await get('/api/v1/offices/VSC/notice-reissue-requests', tier2.token)).statusCode, 403);
      assert.equal((await get('/api/v1/offices/ZZZ/notice-reissue-requests', supervisor.token)).statusCode, 404);

      const issued = await issue(rn);
      assert.equal(issued.statusCode, 201, issued.body);
      const d = issued.json();
      assert.equal(d.type, 'duplicate');
      assert.equal(d.of, 'N1');
      assert.equal(d.receiptNumber, rn);
      assert.match(d.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.notEqual(d.noticeId, 'N1');

      // The request left the open queue and is listed as done.
      const open = (await get('/api/v1/offices/VSC/notice-reissue-requests?status=open', vsc.token)).json();
      assert.ok(!open.items.some((i: { id: string }) => i.id === r.id));
      const done = (await get('/api/v1/offices/VSC/notice-reissue-requests?status=done', vsc.token)).json();
      assert.equal(done.items.find((i: { id: string }) => i.id === r.id).duplicateNoticeId, d.noticeId);

      const caseStatus = async () => {
        const res = await t.app.inject({ method: 'GET', url: `/case-status/${rn}`, headers: bearer(await t.clientToken(['case-status'])) });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().case_status;
      };
      assert.equal((await caseStatus()).current_case_status_text_en, 'Duplicate Notice Was Mailed');

      const view = async () => (await get(`/api/v1/cases/${rn}`, tier2.token)).json();
      const shown = await view();
      assert.equal(shown.status, 'duplicate-notice-was-mailed');
      assert.deepEqual(shown.history.at(-1), { date: d.date, at: shown.history.at(-1).at, status: 'duplicate-notice-was-mailed', source: 'switchboard' });
      assert.deepEqual(shown.notices.at(-1), { id: d.noticeId, type: 'duplicate', date: d.date, of: 'N1', source: 'switchboard' });
      const kinds = shown.timeline.map((e: { kind: string; ref: string }) => `${e.kind}:${e.ref}`);
      assert.ok(kinds.includes(`notice-reissue-request:${r.id}`));
      assert.ok(kinds.includes(`notice:${d.noticeId}`));
      assert.equal(shown.timeline.find((e: { kind: string }) => e.kind === 'notice-reissue-request').detail.status, 'done');

      // The feed re-sends the case with a change: its own part is replaced, Switchboard's entries stay.
      await load({ ...record, history: [...(record.history as object[]), { date: '2025-06-01', status: 'response-to-rfe-was-received' }] });
      const after = await view();
      assert.ok(after.history.some((h: { status: string }) => h.status === 'response-to-rfe-was-received'));
      assert.ok(after.history.some((h: { status: string; source: string }) => h.status === 'duplicate-notice-was-mailed' && h.source === 'switchboard'));
      assert.ok(after.notices.some((n: { id: string }) => n.id === d.noticeId));
      assert.equal((await caseStatus()).current_case_status_text_en, 'Duplicate Notice Was Mailed');

      // A new request for the same notice is possible once the first is done.
      assert.equal((await reissue(rn)).statusCode, 201);

      const audit = await auditOf(rn);
      assert.deepEqual(audit.filter((a) => a.action !== 'case-read').map((a) => [a.action, a.outcome]), [
        ['notice-reissue-request', 'allowed'], ['duplicate-notice-issue', 'allowed'], ['notice-reissue-request', 'allowed'],
      ]);
      assert.equal(audit.find((a) => a.action === 'notice-reissue-request')!.purpose, call);
    });

    test('when the feed moves a case, its open re-issue request moves to the new office\'s queue; the new office issues it', async () => {
      const record = await newCase();
      const rn = record.receiptNumber;
      const made = await reissue(rn);
      assert.equal(made.statusCode, 201, made.body);
      const inQueue = async (office: string, token: string) =>
        (await get(`/api/v1/offices/${office}/notice-reissue-requests`, token)).json().items.some((i: { id: string }) => i.id === made.json().id);
      assert.equal(await inQueue('VSC', vsc.token), true);
      await load({ ...record, office: 'CSC' });
      assert.equal(await inQueue('VSC', vsc.token), false);
      assert.equal(await inQueue('CSC', csc.token), true);
      assert.equal((await issue(rn, undefined, vsc.token)).statusCode, 404);
      assert.equal((await issue(rn, undefined, csc.token)).statusCode, 201);
      assert.equal(await inQueue('CSC', csc.token), false);
      const audit = await auditOf(rn);
      assert.ok(audit.some((a) => a.action === 'notice-reissue-move-with-case' && JSON.parse(a.detail!).to === 'CSC'));
    });

    test('a duplicate notice without a re-issue request; a second duplicate keeps the first (both in the history)', async () => {
      const { receiptNumber: rn } = await newCase();
      assert.equal((await issue(rn)).statusCode, 201);
      assert.equal((await issue(rn)).statusCode, 201);
      const shown = (await get(`/api/v1/cases/${rn}`, vsc.token)).json();
      assert.equal(shown.history.filter((h: { status: string }) => h.status === 'duplicate-notice-was-mailed').length, 2);
      assert.equal(shown.notices.filter((n: { type: string }) => n.type === 'duplicate').length, 2);
    });

    test('concurrent duplicates of one case: every one kept (the local history is appended, never overwritten)', async () => {
      const { receiptNumber: rn } = await newCase();
      const answers = await Promise.all(Array.from({ length: 5 }, () => issue(rn)));
      assert.deepEqual(answers.map((a) => a.statusCode), [201, 201, 201, 201, 201]);
      const shown = (await get(`/api/v1/cases/${rn}`, vsc.token)).json();
      assert.equal(shown.notices.filter((n: { type: string }) => n.type === 'duplicate').length, 5);
    });

    test('racing re-issue requests of one case and notice: exactly one 201, the others 409 with it', async () => {
      const { receiptNumber: rn } = await newCase();
      const answers = await Promise.all(Array.from({ length: 6 }, () => reissue(rn)));
      const created = answers.filter((r) => r.statusCode === 201);
      assert.equal(created.length, 1, answers.map((r) => r.statusCode).join(','));
      for (const r of answers.filter((x) => x.statusCode !== 201)) {
        assert.equal(r.statusCode, 409, r.body);
        assert.equal(r.json().existing.id, created[0]!.json().id);
      }
    });

    test('who may request a re-issue and issue notices: Tier 2 only requests; only the holding office issues', async () => {
      const { receiptNumber: rn } = await newCase();
      const t1 = await reissue(rn, undefined, tier1.token);
      assert.equal(t1.statusCode, 403);
      for (const who of [vsc, supervisor, ombudsman, admin]) assert.equal((await reissue(rn, undefined, who.token)).statusCode, 403);
      const t2 = await issue(rn, undefined, tier2.token);
      assert.equal(t2.statusCode, 403);
      assert.equal(t2.json().prohibition, 'issue-notices-directly');
      assert.match(problem(t2).detail, /Request a re-issued notice/);
      assert.equal((await issue(rn, undefined, tier1.token)).statusCode, 403);
      for (const who of [supervisor, ombudsman, admin]) assert.equal((await issue(rn, undefined, who.token)).statusCode, 403);
      assert.equal((await issue(rn, undefined, csc.token)).statusCode, 404);
      const audit = await auditOf(rn);
      assert.equal(audit.length, 11, "5 refused requests, 6 refused issues");
      assert.ok(audit.every((a) => a.outcome === 'denied'));
      const shown = (await get(`/api/v1/cases/${rn}`, tier2.token)).json();
      assert.ok(!shown.history.some((h: { status: string }) => h.status === 'duplicate-notice-was-mailed'), 'nothing was issued');
    });

    test('bad bodies: unknown notice 422 naming noticeId; reason too short or missing 400; type other than duplicate 400; unknown case 404', async () => {
      const { receiptNumber: rn } = await newCase();
      const unknown = await reissue(rn, { noticeId: 'N9', reason: REASON });
      assert.equal(unknown.statusCode, 422);
      assert.equal(unknown.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(problem(unknown).code, 'unprocessable');
      assert.deepEqual(problem(unknown).errors!.map((e) => e.field), ['noticeId']);
      const short = await reissue(rn, { noticeId: 'N1', reason: 'lost   ' });
      assert.equal(short.statusCode, 400);
      assert.equal(problem(short).code, 'invalid-request');
      assert.deepEqual(problem(short).errors!.map((e) => [e.field, e.code]), [['reason', 'too-short']]);
      const long = await reissue(rn, { noticeId: 'N1', reason: 'x'.repeat(2001) });
      assert.equal(long.statusCode, 400);
      assert.deepEqual(problem(long).errors!.map((e) => e.field), ['reason']);
      const missing = await reissue(rn, { noticeId: 'N1' });
      assert.equal(missing.statusCode, 400);
      assert.ok(problem(missing).errors!.some((e) => e.field === 'reason'));
      const receiptType = await issue(rn, { type: 'receipt', noticeId: 'N1' });
      assert.equal(receiptType.statusCode, 400);
      assert.deepEqual(problem(receiptType).errors!.map((e) => e.field), ['type']);
      const unknownNotice = await issue(rn, { type: 'duplicate', noticeId: 'N9' });
      assert.equal(unknownNotice.statusCode, 422);
      assert.equal((await reissue('EAC2599999998')).statusCode, 404);
      assert.equal((await issue('EAC2599999998')).statusCode, 404);
      assert.equal((await reissue('nonsense')).statusCode, 400);
      const shown = (await get(`/api/v1/cases/${rn}`, tier2.token)).json();
      assert.equal(shown.timeline.filter((e: { kind: string }) => e.kind === 'notice-reissue-request').length, 0, 'nothing was created');
    });

    test('Idempotency-Key: the same request again replays the first answer and creates nothing twice; another body 422', async () => {
      const { receiptNumber: rn } = await newCase();
      const key = { 'idempotency-key': `cd-${rn}` };
      const first = await reissue(rn, undefined, tier2.token, key);
      const second = await reissue(rn, undefined, tier2.token, key);
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(second.statusCode, 201);
      assert.equal(second.body, first.body);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      const other = await reissue(rn, { noticeId: 'N1', reason: `${REASON} Again.` }, tier2.token, key);
      assert.equal(problem(other).code, 'idempotency-key-reused');
      const n1 = await issue(rn, undefined, vsc.token, key);
      const n2 = await issue(rn, undefined, vsc.token, key);
      assert.equal(n1.statusCode, 201);
      assert.equal(n2.body, n1.body);
      const shown = (await get(`/api/v1/cases/${rn}`, vsc.token)).json();
      assert.equal(shown.notices.filter((n: { type: string }) => n.type === 'duplicate').length, 1);
      assert.equal(shown.timeline.filter((e: { kind: string }) => e.kind === 'notice-reissue-request').length, 1);
    });

    test('the timeline lists the case\'s service requests, and entries of added sources (contacts, callbacks) in date order', async () => {
      const { receiptNumber: rn } = await newCase();
      const sr = await post('/api/v1/service-requests', tier2.token, { receiptNumber: rn, type: 'other', details: 'The caller asks why the interview letter never came.' });
      assert.equal(sr.statusCode, 201, sr.body);
      const shown = (await get(`/api/v1/cases/${rn}`, tier2.token)).json();
      const entry = shown.timeline[0];
      assert.equal(entry.kind, 'service-request', 'the newest entry');
      assert.equal(entry.ref, sr.json().referralNumber);
      assert.equal(entry.detail.type, 'other');

      const withContacts = new CaseDetailsService({
        db: t.deps.database.db, audit: t.deps.audit, idempotency: t.deps.idempotency, agency: t.deps.agency,
        timelineSources: [async (receipt) => receipt === rn ? [{ date: '2025-03-01', at: '2025-03-01T15:00:00.000Z', kind: 'contact', ref: 'C1', detail: { channel: 'phone' } }] : []],
      });
      const actor = { kind: 'staff' as const, sessionId: 's', user: { id: tier2.id, email: 'x@agency.test', name: 'T2', role: 'tier2' as const, office: null, agentId: 'A1' } };
      const view = await withContacts.getCase(actor, rn);
      const order = view.timeline.map((e) => `${e.kind}:${e.ref}`);
      assert.deepEqual(order.slice(-5), ['status:request-for-evidence-was-sent', 'rfe:RFE1', 'contact:C1', 'notice:N1', 'status:case-was-received']);
    });
  });
}
