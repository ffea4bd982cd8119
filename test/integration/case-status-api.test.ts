/** The agency-compatible Case Status API (CONTRACT.md section 6): fields, history, IOE rules, exact error texts, limits. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';

const TEXT = {
  401: 'Invalid Access Token',
  404: 'Case Status Online does not recognize the receipt number entered. Please check your receipt number and try again. If you need further assistance, please call the USCIS Contact Center at 1-800-375-5283.',
  422: 'The application receipt number is not formatted correctly, It should be total of 13 characters (3 character prefix followed by 10 digits). Please check your receipt number and try again',
  429: 'Spike Arrest Violation',
  503: 'Service Unavailable',
} as const;

/** Loads case records through the case feed, as the agency's case systems would. */
async function loadCases(t: TestApp, ...records: Array<Record<string, unknown>>) {
  async function* items() {
    for (const [i, value] of records.entries()) yield { line: i + 1, value };
  }
  const r = await t.deps.feed.import(items(), { kind: 'cli' });
  assert.deepEqual(r.rejected, []);
}

/** Asserts the agency error format: {code: <status>, message, errors: [{code: UPPER_SNAKE, message}]}. */
function assertAgencyError(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: keyof typeof TEXT) {
  assert.equal(res.statusCode, status);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json();
  assert.deepEqual(Object.keys(body).sort(), ['code', 'errors', 'message']);
  assert.equal(body.code, status);
  assert.equal(body.message, TEXT[status]);
  assert.equal(body.errors.length, 1);
  assert.equal(body.errors[0].message, TEXT[status]);
  assert.match(body.errors[0].code, /^[A-Z][A-Z_]*$/);
}

for (const kind of databaseKinds()) {
  describe(`Case Status API [${kind}]`, () => {
    let t: TestApp;
    let token: string;
    const approved = caseRecord({
      receiptNumber: receiptNumber('EAC'), formType: 'I-130', receivedDate: '2023-03-01', decidedDate: '2023-09-05',
      history: [
        { date: '2023-03-01', status: 'case-was-received' },
        { date: '2023-06-12', status: 'fingerprints-were-taken' },
        { at: '2023-09-05T18:28:46Z', status: 'case-was-approved' },
      ],
    });
    const fresh = caseRecord({ receiptNumber: receiptNumber('LIN'), formType: 'I-765', receivedDate: '2025-01-14', history: [{ date: '2025-01-14', status: 'case-was-received' }] });
    const online = caseRecord({
      receiptNumber: receiptNumber('IOE'), formType: 'N-400', receivedDate: '2024-11-02',
      history: [{ at: '2024-11-02T13:00:00Z', status: 'case-was-received' }, { date: '2025-02-10', status: 'interview-was-scheduled' }],
    });

    before(async () => {
      // A tiny public limit: the Case Status API must not be subject to it.
      t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '3' } });
      await loadCases(t, approved, fresh, online);
      token = await t.clientToken(['case-status']);
    });
    after(() => t.close());

    const lookup = (rn: string, headers: Record<string, string> = bearer(token)) =>
      t.app.inject({ method: 'GET', url: `/case-status/${encodeURIComponent(rn)}`, headers });

    test('a case answers every field of the agency format, history newest first', async () => {
      const res = await lookup(approved.receiptNumber as string);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['cache-control'], 'no-store');
      const body = res.json();
      assert.deepEqual(Object.keys(body), ['case_status', 'message']);
      assert.equal(body.message, 'Query was successful');
      const cs = body.case_status;
      assert.deepEqual(Object.keys(cs), [
        'receiptNumber', 'formType', 'submittedDate', 'modifiedDate', 'current_case_status_text_en', 'current_case_status_desc_en',
        'current_case_status_text_es', 'current_case_status_desc_es', 'hist_case_status',
      ]);
      assert.equal(cs.receiptNumber, approved.receiptNumber);
      assert.equal(cs.formType, 'I-130');
      assert.equal(cs.submittedDate, '03-01-2023 00:00:00', 'only a date is known: midnight');
      assert.equal(cs.modifiedDate, '09-05-2023 14:28:46', 'an instant: its local time in New York');
      assert.equal(cs.current_case_status_text_en, 'Case Was Approved');
      assert.equal(cs.current_case_status_text_es, 'Caso Fue Aprobado');
      assert.ok(cs.current_case_status_desc_en.startsWith(`On September 5, 2023, we approved your Form I-130, Petition for Alien Relative, Receipt Number ${approved.receiptNumber}.`), cs.current_case_status_desc_en);
      assert.ok(cs.current_case_status_desc_es.startsWith('El 5 de septiembre de 2023, aprobamos su Formulario I-130, '), cs.current_case_status_desc_es);
      assert.ok(cs.current_case_status_desc_es.includes(`Número de Recibo ${approved.receiptNumber}`));
      assert.deepEqual(cs.hist_case_status, [
        { date: '2023-06-12', completed_text_en: 'Case Was Updated To Show Fingerprints Were Taken', completed_text_es: 'Caso Fue Actualizado Para Mostrar que las Huellas Dactilares Fueron Tomadas' },
        { date: '2023-03-01', completed_text_en: 'Case Was Received', completed_text_es: 'Caso Fue Recibido' },
      ]);
    });

    test('a case with one status has hist_case_status null', async () => {
      const cs = (await lookup(fresh.receiptNumber as string)).json().case_status;
      assert.equal(cs.hist_case_status, null);
      assert.equal(cs.submittedDate, '01-14-2025 00:00:00');
      assert.equal(cs.modifiedDate, '01-14-2025 00:00:00');
      assert.match(cs.current_case_status_desc_en, /^On January 14, 2025, we received your Form I-765, /);
    });

    test('IOE receipts leave out submittedDate and modifiedDate', async () => {
      const res = await lookup(online.receiptNumber as string);
      assert.equal(res.statusCode, 200);
      const cs = res.json().case_status;
      assert.ok(!('submittedDate' in cs) && !('modifiedDate' in cs), JSON.stringify(cs));
      assert.equal(cs.current_case_status_text_en, 'Interview Was Scheduled');
      assert.deepEqual(cs.hist_case_status, [{ date: '2024-11-02', completed_text_en: 'Case Was Received', completed_text_es: 'Caso Fue Recibido' }]);
    });

    test('the receipt number is normalised: lower case, spaces and dashes', async () => {
      const rn = approved.receiptNumber as string;
      const messy = ` ${rn.slice(0, 3).toLowerCase()}-${rn.slice(3, 5)} ${rn.slice(5, 8)}-${rn.slice(8)} `;
      const res = await lookup(messy);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().case_status.receiptNumber, rn);
    });

    test('a malformed receipt number answers 422, a well-formed unknown one 404, with the agency texts', async () => {
      for (const bad of ['EAC123', 'XYZ1234567890', 'EAC12345678901', 'EAC１２３４５６７８９０', '1234567890123']) {
        const res = await lookup(bad);
        assertAgencyError(res, 422);
        assert.ok(!res.body.includes(bad), 'the invalid value is not echoed');
      }
      assertAgencyError(await lookup('EAC0000000001'), 404);
      assertAgencyError(await lookup('IOE0000000001'), 404);
    });

    test('a Content-Type: application/json header with no body and a demo_id header are accepted', async () => {
      const rn = approved.receiptNumber as string;
      const res = await lookup(rn, { ...bearer(token), 'content-type': 'application/json', demo_id: 'demo-123' });
      assert.equal(res.statusCode, 200, res.body);
      const withLength = await lookup(rn, { ...bearer(token), 'content-type': 'application/json', 'content-length': '0' });
      assert.equal(withLength.statusCode, 200, withLength.body);
      assert.equal(withLength.json().case_status.receiptNumber, rn);
    });

    test('401 Invalid Access Token: no token, a bad token, a staff token, a client without the scope', async () => {
      const rn = approved.receiptNumber as string;
      assertAgencyError(await lookup(rn, {}), 401);
      assertAgencyError(await lookup(rn, bearer('not-a-token')), 401);
      assertAgencyError(await lookup(rn, { authorization: 'Basic abc' }), 401);
      const staff = await t.signIn('tier2');
      assertAgencyError(await lookup(rn, bearer(staff.token)), 401);
      const feedOnly = await t.clientToken(['case-feed', 'reference-data']);
      assertAgencyError(await lookup(rn, bearer(feedOnly)), 401);
      // Authentication comes first: a malformed number from a stranger is still 401.
      assertAgencyError(await lookup('EAC1', bearer('not-a-token')), 401);
      const denials = await t.deps.audit.list({ outcome: 'denied' }, 1, 50);
      assert.ok(denials.items.some((e) => e.action === 'GET /case-status/:receiptNumber' && e.actor === `staff:${staff.id}`), 'a denied staff token is audited');
    });

    test('a lookup is not audited (public status, not case details)', async () => {
      const before = (await t.deps.audit.list({}, 1, 1)).total;
      for (let i = 0; i < 3; i++) assert.equal((await lookup(approved.receiptNumber as string)).statusCode, 200);
      assert.equal((await t.deps.audit.list({}, 1, 1)).total, before);
    });

    test('the API is limited per client, not by the public per-address limit', async () => {
      for (let i = 0; i < 8; i++) assert.equal((await lookup(fresh.receiptNumber as string)).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/reference/statuses' })).statusCode, 200);
    });

    test('429 Spike Arrest Violation beyond the per-second limit; the next second is fine again', async () => {
      const limited = await t.clientToken(['case-status'], { perSecond: 2, perDay: 0 });
      // Start early in a one-second window so that the three requests fall into it.
      while (Date.now() % 1000 > 400) await sleep(20);
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await lookup(fresh.receiptNumber as string, bearer(limited)));
      assert.deepEqual(results.map((r) => r.statusCode), [200, 200, 429]);
      assertAgencyError(results[2]!, 429);
      assert.ok(Number(results[2]!.headers['retry-after']) >= 1);
      // Other clients are not affected.
      assert.equal((await lookup(fresh.receiptNumber as string)).statusCode, 200);
      await sleep(1000 - (Date.now() % 1000) + 20);
      assert.equal((await lookup(fresh.receiptNumber as string, bearer(limited))).statusCode, 200);
    });

    test('429 beyond the per-day limit, counting unknown and malformed numbers too', async () => {
      const daily = await t.clientToken(['case-status'], { perSecond: 0, perDay: 3 });
      assert.equal((await lookup(fresh.receiptNumber as string, bearer(daily))).statusCode, 200);
      assert.equal((await lookup('EAC0000000001', bearer(daily))).statusCode, 404);
      assert.equal((await lookup('EAC1', bearer(daily))).statusCode, 422);
      assertAgencyError(await lookup(fresh.receiptNumber as string, bearer(daily)), 429);
    });

    test('a client written from the agency\'s examples works over real HTTP', async () => {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const c = await t.deps.clients.addClient({ name: 'Agency example client', scopes: ['case-status'] }, { kind: 'cli' });

      // 1. Token: client credentials as HTTP Basic, form body grant_type=client_credentials.
      const tokenRes = await fetch(`${address}/oauth/accesstoken`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      assert.equal(tokenRes.status, 200);
      const tokenBody = await tokenRes.json() as { access_token: string; token_type: string; expires_in: string };
      assert.equal(tokenBody.token_type, 'Bearer');
      assert.equal(tokenBody.expires_in, '1800');

      // 2. Status: GET with the bearer token (and the JSON content type some examples send).
      const get = (rn: string) => fetch(`${address}/case-status/${rn}`, { headers: { Authorization: `Bearer ${tokenBody.access_token}`, 'Content-Type': 'application/json', demo_id: '1' } });
      const res = await get(approved.receiptNumber as string);
      assert.equal(res.status, 200);
      const body = await res.json() as { case_status: Record<string, unknown>; message: string };
      assert.equal(body.message, 'Query was successful');
      assert.equal(body.case_status.current_case_status_text_en, 'Case Was Approved');
      assert.equal(body.case_status.current_case_status_text_es, 'Caso Fue Aprobado');
      assert.match(String(body.case_status.current_case_status_desc_en), /^On September 5, 2023, we approved your Form I-130/);
      assert.equal((body.case_status.hist_case_status as unknown[]).length, 2);

      const missing = await get('EAC0000000001');
      assert.equal(missing.status, 404);
      const err = await missing.json() as { code: number; message: string; errors: Array<{ code: string; message: string }> };
      assert.equal(err.code, 404);
      assert.equal(err.errors[0]!.message, TEXT[404]);
    });
  });

  describe(`Case Status API when the database fails [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());

    test('503 Service Unavailable in the agency format', async () => {
      const token = await t.clientToken(['case-status']);
      await sql`drop table cases`.execute(t.deps.database.db);
      const res = await t.app.inject({ method: 'GET', url: '/case-status/EAC2590012345', headers: bearer(token) });
      assertAgencyError(res, 503);
      assert.ok(!/cases|sql|table/i.test(res.body), 'nothing of the failure leaks');
    });
  });
}
