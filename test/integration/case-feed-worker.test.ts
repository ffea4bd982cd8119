/** A large NDJSON feed is parsed and checked on a worker thread (cases/feed-checker.ts): the outcome is the same as on one thread. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';
import type { FeedItem } from '../../src/cases/feed-stream.ts';
import type { CheckerOptions } from '../../src/cases/feed-checker.ts';

/** 150 lines: good records, a repeated receipt number (the later wins), instants, bad JSON, bad records, blanks, one parsed value. */
function feed(): Array<string | { value: unknown }> {
  const repeated = receiptNumber();
  const lines: Array<string | { value: unknown }> = [];
  for (let i = 1; i <= 150; i++) {
    if (i % 17 === 0) lines.push('{"receiptNumber": "EAC25900');
    else if (i % 23 === 0) lines.push('');
    else if (i % 19 === 0) lines.push(JSON.stringify(caseRecord({ office: 'XXX' })));
    else if (i === 30 || i === 120) lines.push(JSON.stringify(caseRecord({ receiptNumber: repeated, chargeability: i === 30 ? 'INDIA' : 'MEXICO' })));
    else if (i === 75) lines.push({ value: caseRecord({ formType: 'I-765' }) });
    else if (i % 5 === 0) lines.push(JSON.stringify(caseRecord({ history: [{ at: `2025-01-14T2${i % 4}:30:00-05:00`, status: 'case-was-received' }] })));
    else lines.push(JSON.stringify(caseRecord()));
  }
  return lines;
}

/** The feed as the NDJSON reader yields it, pausing after line 12 (a slow sender) so a thread started there is ready. */
async function* items(lines: Array<string | { value: unknown }>): AsyncGenerator<FeedItem> {
  for (const [i, l] of lines.entries()) {
    if (i === 12) await new Promise((resolve) => setTimeout(resolve, 2000));
    if (typeof l !== 'string') yield { line: i + 1, value: l.value };
    else if (l.trim() !== '') yield { line: i + 1, text: l };
  }
}

for (const kind of databaseKinds()) {
  describe(`case feed on a worker thread [${kind}]`, () => {
    let one: TestApp;
    let two: TestApp;
    before(async () => {
      [one, two] = await Promise.all([startTestApp(kind), startTestApp(kind)]);
    });
    after(async () => {
      await Promise.all([one.close(), two.close()]);
    });

    const load = (t: TestApp, lines: ReturnType<typeof feed>, checker: CheckerOptions) =>
      t.deps.feed.import(items(lines), { kind: 'cli' }, { batchSize: 25, checker });
    const rows = async (t: TestApp) =>
      (await t.deps.database.db.selectFrom('cases').selectAll().orderBy('receipt_number').execute()).map(({ updated_at: _, ...r }) => r);
    const audit = async (t: TestApp) =>
      (await t.deps.database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'case-feed-load').orderBy('seq').execute());

    test('the same result, rows and audit entries as on one thread', async () => {
      const lines = feed();
      let tookOver = 0;
      const here = await load(one, lines, { workerAfter: Infinity });
      const there = await load(two, lines, { workerAfter: 10, chunk: 7, onWorker: () => tookOver++ });
      assert.equal(tookOver, 1, 'the worker thread took over');
      assert.deepEqual(there, here);
      assert.ok(here.accepted > 100 && here.rejected.length > 10, JSON.stringify(here));
      assert.deepEqual(here.rejected.slice(0, 2), [
        { line: 17, code: 'invalid-request', detail: 'The request body is not valid JSON.' },
        { line: 19, code: 'invalid-request', detail: 'office is missing or not a known office code', receiptNumber: here.rejected[1]!.receiptNumber },
      ]);
      assert.deepEqual(await rows(two), await rows(one));
      assert.deepEqual(await audit(two), await audit(one));
      // Re-sent: only the repeated receipt number is written (twice: each of its lines differs from the one stored), on either path.
      const againHere = await load(one, lines, { workerAfter: Infinity });
      const againThere = await load(two, lines, { workerAfter: 10, chunk: 7 });
      assert.deepEqual(againThere, againHere);
      assert.equal(againHere.changed, 2);
      assert.deepEqual(await rows(two), await rows(one));
    });
  });
}
