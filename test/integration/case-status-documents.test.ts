/**
 * The prepared public status document (issue 11 item 1, docs/adr/0015-prepared-status-document.md): written by the
 * feed, by a duplicate notice and by a transfer; the lookup's bytes the same as rendering the row; a change of the
 * reference data served live until `switchboard status-documents rerender` writes it; a revoked client refused
 * within seconds although its token is remembered.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { runCli } from '../support/cli.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';
import { CaseStatusService, TOKEN_CACHE_MS } from '../../src/case-status/service.ts';
import { caseStatusApiBody, presentCase, statusVocabulary, type StatusVocabulary } from '../../src/case-status/presenter.ts';
import { preparedCase, vocabularyVersion } from '../../src/case-status/document.ts';
import { memoryRateLimiter } from '../../src/platform/rate-limit.ts';

for (const kind of databaseKinds()) {
  describe(`Case status documents [${kind}]`, () => {
    let t: TestApp;
    let token: string;
    let vocabulary: StatusVocabulary;

    before(async () => {
      t = await startTestApp(kind);
      token = await t.clientToken(['case-status']);
      vocabulary = statusVocabulary(t.deps.agency);
    });
    after(() => t.close());

    const load = async (...records: Array<Record<string, unknown>>) => {
      const r = await t.deps.feed.import((async function* () { let line = 0; for (const value of records) yield { line: ++line, value }; })(), { kind: 'system' });
      assert.equal(r.rejectedTotal, 0, JSON.stringify(r.rejected));
    };
    const stored = (rn: string) => t.deps.database.db.selectFrom('cases').selectAll().where('receipt_number', '=', rn).executeTakeFirstOrThrow();
    /** What the lookup answered before documents were prepared: the row presented and serialised per request. */
    const rendered = async (rn: string) => {
      const row = await stored(rn);
      return JSON.stringify(caseStatusApiBody(presentCase(row, vocabulary, { earlierDescriptions: false })!, vocabulary.timeZone));
    };
    const lookup = (rn: string, headers: Record<string, string> = bearer(token)) => t.app.inject({ method: 'GET', url: `/case-status/${rn}`, headers });

    test('the feed writes the document; the lookup answers its bytes, the same as rendering the row', async () => {
      const approved = caseRecord({
        receiptNumber: receiptNumber('EAC'), receivedDate: '2023-03-01',
        history: [{ date: '2023-03-01', status: 'case-was-received' }, { date: '2023-06-12', status: 'fingerprints-were-taken' }, { at: '2023-09-05T18:28:46Z', status: 'case-was-approved' }],
      });
      const online = caseRecord({ receiptNumber: receiptNumber('IOE'), history: [{ at: '2024-11-02T13:00:00Z', status: 'case-was-received' }] });
      await load(approved, online);
      for (const rn of [approved.receiptNumber as string, online.receiptNumber as string]) {
        const row = await stored(rn);
        assert.equal(row.status_vocabulary, vocabularyVersion(vocabulary));
        assert.equal(row.status_api, await rendered(rn));
        // The prepared columns are the presented case: the same as presenting the row, without the earlier
        // descriptions (the page asks for those), and with them when asked.
        assert.deepEqual(preparedCase(row, vocabulary), JSON.parse(JSON.stringify(presentCase(row, vocabulary, { earlierDescriptions: false }))));
        assert.ok(row.status_document!.length < 400, `the document is small: ${row.status_document!.length} characters`);
        const res = await lookup(rn);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.body, row.status_api, 'the prepared bytes, as they are');
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        // The page, the IVR and Prepare read the same document.
        assert.deepEqual(await t.deps.caseStatus.find(rn), preparedCase(row, vocabulary));
        assert.deepEqual(await t.deps.caseStatus.find(rn, { earlierDescriptions: true }), JSON.parse(JSON.stringify(presentCase(row, vocabulary))));
      }
      // A row without a document (older data) is rendered from the row: the same bytes.
      const rn = approved.receiptNumber as string;
      const before = (await lookup(rn)).body;
      await t.deps.database.db.updateTable('cases').set({ status_api: null, status_document: null, status_vocabulary: null }).where('receipt_number', '=', rn).execute();
      assert.equal((await lookup(rn)).body, before);
      assert.deepEqual(await t.deps.caseStatus.find(rn, { earlierDescriptions: true }), presentCase(await stored(rn), vocabulary));
      assert.deepEqual(await t.deps.caseStatus.find(rn), presentCase(await stored(rn), vocabulary, { earlierDescriptions: false }));
    });

    test('a duplicate notice re-renders the document in its transaction; a re-sent record keeps it; a transfer names the new office', async () => {
      const vsc = await t.signIn('office', { office: 'VSC' });
      const record = caseRecord({ history: [{ date: '2025-01-14', status: 'case-was-received' }] });
      const rn = record.receiptNumber as string;
      await load(record);
      const issued = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${rn}/notices`, headers: bearer(vsc.token), payload: { type: 'duplicate', noticeId: 'N1' } });
      assert.equal(issued.statusCode, 201, issued.body);
      const afterNotice = await lookup(rn);
      assert.equal(afterNotice.json().case_status.current_case_status_text_en, 'Duplicate Notice Was Mailed');
      assert.equal(afterNotice.body, (await stored(rn)).status_api);
      assert.equal(afterNotice.body, await rendered(rn));
      assert.equal((await stored(rn)).status_vocabulary, vocabularyVersion(vocabulary), 'prepared, not left to live rendering');

      // The feed re-sends the case moved to another office (a transfer): the document shows the transfer and the
      // duplicate notice of Switchboard's own, both.
      await load({ ...record, office: 'NBC', history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-01-15', status: 'case-was-transferred' }] });
      const row = await stored(rn);
      assert.equal(row.office, 'NBC');
      assert.notEqual(row.status_api, null);
      assert.equal(row.status_api, await rendered(rn));
      const doc = preparedCase(row, vocabulary)!;
      assert.equal(doc.current.status, 'duplicate-notice-was-mailed', 'the local entry is the newest');
      assert.equal(doc.office, 'NBC');
      const transfer = (await t.deps.caseStatus.find(rn, { earlierDescriptions: true }))!.earlier.find((e) => e.status === 'case-was-transferred')!;
      assert.match(transfer.description!.en, /to National Benefits Center, which now has jurisdiction/);
      assert.match(transfer.description!.es, /a Centro Nacional de Beneficios, que ahora tiene jurisdicción/);
    });

    test('a change of the status vocabulary: served live at once, then `switchboard status-documents rerender` writes what changed', async () => {
      const record = caseRecord({ history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-03-01', status: 'case-was-approved' }] });
      const rn = record.receiptNumber as string;
      await load(record);
      // The agency renames a status: a second service (a restarted server) with the new vocabulary.
      const statuses = new Map(vocabulary.statuses);
      const approved = statuses.get('case-was-approved')!;
      statuses.set('case-was-approved', { ...approved, title: { en: 'Case Was Approved (renamed)', es: 'Caso Fue Aprobado (renombrado)' } });
      const changed: StatusVocabulary = { ...vocabulary, statuses };
      const restarted = new CaseStatusService(t.deps.database.db, t.deps.clients, memoryRateLimiter(), changed, t.deps.agency.receiptPrefixes, Date.now, { sqlite: t.deps.database.sqlite, audit: t.deps.audit });
      assert.notEqual(restarted.version, t.deps.caseStatus.version);
      const oldBytes = (await stored(rn)).status_api!;
      const live = await restarted.apiBody(rn);
      assert.match(live!, /Case Was Approved \(renamed\)/, 'a document of other reference data is not served');
      assert.equal((await restarted.find(rn))!.current.title.en, 'Case Was Approved (renamed)');

      const progress: Array<[number, number]> = [];
      const r = await restarted.rerender({ kind: 'cli' }, (done, total) => progress.push([done, total]), 2);
      assert.ok(r.read >= 1 && r.rewritten >= 1, JSON.stringify(r));
      assert.ok(progress.length >= 1 && progress.at(-1)![0] === r.read, 'progress reported up to every case read');
      const row = await stored(rn);
      assert.equal(row.status_vocabulary, restarted.version);
      assert.notEqual(row.status_api, oldBytes);
      assert.equal(row.status_api, live, 'what it wrote is what was served live');
      assert.equal(await restarted.apiBody(rn), row.status_api);
      const audits = await t.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'case-status-rerender').execute();
      assert.ok(audits.length >= 1);
      // Nothing changed: nothing written.
      assert.equal((await restarted.rerender({ kind: 'cli' })).rewritten, 0);

      // The command, with the current reference data: puts every document back.
      const cli = await runCli(t.db, ['status-documents', 'rerender']);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /^Read [\d,]+ cases, rewrote [\d,]+ status documents \(version [0-9a-f]{16}\) in [\d.]+ s\.\n$/);
      const back = await stored(rn);
      assert.equal(back.status_vocabulary, t.deps.caseStatus.version);
      assert.equal(back.status_api, oldBytes);
    });

    test('over HTTP, the lookup before the framework answers what the route answers: bytes and headers, 200 and 429', async () => {
      const record = caseRecord();
      await load(record);
      const rn = record.receiptNumber as string;
      const limitedToken = await t.clientToken(['case-status'], { perSecond: 1, perDay: 0 });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address() as { port: number };
      const get = async (path: string, tok = token) => {
        const res = await fetch(`http://127.0.0.1:${address.port}${path}`, { headers: bearer(tok) });
        const headers = Object.fromEntries([...res.headers].filter(([k]) => !['date', 'x-trace-id', 'connection', 'keep-alive'].includes(k)));
        return { status: res.status, body: await res.text(), headers, trace: res.headers.get('x-trace-id') };
      };
      const first = await get(`/case-status/${rn}`); // the token is remembered from here on
      const fast = await get(`/case-status/${rn}`);
      const routed = await get(`/case-status/${rn}/`); // not the fast path's form: the framework's route
      const injected = await lookup(rn);
      assert.equal(fast.status, 200);
      assert.equal(fast.body, (await stored(rn)).status_api);
      assert.deepEqual(fast, { ...routed, trace: fast.trace });
      assert.deepEqual(first, { ...routed, trace: first.trace });
      assert.equal(fast.body, injected.body);
      assert.match(fast.trace!, /^[0-9a-f]{16}$/);
      assert.notEqual(fast.trace, routed.trace);
      for (const [k, v] of Object.entries(fast.headers)) assert.equal(String(injected.headers[k]), v, k);

      await get(`/case-status/${rn}`, limitedToken);
      const within = Date.now() % 1000;
      if (within > 800) await sleep(1000 - within + 20); // both in one second
      const ok = await get(`/case-status/${rn}`, limitedToken);
      const spiked = await get(`/case-status/${rn}`, limitedToken);
      const spikedRouted = await get(`/case-status/${rn}/`, limitedToken);
      assert.equal(ok.status === 200 || ok.status === 429, true);
      assert.equal(spiked.status, 429, spiked.body);
      assert.equal(spikedRouted.status, 429);
      assert.equal(spiked.body, spikedRouted.body);
      assert.deepEqual({ ...spiked.headers, 'retry-after': undefined }, { ...spikedRouted.headers, 'retry-after': undefined });
      assert.match(spiked.headers['retry-after']!, /^[12]$/);
    });

    test('a revoked (disabled) client is refused within seconds, although its token is remembered', async () => {
      const own = await t.clientToken(['case-status']);
      const record = caseRecord();
      await load(record);
      const rn = record.receiptNumber as string;
      assert.equal((await lookup(rn, bearer(own))).statusCode, 200);
      const clientId = (await t.deps.clients.resolveClient(own))!.clientId;
      await t.deps.database.db.updateTable('api_clients').set({ disabled: 1 }).where('id', '=', clientId).execute();
      const revokedAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < TOKEN_CACHE_MS + 3_000) {
        status = (await lookup(rn, bearer(own))).statusCode;
        if (status === 200) await sleep(100);
      }
      const took = Date.now() - revokedAt;
      assert.equal(status, 401);
      assert.ok(took <= TOKEN_CACHE_MS + 500, `refused after ${took} ms`);
      assert.ok(TOKEN_CACHE_MS <= 5_000);
    });
  });
}
