/** The case feed's batch writes on SQLite: the prepared synchronous statements (cases/store.ts feedWrites) store what Kysely's path stores. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { loadAgency } from '../../src/platform/reference.ts';
import { checkFeedRecord, feedVocabulary } from '../../src/cases/feed-record.ts';
import { feedWrites, type FeedWrites } from '../../src/cases/store.ts';
import type { CaseTable } from '../../src/platform/db/schema.ts';
import { caseRecord, receiptNumber } from '../support/factories.ts';

const vocabulary = feedVocabulary(loadAgency('uscis'));
const NOW = '2026-12-02T10:00:00.000Z';
const row = (overrides: Record<string, unknown>): CaseTable => {
  const c = checkFeedRecord(caseRecord(overrides), vocabulary, NOW);
  assert.ok(c.ok);
  return c.row;
};

describe('case feed writes on SQLite: prepared statements and Kysely agree', () => {
  const dirs: string[] = [];
  let kysely: DatabaseHandle;
  let prepared: DatabaseHandle;
  const open = async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-feed-writes-'));
    dirs.push(dataDir);
    const h = openDatabase({ databaseUrl: null, dataDir });
    await migrateToLatest(h);
    return h;
  };
  before(async () => {
    [kysely, prepared] = [await open(), await open()];
  });
  after(async () => {
    await kysely.close();
    await prepared.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const inBatch = <T>(h: DatabaseHandle, work: (w: FeedWrites, trx: Parameters<FeedWrites['upsertCases']>[0]) => Promise<T> | T) => {
    const w = h === prepared ? feedWrites(h.db, h.sqlite) : feedWrites(h.db);
    return h.db.transaction().execute(async (trx) => work(w, trx));
  };
  const all = (h: DatabaseHandle) => h.db.selectFrom('cases').selectAll().orderBy('receipt_number').execute();

  test('new cases, changed cases, and a case whose local history changed meanwhile are stored the same', async () => {
    const receipts = Array.from({ length: 7 }, () => receiptNumber());
    const first = receipts.map((rn, i) => row({ receiptNumber: rn, office: i % 2 ? 'CSC' : 'VSC', applicant: { name: `Person ${i}`, dateOfBirth: '1990-03-02', aNumber: i === 3 ? null : `A01234567${i}` } }));
    const later = receipts.slice(0, 4).map((rn, i) => row({ receiptNumber: rn, office: 'NSC', history: [{ date: '2025-01-14', status: 'case-was-received' }, { date: '2025-02-0' + (i + 1), status: 'case-was-approved' }] }));
    for (const h of [kysely, prepared]) {
      assert.equal((await inBatch(h, (w, trx) => w.existingKeys(trx, receipts))).size, 0);
      await inBatch(h, (w, trx) => w.upsertCases(trx, first));
      // A duplicate notice committed between the feed's read and its write: the prepared document is then not kept.
      await h.db.updateTable('cases').set({ local_history: '[{"date":"2025-01-20","status":"duplicate-notice-was-mailed"}]' }).where('receipt_number', '=', receipts[0]!).execute();
      await inBatch(h, (w, trx) => w.upsertCases(trx, later));
    }
    const [a, b] = [await all(kysely), await all(prepared)];
    assert.equal(a.length, 7);
    assert.deepEqual(b, a);
    assert.equal(a[0]!.status_document, null, 'the document of a case whose local history moved on is left to be re-rendered');
    assert.notEqual(a[1]!.status_document, null);
    assert.equal(a.filter((r) => r.office === 'NSC').length, 4);
    // What the batch reads before writing: the same on both paths, for found and unknown receipt numbers.
    const ask = [...receipts, receiptNumber()];
    const [ka, kb] = [await inBatch(kysely, (w, trx) => w.existingKeys(trx, ask)), await inBatch(prepared, (w, trx) => w.existingKeys(trx, ask))];
    assert.equal(ka.size, 7);
    assert.deepEqual(new Map([...kb].map(([k, v]) => [k, { ...v }])), new Map([...ka].map(([k, v]) => [k, { ...v }])));
  });

  test('a failed batch leaves nothing behind on the prepared path (the statements run inside the transaction)', async () => {
    const rn = receiptNumber();
    await assert.rejects(inBatch(prepared, async (w, trx) => {
      await w.upsertCases(trx, [row({ receiptNumber: rn })]);
      throw new Error('a hook failed');
    }), /a hook failed/);
    assert.equal((await prepared.db.selectFrom('cases').select('receipt_number').where('receipt_number', '=', rn).execute()).length, 0);
  });
});
