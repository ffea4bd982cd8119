/** The service's rules on a real (temporary) SQLite database with a fixed clock: window, ≥10 rule, daily cache, inquiry dates. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { loadAgency } from '../platform/reference.ts';
import { AuditService } from '../audit/service.ts';
import { CaseFeedService } from '../cases/service.ts';
import { feedVocabulary } from '../cases/feed-record.ts';
import { addDays, earliestInquiryDate, inquiryReceiptDate } from '../domain/processing-time.ts';
import { caseRecord } from '../../test/support/factories.ts';
import { invalidateProcessingTimes } from '../cases/store.ts';
import { ProcessingTimeService } from './service.ts';
import * as store from './store.ts';

const agency = loadAgency('uscis');
const system = { kind: 'system' as const };

describe('processing-time service (fixed clock)', () => {
  let dir: string;
  let database: DatabaseHandle;
  let feed: CaseFeedService;
  // 03:00 UTC on 30 November is still 29 November in New York: "today" is the agency's day.
  let now = new Date('2026-11-30T03:00:00Z');
  let service: ProcessingTimeService;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-pt-'));
    database = openDatabase({ databaseUrl: null, dataDir: dir });
    await migrateToLatest(database);
    const audit = new AuditService(database.db);
    feed = new CaseFeedService(database.db, audit, feedVocabulary(agency));
    service = new ProcessingTimeService(database.db, audit, agency, () => now);
  });
  after(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const load = (records: Array<Record<string, unknown>>) =>
    feed.import((async function* () { let line = 0; for (const value of records) yield { line: ++line, value }; })(), system);
  /** A case decided on `decided` after `days` days. */
  const decidedCase = (group: { formType: string; formCategory?: string; office: string }, decided: string, days: number) => {
    const received = addDays(decided, -days);
    return caseRecord({ ...group, receivedDate: received, decidedDate: decided, history: [{ date: received, status: 'case-was-received' }, { date: decided, status: 'case-was-approved' }] });
  };

  test('today is taken in the agency time zone', () => {
    assert.equal(service.today(), '2026-11-29');
  });

  test('a figure is computed from at least 10 decisions in the six months up to today, inclusive at both ends', async () => {
    const g = { formType: 'I-90', formCategory: 'renewal of permanent resident card', office: 'NSC' };
    // windowStart(2026-11-29) = 2026-05-29: that day counts, the day before and any day after today do not.
    const inWindow = [100, 110, 120, 130, 140, 150, 160, 170, 180].map((d, i) => decidedCase(g, addDays('2026-06-01', i), d));
    await load([...inWindow, decidedCase(g, '2026-05-28', 20), decidedCase(g, '2026-12-01', 20)]);
    let f = await service.figure(g);
    assert.equal(f.basis, 'default', '9 decisions in the window are too few');
    assert.equal(f.months80, 6);

    now = new Date('2026-11-30T04:00:00Z'); // 23:00 on the 29th in New York: still the same day, so the cache answers
    await load([decidedCase(g, '2026-05-29', 190)]);
    f = await service.figure(g);
    // 10 decisions: 100…190 days; the nearest-rank 80th percentile is the 8th smallest, 170 days = 5.6 months.
    assert.deepEqual({ basis: f.basis, months80: f.months80, asOf: f.asOf }, { basis: 'computed', months80: 5.6, asOf: '2026-11-29' });
    assert.equal(f.inquiryReceiptDate, inquiryReceiptDate('2026-11-29', 5.6));
  });

  test('the cache holds for the day; the next day the window moves and the figure is recomputed', async () => {
    const g = { formType: 'I-90', formCategory: 'renewal of permanent resident card', office: 'NSC' };
    // Change a decision behind the feed's back: the cached figure is still used today…
    await database.db.updateTable('cases').set({ decision_days: 1 }).where('form_type', '=', 'I-90').where('office', '=', 'NSC').where('decision_days', '=', 170).execute();
    assert.equal((await service.figure(g)).months80, 5.6);
    // …and tomorrow the case decided on 2026-05-29 has left the window, leaving 9: back to the default.
    now = new Date('2026-11-30T15:00:00Z');
    const f = await service.figure(g);
    assert.equal(f.basis, 'default');
    assert.equal(f.asOf, '2026-11-30');
    now = new Date('2026-11-30T03:00:00Z');
  });

  test('without a category, every category of the form at that office counts', async () => {
    const a = { formType: 'I-131', formCategory: 'advance parole', office: 'TSC' };
    const b = { formType: 'I-131', formCategory: 'reentry permit', office: 'TSC' };
    await load([...Array.from({ length: 5 }, (_, i) => decidedCase(a, '2026-10-01', 50 + i)), ...Array.from({ length: 5 }, (_, i) => decidedCase(b, '2026-10-01', 300 + i))]);
    assert.equal((await service.figure(a)).basis, 'default');
    const all = await service.figure({ formType: 'I-131', office: 'TSC' });
    assert.equal(all.basis, 'computed');
    assert.equal(all.formCategory, null);
    assert.equal(all.months80, Math.round((302 / 30.4375) * 10) / 10);
  });

  test('inquiry: received before the inquiry receipt date is outside; the earliest date is the first day it is', async () => {
    const today = '2026-11-29';
    const old = { form_type: 'I-600', form_category: '', office: 'VSC', field_office: null, received_date: '2026-03-01', decided_date: null };
    const r = await service.inquiryFor(old);
    assert.equal(r.processingTime.basis, 'default');
    assert.equal(r.outsideNormalProcessingTime, true);
    assert.equal(r.earliestInquiryDate, earliestInquiryDate('2026-03-01', 6));
    assert.ok(r.earliestInquiryDate! <= today);

    const recent = await service.inquiryFor({ ...old, received_date: '2026-09-01' });
    assert.equal(recent.outsideNormalProcessingTime, false);
    assert.equal(recent.earliestInquiryDate, '2027-03-04'); // 2026-09-01 + 183 days (182.625 rounded up) + 1

    // The day before the earliest date it is not outside yet; on that day it is.
    const edge = addDays(today, -184); // received + 183 days + 1 = today
    assert.equal((await service.inquiryFor({ ...old, received_date: edge })).outsideNormalProcessingTime, true);
    assert.equal((await service.inquiryFor({ ...old, received_date: addDays(edge, 1) })).outsideNormalProcessingTime, false);

    const decided = await service.inquiryFor({ ...old, decided_date: '2026-11-01' });
    assert.equal(decided.outsideNormalProcessingTime, false);
    assert.equal(decided.earliestInquiryDate, earliestInquiryDate(old.received_date, 6), 'the formula date, even though a decided case is never outside');
  });

  test('publishing validates every row and names the bad fields', async () => {
    await assert.rejects(service.publish([
      { formType: 'I-999', office: 'VSC', months80: 3, asOf: '2026-11-01' },
      { formType: 'I-130', office: 'XXX', months80: 3, asOf: '2026-02-30' },
      { formType: 'i-130', formCategory: 'Spouse of U.S. citizen', office: 'vsc', months80: 3, asOf: '2026-11-01' },
      { formType: 'I-130', formCategory: 'spouse of u.s. citizen ', office: 'VSC', months80: 4, asOf: '2026-11-01' },
    ], system), (err: { extensions: { errors: Array<{ field: string; code: string }> } }) => {
      assert.deepEqual(err.extensions.errors.map((e) => [e.field, e.code]), [
        ['0.formType', 'unknown-form'], ['1.office', 'unknown-office'], ['1.asOf', 'invalid-date'], ['3', 'duplicate'],
      ]);
      return true;
    });
    const stored = await service.publish([{ formType: 'i-129', formCategory: 'h-1b', office: 'csc', months80: 2.25, asOf: '2026-11-01' }], system);
    assert.deepEqual(stored, [{ formType: 'I-129', formCategory: 'H-1B', office: 'CSC', months80: 2.25, asOf: '2026-11-01' }]);
    const f = await service.figure({ formType: 'I-129', formCategory: 'H-1B', office: 'CSC' });
    assert.deepEqual({ basis: f.basis, months80: f.months80, asOf: f.asOf, formCategory: f.formCategory }, { basis: 'published', months80: 2.25, asOf: '2026-11-01', formCategory: 'H-1B' });
  });

  test('a figure computed while the feed changes its group is not cached', async () => {
    const key = { form_type: 'I-589', form_category: 'affirmative asylum', office: 'NYC' };
    await store.claimFigure(database.db, key, 'one');
    // The feed changes the group between the claim and the fill: its invalidation deletes the claim.
    await invalidateProcessingTimes(database.db, [key]);
    assert.equal(await store.fillFigure(database.db, key, 'one', { today: '2026-11-29', months80: 3, decisions: 12 }), false);
    assert.equal(await store.cachedFigure(database.db, key.form_type, key.form_category, key.office), undefined);
    // Undisturbed, the claim is filled; a newer claim wins over an older one.
    await store.claimFigure(database.db, key, 'two');
    await store.claimFigure(database.db, key, 'three');
    assert.equal(await store.fillFigure(database.db, key, 'two', { today: '2026-11-29', months80: 3, decisions: 12 }), false);
    assert.equal(await store.fillFigure(database.db, key, 'three', { today: '2026-11-29', months80: 4, decisions: 12 }), true);
    assert.deepEqual(await store.cachedFigure(database.db, key.form_type, key.form_category, key.office), { today: '2026-11-29', months80: 4, decisions: 12 });
  });

  test('the demo seed publishes its rows once, as of the first of this month', async () => {
    const { seedDemoProcessingTimes, DEMO_PUBLISHED } = await import('./seed.ts');
    // Rows were published by an earlier test: nothing more is published.
    assert.equal(await seedDemoProcessingTimes(service), 0);
    await database.db.deleteFrom('processing_times').execute();
    assert.equal(await seedDemoProcessingTimes(service), DEMO_PUBLISHED.length);
    const f = await service.figure({ formType: 'N-400', formCategory: 'naturalization', office: 'NYC' });
    assert.deepEqual([f.basis, f.months80, f.asOf], ['published', 7, '2026-11-01']);
  });
});
