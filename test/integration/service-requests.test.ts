/**
 * Service requests (CONTRACT.md section 10) through the HTTP API, on SQLite and PostgreSQL: creation by the rules
 * file with Idempotency-Key, the duplicate rule, routing and the case feed's moves, the office queue, claim (one
 * winner, also across instances sharing one PostgreSQL database), respond with its mail in the outbox, reopen by
 * the person and by an agent, assign, transfer, the form-letter flag, and the deadline sweep.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/processing-time.ts';
import { ServiceRequestService } from '../../src/service-requests/service.ts';
import { insertRequests, NEAR_END_FROM_OFFSET, type ServiceRequestRow } from '../../src/service-requests/store.ts';

const RESPONSE = 'We reviewed your case today. The officer asked for your file from the other office; expect a decision letter within 30 days.';

for (const kind of databaseKinds()) {
  describe(`service requests [${kind}]`, () => {
    let t: TestApp;
    let tier1: string;
    let tier2: string;
    let office: { token: string; id: string };
    let office2: { token: string; id: string };
    let csc: { token: string; id: string };
    let supervisor: string;
    let admin: string;

    before(async () => {
      t = await startTestApp(kind);
      tier1 = (await t.signIn('tier1')).token;
      tier2 = (await t.signIn('tier2')).token;
      office = await t.signIn('office', { office: 'VSC' });
      office2 = await t.signIn('office', { office: 'VSC' });
      csc = await t.signIn('office', { office: 'CSC' });
      supervisor = (await t.signIn('supervisor')).token;
      admin = (await t.signIn('admin')).token;
    });
    after(() => t.close());

    const load = async (...records: Array<Record<string, unknown>>) => {
      const r = await t.deps.feed.import((async function* () { let line = 0; for (const value of records) yield { line: ++line, value }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
      return records;
    };
    const newCase = async (overrides: Record<string, unknown> = {}) => (await load(caseRecord(overrides)))[0]!;
    const create = (body: Record<string, unknown>, token: string | null = tier1, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/api/v1/service-requests', payload: body, headers: { ...(token ? bearer(token) : {}), ...headers } });
    const post = (url: string, token: string, payload: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url, payload, headers: bearer(token) });
    const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
    const other = (rn: unknown) => ({ receiptNumber: rn, type: 'other', details: 'The caller asks why the interview letter never came.' });
    /** A created request's referral number. */
    const made = async (body: Record<string, unknown>, token: string | null = tier1) => {
      const res = await create(body, token);
      assert.equal(res.statusCode, 201, res.body);
      return res.json().referralNumber as string;
    };
    const calendar = () => t.deps.serviceRequests.rules.calendarFor('VSC');
    const expectedDue = (n: number) => calendar().addBusinessDays(calendar().dateAt(new Date()), n);

    test('Tier 1 creates: 201 with the referral number, the holding office and a due date 15 business days on, audited in the same commit', async () => {
      const c = await newCase();
      const res = await create({ ...other(` ${String(c.receiptNumber).toLowerCase().replace(/^(...)/, '$1-')} `), urgency: 'regular' });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['createdAt', 'dueDate', 'office', 'referralNumber', 'status', 'type']);
      assert.match(body.referralNumber, /^\d{15}$/);
      assert.equal(body.status, 'open');
      assert.equal(body.office, 'VSC');
      assert.equal(body.type, 'other');
      assert.equal(body.dueDate, expectedDue(15));
      const audit = await t.deps.database.db.selectFrom('audit_log').select(['action', 'subject']).where('subject', '=', `service-request:${body.referralNumber}`).execute();
      assert.deepEqual(audit.map((a) => a.action), ['service-request-create']);
      const seen = await get(`/api/v1/service-requests/${body.referralNumber}`, tier2);
      assert.equal(seen.statusCode, 200, seen.body);
      assert.equal(seen.json().receiptNumber, c.receiptNumber);
      assert.deepEqual(seen.json().history.map((h: { action: string }) => h.action), ['created']);
      assert.equal(seen.json().creator, 'tier1');
    });

    test('a typographical error is due in 5 business days; weekends and federal holidays are skipped', async () => {
      const c = await newCase();
      const res = await create({ receiptNumber: c.receiptNumber, type: 'typographical-error', details: 'My name is misspelled on the receipt notice.' }, tier2);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().dueDate, expectedDue(5));
      // Christmas Day 2026 is a Friday; the 5th business day after Monday 2026-12-21 is Tuesday 2026-12-29.
      assert.equal(calendar().addBusinessDays('2026-12-21', 5), '2026-12-29');
    });

    test('one open request per case and type: 409 duplicate-service-request with the existing one; another type is fine', async () => {
      const c = await newCase();
      const first = await create(other(c.receiptNumber));
      const again = await create(other(c.receiptNumber), tier2);
      assert.equal(again.statusCode, 409);
      assert.equal(problem(again).code, 'duplicate-service-request');
      assert.deepEqual(again.json().existing, { referralNumber: first.json().referralNumber, status: 'open', dueDate: first.json().dueDate });
      assert.equal((await create({ receiptNumber: c.receiptNumber, type: 'accommodation', details: 'I use a wheelchair; please move the interview to the ground floor.' })).statusCode, 201);
    });

    test('racing creations of one case and type: exactly one 201, the others 409 with it', async () => {
      const c = await newCase();
      const answers = await Promise.all(Array.from({ length: 6 }, () => create(other(c.receiptNumber))));
      const created = answers.filter((r) => r.statusCode === 201);
      assert.equal(created.length, 1, answers.map((r) => r.statusCode).join(','));
      for (const r of answers.filter((x) => x.statusCode !== 201)) {
        assert.equal(r.statusCode, 409, r.body);
        assert.equal(r.json().existing.referralNumber, created[0]!.json().referralNumber);
      }
    });

    test('outside-normal-processing-time only when the case is outside it: 422 too-early with the earliest inquiry date, else 201', async () => {
      const recent = await newCase({ receivedDate: addDays(todayIn('America/New_York'), -20), history: [{ date: addDays(todayIn('America/New_York'), -20), status: 'case-was-received' }] });
      const early = await create({ receiptNumber: recent.receiptNumber, type: 'outside-normal-processing-time', details: 'It has been a long time.' });
      assert.equal(early.statusCode, 422, early.body);
      assert.equal(problem(early).code, 'too-early');
      assert.match(early.json().earliestInquiryDate, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(early.json().earliestInquiryDate > todayIn('America/New_York'));
      assert.equal(early.json().rule, 'within-normal-processing-time');
      assert.match(early.json().advice.es, /\d/);
      const old = await newCase({ receivedDate: '2022-01-10', history: [{ date: '2022-01-10', status: 'case-was-received' }] });
      assert.equal((await create({ receiptNumber: old.receiptNumber, type: 'outside-normal-processing-time', details: 'Four years and no decision.' })).statusCode, 201);
    });

    test('expedite needs a criterion from the list (400 naming the field); change of address is refused for protected categories (422)', async () => {
      const c = await newCase();
      const none = await create({ receiptNumber: c.receiptNumber, type: 'expedite', details: 'My job offer expires next month.' });
      assert.equal(none.statusCode, 400, none.body);
      assert.equal(problem(none).code, 'invalid-request');
      assert.deepEqual(problem(none).errors?.map((e) => [e.field, e.code]), [['expediteCriterion', 'required']]);
      const bad = await create({ receiptNumber: c.receiptNumber, type: 'expedite', details: 'x', expediteCriterion: 'because' });
      assert.deepEqual(problem(bad).errors?.map((e) => [e.field, e.code]), [['expediteCriterion', 'not-allowed']]);
      const good = await create({ receiptNumber: c.receiptNumber, type: 'expedite', details: 'My job offer expires next month.', expediteCriterion: 'severe-financial-loss', urgency: 'urgent' });
      assert.equal(good.statusCode, 201, good.body);
      const vawa = await newCase({ applicant: { ...(caseRecord().applicant as object), protectedCategory: 'VAWA' } });
      const coa = await create({ receiptNumber: vawa.receiptNumber, type: 'change-of-address', details: 'I moved.', newAddress: '2 Oak St, Austin TX 78702' });
      assert.equal(coa.statusCode, 422, coa.body);
      assert.equal(problem(coa).code, 'unprocessable');
      assert.equal((await create({ receiptNumber: c.receiptNumber, type: 'change-of-address', details: 'I moved.' })).statusCode, 400, 'newAddress is required');
      assert.equal((await create({ receiptNumber: c.receiptNumber, type: 'no-such-kind', details: 'x' })).statusCode, 400);
    });

    test('who may create: tier1 and tier2, or the person with verification; other roles 403, no token 401, a bad receipt number 400', async () => {
      const c = await newCase();
      for (const token of [office.token, supervisor, admin]) {
        const res = await create(other(c.receiptNumber), token);
        assert.equal(res.statusCode, 403, res.body);
      }
      assert.equal((await create(other(c.receiptNumber), null)).statusCode, 401);
      const bad = await create(other('EAC12'));
      assert.equal(bad.statusCode, 400);
      assert.equal(problem(bad).code, 'invalid-receipt-number');
      assert.doesNotMatch(bad.body, /EAC12/);
      assert.equal((await create(other('EAC9999999999'))).statusCode, 404);
    });

    test('the person files online: verified by name and date of birth (404 when they do not match); not for protected categories or agent-only kinds', async () => {
      const c = await newCase();
      const v = { name: 'ana perez', dateOfBirth: '1990-03-02' };
      const wrong = await create({ ...other(c.receiptNumber), type: 'accommodation', verification: { ...v, dateOfBirth: '1990-03-03' } }, null);
      assert.equal(wrong.statusCode, 404);
      assert.equal(problem(wrong).code, 'not-found');
      const unknown = await create({ ...other('EAC9999999998'), type: 'accommodation', verification: v }, null);
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().detail, wrong.json().detail, 'an unknown case and a failed verification read the same');
      const ok = await create({ receiptNumber: c.receiptNumber, type: 'accommodation', details: 'I need a sign language interpreter.', verification: { name: ' ANA  PÉREZ ', dateOfBirth: '1990-03-02' } }, null);
      assert.equal(ok.statusCode, 201, ok.body);
      const seen = await get(`/api/v1/service-requests/${ok.json().referralNumber}`, tier2);
      assert.equal(seen.json().creator, 'public');
      assert.equal((await create({ ...other(c.receiptNumber), verification: v }, null)).statusCode, 403, '"other" is for agents only in the rules file');
      const u = await newCase({ applicant: { ...(caseRecord().applicant as object), protectedCategory: 'U' } });
      const refused = await create({ receiptNumber: u.receiptNumber, type: 'accommodation', details: 'x', verification: v }, null);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().rule, 'online-protected-category');
      assert.match(refused.json().detail, /call/i);
    });

    test('Idempotency-Key: the same body replays the first answer; another body is 422 idempotency-key-reused', async () => {
      const c = await newCase();
      const key = { 'idempotency-key': `k-${c.receiptNumber}` };
      const first = await create(other(c.receiptNumber), tier1, key);
      const replay = await create(other(c.receiptNumber), tier1, key);
      assert.equal(first.statusCode, 201);
      assert.equal(replay.statusCode, 201);
      assert.equal(replay.body, first.body);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      const changed = await create({ ...other(c.receiptNumber), details: 'something else' }, tier1, key);
      assert.equal(changed.statusCode, 422);
      assert.equal(problem(changed).code, 'idempotency-key-reused');
      const n = await t.deps.database.db.selectFrom('service_requests').select((eb) => eb.fn.countAll().as('n')).where('receipt_number', '=', String(c.receiptNumber)).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 1);
    });

    test('the office queue: oldest due first, filters, pagination; for that office\'s staff and supervisors only', async () => {
      const cases = await load(...Array.from({ length: 3 }, () => caseRecord({ office: 'NSC' })));
      const typo = await made({ receiptNumber: cases[0]!.receiptNumber, type: 'typographical-error', details: 'Wrong date of birth on the notice.' });
      const a = await made(other(cases[1]!.receiptNumber));
      const b = await made(other(cases[2]!.receiptNumber));
      const nsc = await t.signIn('office', { office: 'NSC' });
      const queue = await get('/api/v1/offices/NSC/service-requests', nsc.token);
      assert.equal(queue.statusCode, 200, queue.body);
      assert.deepEqual(queue.json().items.map((i: { referralNumber: string }) => i.referralNumber), [typo, a, b], 'due in 5 days first, then first in, first out');
      assert.equal(queue.json().total, 3);
      const page2 = await get('/api/v1/offices/nsc/service-requests?pageSize=2&page=2', supervisor);
      assert.deepEqual(page2.json().items.map((i: { referralNumber: string }) => i.referralNumber), [b]);
      assert.deepEqual([page2.json().page, page2.json().pageSize, page2.json().total], [2, 2, 3]);
      const typos = await get('/api/v1/offices/NSC/service-requests?type=typographical-error', nsc.token);
      assert.deepEqual(typos.json().items.map((i: { referralNumber: string }) => i.referralNumber), [typo]);
      assert.equal((await post(`/api/v1/service-requests/${a}/claim`, nsc.token)).statusCode, 200);
      const mine = await get('/api/v1/offices/NSC/service-requests?claimedBy=me', nsc.token);
      assert.deepEqual(mine.json().items.map((i: { referralNumber: string }) => i.referralNumber), [a]);
      const claimed = await get('/api/v1/offices/NSC/service-requests?status=claimed', nsc.token);
      assert.equal(claimed.json().items[0].claimedBy.id, nsc.id);
      assert.equal((await get('/api/v1/offices/NSC/service-requests', office.token)).statusCode, 403, 'another office\'s staff');
      assert.equal((await get('/api/v1/offices/NSC/service-requests', tier2)).statusCode, 403);
      assert.equal((await get('/api/v1/offices/XYZ/service-requests', supervisor)).statusCode, 404);
      assert.equal((await get('/api/v1/offices/NSC/service-requests?status=bogus', supervisor)).statusCode, 400);
    });

    test('deep pages (read from the nearer end of the queue) hold exactly the rows of the full order, in order', async () => {
      const n = NEAR_END_FROM_OFFSET + 230;
      const now = new Date().toISOString();
      const rows: ServiceRequestRow[] = Array.from({ length: n }, (_, i) => ({
        referral_number: String(100000000000000 + i * 7919 % 99991 * 100 + (i % 100)).padStart(15, '0'), receipt_number: `LIN26${String(10000000 + i)}`,
        type: i % 3 ? 'other' : 'accommodation', status: i % 5 ? 'open' : 'claimed', active: 1, open_slot: `LIN26${String(10000000 + i)} other`, office: 'HOU',
        priority: 'normal', created_at: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00.000Z`, created_date: '2026-11-01',
        // Many ties on the due date and on the creation time, so the tie-breaks are exercised.
        due_date: `2030-12-${String(1 + (i % 20)).padStart(2, '0')}`, creator: 'tier1', created_by: 'system', contact_id: null, lang: 'en', fields: '{}',
        claimed_by: null, claimed_at: null, response: null, answered_by: null, answered_at: null, overdue: 0, overdue_at: null, reopen_count: 0,
        reopened_at: null, closed_at: null, form_letter_flag: 0, updated_at: now,
      }));
      await insertRequests(t.deps.database.db, rows);
      const expected = [...rows].sort((a, b) => a.due_date.localeCompare(b.due_date) || a.created_at.localeCompare(b.created_at) || a.referral_number.localeCompare(b.referral_number)).map((r) => r.referral_number);
      const pageSize = 50;
      const pages = Math.ceil(n / pageSize);
      for (const page of [1, Math.floor(pages / 2), Math.floor(pages / 2) + 1, pages - 1, pages, pages + 1]) {
        const res = await get(`/api/v1/offices/HOU/service-requests?pageSize=${pageSize}&page=${page}`, supervisor);
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().total, n);
        assert.deepEqual(res.json().items.map((i: { referralNumber: string }) => i.referralNumber), expected.slice((page - 1) * pageSize, page * pageSize), `page ${page}`);
      }
      const filtered = await get(`/api/v1/offices/HOU/service-requests?pageSize=50&page=24&overdue=false`, supervisor);
      assert.deepEqual(filtered.json().items.map((i: { referralNumber: string }) => i.referralNumber), expected.slice(1150, 1200), 'a filtered deep page');
    });

    test('claim: exactly one of many racing claimants wins; the holder may claim again; other offices 404, other roles 403', async () => {
      const workers = [office, office2, ...await Promise.all(Array.from({ length: 6 }, () => t.signIn('office', { office: 'VSC' })))];
      for (let round = 0; round < 5; round++) {
        const ref = await made(other((await newCase()).receiptNumber));
        const answers = await Promise.all(workers.map((w) => post(`/api/v1/service-requests/${ref}/claim`, w.token)));
        const won = answers.filter((r) => r.statusCode === 200);
        assert.equal(won.length, 1, answers.map((r) => r.statusCode).join(','));
        assert.ok(answers.every((r) => r.statusCode === 200 || (r.statusCode === 409 && problem(r).code === 'conflict')));
        const winner = workers[answers.indexOf(won[0]!)]!;
        assert.equal(won[0]!.json().claimedBy.id, winner.id);
        assert.equal((await post(`/api/v1/service-requests/${ref}/claim`, winner.token)).statusCode, 200);
        if (round === 0) {
          assert.equal((await post(`/api/v1/service-requests/${ref}/claim`, csc.token)).statusCode, 404);
          assert.equal((await get(`/api/v1/service-requests/${ref}`, csc.token)).statusCode, 404);
          assert.equal((await post(`/api/v1/service-requests/${ref}/claim`, tier2)).statusCode, 403);
          assert.equal((await get(`/api/v1/service-requests/${ref}`, tier1)).statusCode, 403);
          assert.equal((await get(`/api/v1/service-requests/${ref}`, admin)).statusCode, 403);
          assert.equal((await get('/api/v1/service-requests/123456789012345', tier2)).statusCode, 404);
        }
      }
    });

    test('release: the claimant gives a request back (open again, or reopened again), due date unchanged; others 403, an unclaimed one 409', async () => {
      const ref = await made(other((await newCase()).receiptNumber));
      assert.equal((await post(`/api/v1/service-requests/${ref}/release`, office.token)).statusCode, 409, 'not claimed');
      const claimed = await post(`/api/v1/service-requests/${ref}/claim`, office.token);
      assert.equal((await post(`/api/v1/service-requests/${ref}/release`, office2.token)).statusCode, 403, 'not the claimant');
      assert.equal((await post(`/api/v1/service-requests/${ref}/release`, csc.token)).statusCode, 404, 'another office');
      const back = await post(`/api/v1/service-requests/${ref}/release`, office.token);
      assert.equal(back.statusCode, 200, back.body);
      assert.deepEqual([back.json().status, back.json().claimedBy, back.json().dueDate], ['open', null, claimed.json().dueDate]);
      assert.equal((await post(`/api/v1/service-requests/${ref}/claim`, office2.token)).statusCode, 200, 'a colleague claims it');
      await post(`/api/v1/service-requests/${ref}/respond`, office2.token, { response: RESPONSE });
      await post(`/api/v1/service-requests/${ref}/reopen`, tier1, { reason: 'Still no letter.' });
      await post(`/api/v1/service-requests/${ref}/claim`, office.token);
      assert.equal((await post(`/api/v1/service-requests/${ref}/release`, office.token)).json().status, 'reopened', 'a reopened request goes back as reopened');
      const actions = (await get(`/api/v1/service-requests/${ref}`, supervisor)).json().history.map((h: { action: string }) => h.action);
      assert.deepEqual(actions, ['created', 'claimed', 'released', 'claimed', 'answered', 'reopened', 'claimed', 'released']);
    });

    test('respond: only the claimant; an answer must say something; the person is told by mail through the outbox, in the same commit', async () => {
      const c = await newCase();
      const ref = await made(other(c.receiptNumber));
      assert.equal((await post(`/api/v1/service-requests/${ref}/respond`, office.token, { response: RESPONSE })).statusCode, 403, 'not claimed yet');
      await post(`/api/v1/service-requests/${ref}/claim`, office.token);
      assert.equal((await post(`/api/v1/service-requests/${ref}/respond`, office2.token, { response: RESPONSE })).statusCode, 403, 'not the claimant');
      const short = await post(`/api/v1/service-requests/${ref}/respond`, office.token, { response: 'Case is pending.' });
      assert.equal(short.statusCode, 400);
      assert.equal(problem(short).errors?.[0]?.code, 'too-short');
      const res = await post(`/api/v1/service-requests/${ref}/respond`, office.token, { response: RESPONSE });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'answered');
      assert.equal(res.json().answeredBy.id, office.id);
      const mail = await t.deps.database.db.selectFrom('outbox').selectAll().where('subject_ref', '=', ref).execute();
      assert.equal(mail.length, 1);
      assert.equal(mail[0]!.to_address, 'ana@example.org');
      assert.equal(mail[0]!.template, 'service-request-answered');
      assert.match(mail[0]!.body_text, new RegExp(ref.replace(/(\d{5})(\d{5})(\d{5})/, '$1 $2 $3')));
      assert.ok(mail[0]!.body_text.includes(RESPONSE));
      assert.ok(mail[0]!.body_text.includes(`/service-requests/status?referralNumber=${ref}&receiptNumber=${c.receiptNumber}`));
      assert.equal((await post(`/api/v1/service-requests/${ref}/respond`, office.token, { response: RESPONSE })).statusCode, 409, 'already answered');
      // The duplicate rule counts answered requests as not open: a new one of the same type may be made.
      assert.equal((await create(other(c.receiptNumber))).statusCode, 201);
    });

    test('public status by referral and receipt number (status and due date only, else 404); the person reopens an answered request', async () => {
      const c = await newCase();
      const ref = await made(other(c.receiptNumber));
      const wrong = await get(`/api/v1/public/service-requests/${ref}?receiptNumber=EAC2590000001`);
      assert.equal(wrong.statusCode, 404);
      assert.equal((await get(`/api/v1/public/service-requests/${ref}`)).statusCode, 404, 'no receipt number');
      const seen = await get(`/api/v1/public/service-requests/${ref}?receiptNumber=${c.receiptNumber}`);
      assert.equal(seen.statusCode, 200);
      assert.deepEqual(Object.keys(seen.json()).sort(), ['dueDate', 'referralNumber', 'status']);
      const reopen = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/public/service-requests/${ref}/reopen`, payload: body });
      const v = { name: 'Ana Pérez', dateOfBirth: '1990-03-02' };
      const notYet = await reopen({ receiptNumber: c.receiptNumber, verification: v, reason: 'Nothing changed.' });
      assert.equal(notYet.statusCode, 409, 'still open');
      await post(`/api/v1/service-requests/${ref}/claim`, office.token);
      await post(`/api/v1/service-requests/${ref}/respond`, office.token, { response: RESPONSE });
      assert.equal((await reopen({ receiptNumber: c.receiptNumber, verification: { ...v, name: 'Someone Else' }, reason: 'x' })).statusCode, 404);
      const done = await reopen({ receiptNumber: c.receiptNumber, verification: v, reason: 'The letter still has not come.' });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().status, 'reopened');
      assert.equal(done.json().dueDate, expectedDue(15));
      const queue = await get('/api/v1/offices/VSC/service-requests?status=reopened&pageSize=200', office.token);
      assert.ok(queue.json().items.some((i: { referralNumber: string }) => i.referralNumber === ref), 'back in the queue');
      // The same words again are not an answer.
      await post(`/api/v1/service-requests/${ref}/claim`, office.token);
      const same = await post(`/api/v1/service-requests/${ref}/respond`, office.token, { response: ` ${RESPONSE} ` });
      assert.equal(same.statusCode, 400);
      assert.equal(problem(same).errors?.[0]?.code, 'same-as-before');
      const history = (await get(`/api/v1/service-requests/${ref}`, tier2)).json().history.map((h: { action: string }) => h.action);
      assert.deepEqual(history, ['created', 'claimed', 'answered', 'reopened', 'claimed']);
    });

    test('an agent reopens for the caller; a supervisor assigns within the office; transfer keeps the due date; a reviewer flags a form letter', async () => {
      const c = await newCase();
      const ref = await made(other(c.receiptNumber));
      const due = (await get(`/api/v1/service-requests/${ref}`, tier2)).json().dueDate;
      // Assign: only to an office account of the holding office.
      const toCsc = await post(`/api/v1/service-requests/${ref}/assign`, supervisor, { userId: csc.id });
      assert.equal(toCsc.statusCode, 400);
      assert.equal((await post(`/api/v1/service-requests/${ref}/assign`, office.token, { userId: office.id })).statusCode, 403);
      const assigned = await post(`/api/v1/service-requests/${ref}/assign`, supervisor, { userId: office2.id });
      assert.equal(assigned.statusCode, 200, assigned.body);
      assert.equal(assigned.json().claimedBy.id, office2.id);
      // Transfer to CSC by the holding office's staff: the claim does not travel, the due date does.
      assert.equal((await post(`/api/v1/service-requests/${ref}/transfer`, csc.token, { office: 'NSC', reason: 'x' })).statusCode, 404);
      assert.equal((await post(`/api/v1/service-requests/${ref}/transfer`, tier2, { office: 'CSC', reason: 'x' })).statusCode, 403);
      assert.equal((await post(`/api/v1/service-requests/${ref}/transfer`, office.token, { office: 'XXX', reason: 'x' })).statusCode, 400);
      const moved = await post(`/api/v1/service-requests/${ref}/transfer`, office.token, { office: 'csc', reason: 'The file is in California.' });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.deepEqual([moved.json().office, moved.json().status, moved.json().claimedBy, moved.json().dueDate], ['CSC', 'open', null, due]);
      assert.equal((await post(`/api/v1/service-requests/${ref}/claim`, office.token)).statusCode, 404, 'no longer VSC\'s');
      assert.equal((await post(`/api/v1/service-requests/${ref}/claim`, csc.token)).statusCode, 200);
      // The review flag needs an answer.
      assert.equal((await post(`/api/v1/service-requests/${ref}/review`, supervisor, { formLetter: true })).statusCode, 409);
      await post(`/api/v1/service-requests/${ref}/respond`, csc.token, { response: 'Your case is pending. Please wait for a decision on your case. Thank you.' });
      assert.equal((await post(`/api/v1/service-requests/${ref}/review`, office.token, { formLetter: true })).statusCode, 403);
      const flagged = await post(`/api/v1/service-requests/${ref}/review`, supervisor, { formLetter: true, note: 'Says nothing new.' });
      assert.equal(flagged.json().formLetterFlag, true);
      const list = await get('/api/v1/service-requests?flagged=true&status=answered', supervisor);
      assert.ok(list.json().items.some((i: { referralNumber: string }) => i.referralNumber === ref));
      // An agent reopens it for the caller.
      assert.equal((await post(`/api/v1/service-requests/${ref}/reopen`, office.token, { reason: 'x' })).statusCode, 403);
      assert.equal((await post(`/api/v1/service-requests/${ref}/reopen`, tier1, { reason: '' })).statusCode, 400);
      const reopened = await post(`/api/v1/service-requests/${ref}/reopen`, tier1, { reason: 'The caller says the answer is a form letter.' });
      assert.equal(reopened.statusCode, 200, reopened.body);
      assert.deepEqual([reopened.json().status, reopened.json().office, reopened.json().reopenCount], ['reopened', 'CSC', 1]);
      const actions = (await get(`/api/v1/service-requests/${ref}`, supervisor)).json().history.map((h: { action: string }) => h.action);
      assert.deepEqual(actions, ['created', 'assigned', 'transferred', 'claimed', 'answered', 'flagged', 'reopened']);
    });

    test('when the case feed moves a case, its open requests move with it in the same load, each audited; answered ones stay', async () => {
      const rec = caseRecord({ office: 'TSC' });
      await load(rec);
      const tsc = await t.signIn('office', { office: 'TSC' });
      const open = await made(other(rec.receiptNumber));
      const answered = await made({ receiptNumber: rec.receiptNumber, type: 'accommodation', details: 'I need a ramp at the interview office.' });
      await post(`/api/v1/service-requests/${answered}/claim`, tsc.token);
      await post(`/api/v1/service-requests/${answered}/respond`, tsc.token, { response: RESPONSE });
      await post(`/api/v1/service-requests/${open}/claim`, tsc.token);
      await load({ ...rec, office: 'NBC', history: [...(rec.history as object[]), { date: todayIn('America/New_York'), status: 'case-was-transferred' }] });
      const after = (await get(`/api/v1/service-requests/${open}`, supervisor)).json();
      assert.deepEqual([after.office, after.status, after.claimedBy], ['NBC', 'open', null]);
      assert.equal(after.history.at(-1).action, 'moved-with-case');
      assert.deepEqual(after.history.at(-1).detail, { from: 'TSC', to: 'NBC' });
      assert.equal((await get(`/api/v1/service-requests/${answered}`, supervisor)).json().office, 'TSC');
      const audit = await t.deps.database.db.selectFrom('audit_log').select('action').where('subject', '=', `service-request:${open}`).where('action', '=', 'service-request-move-with-case').execute();
      assert.equal(audit.length, 1);
    });

    test('the deadline sweep marks each overdue request once, however many sweep at once; supervisors see them; answered ones close after the reopen window', async () => {
      const c = await newCase({ office: 'PSC' });
      const ref = await made(other(c.receiptNumber));
      const later = (days: number) => new ServiceRequestService({
        db: t.deps.database.db, audit: t.deps.audit, outbox: t.deps.outbox, idempotency: t.deps.idempotency, rules: t.deps.serviceRequests.rules,
        processingTimes: t.deps.processingTimes, agency: t.deps.agency, publicUrl: 'http://localhost', clock: () => new Date(Date.now() + days * 86_400_000),
      });
      assert.equal((await later(1).sweep()).overdue, 0, 'not due yet');
      // A second instance on the same PostgreSQL database sweeps at the same moment.
      const second = kind === 'postgres' ? await startTestApp(kind, { sharing: t }) : t;
      try {
        const other = new ServiceRequestService({
          db: second.deps.database.db, audit: second.deps.audit, outbox: second.deps.outbox, idempotency: second.deps.idempotency, rules: t.deps.serviceRequests.rules,
          processingTimes: second.deps.processingTimes, agency: t.deps.agency, publicUrl: 'http://localhost', clock: () => new Date(Date.now() + 40 * 86_400_000),
        });
        const results = await Promise.all([later(40).sweep(), other.sweep(), later(40).sweep()]);
        const events = await t.deps.database.db.selectFrom('service_request_events').select('action').where('referral_number', '=', ref).where('action', '=', 'overdue').execute();
        assert.equal(events.length, 1, `marked once (sweeps answered ${JSON.stringify(results)})`);
      } finally {
        if (second !== t) await second.close();
      }
      const view = await get('/api/v1/service-requests?overdue=true&office=PSC', supervisor);
      assert.deepEqual(view.json().items.map((i: { referralNumber: string; overdue: boolean }) => [i.referralNumber, i.overdue]), [[ref, true]]);
      assert.equal((await get('/api/v1/service-requests?overdue=true', office.token)).statusCode, 403);
      const overview = await get('/api/v1/service-requests/overview', supervisor);
      assert.ok(overview.json().offices.some((o: { office: string; overdue: number }) => o.office === 'PSC' && o.overdue >= 1));
      // Answered, then 31 days later closed; the person can no longer reopen it (a new request instead).
      const psc = await t.signIn('office', { office: 'PSC' });
      await post(`/api/v1/service-requests/${ref}/claim`, psc.token);
      await post(`/api/v1/service-requests/${ref}/respond`, psc.token, { response: RESPONSE });
      assert.ok((await later(31).sweep()).closed >= 1);
      assert.equal((await get(`/api/v1/public/service-requests/${ref}?receiptNumber=${c.receiptNumber}`)).json().status, 'closed');
      const late = await t.app.inject({ method: 'POST', url: `/api/v1/public/service-requests/${ref}/reopen`, payload: { receiptNumber: c.receiptNumber, verification: { name: 'Ana Pérez', dateOfBirth: '1990-03-02' }, reason: 'Still nothing.' } });
      assert.equal(late.statusCode, 422);
    });

    if (kind === 'postgres') {
      test('several instances on one PostgreSQL database: one claim wins across them', async () => {
        const others = await Promise.all([startTestApp(kind, { sharing: t }), startTestApp(kind, { sharing: t })]);
        try {
          const apps = [t, ...others];
          const workers = await Promise.all(Array.from({ length: 9 }, () => t.signIn('office', { office: 'VSC' })));
          for (let round = 0; round < 5; round++) {
            const ref = await made(other((await newCase()).receiptNumber));
            const answers = await Promise.all(workers.map((w, i) => apps[i % apps.length]!.app.inject({ method: 'POST', url: `/api/v1/service-requests/${ref}/claim`, headers: bearer(w.token) })));
            assert.equal(answers.filter((r) => r.statusCode === 200).length, 1, answers.map((r) => r.statusCode).join(','));
            assert.equal(answers.filter((r) => r.statusCode === 409).length, workers.length - 1);
          }
        } finally {
          await Promise.all(others.map((o) => o.close()));
        }
      });
    }
  });
}
