import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysToMonths, earliestInquiryDate, inquiryReceiptDate, isOutsideNormalTime, months80FromDurations, nearestRank, windowStart, addDays } from './processing-time.ts';
import { applicableMonth, cellFor, isCurrent } from './visa-bulletin.ts';

test('nearest-rank 80th percentile', () => {
  assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.8), 8);
  assert.equal(nearestRank([10, 1, 9, 2, 8, 3, 7, 4, 6, 5, 11], 0.8), 9); // ceil(8.8) = 9th
  assert.equal(nearestRank([42], 0.8), 42);
});

test('a figure needs at least 10 decisions and is rounded to one decimal month', () => {
  assert.equal(months80FromDurations([100, 100, 100, 100, 100, 100, 100, 100, 100]), null);
  assert.equal(months80FromDurations(Array(10).fill(183)), 6);
  assert.equal(daysToMonths(100), 3.3);
  assert.equal(daysToMonths(365.25), 12);
});

test('inquiry receipt date: today minus months × 30.4375 days, rounded down', () => {
  assert.equal(inquiryReceiptDate('2026-11-29', 6), '2026-05-30'); // 182.625 days back
  assert.equal(inquiryReceiptDate('2026-11-29', 4), '2026-07-30'); // 121.75 days back → 122
  assert.equal(inquiryReceiptDate('2026-11-29', 0), '2026-11-29');
});

test('earliest inquiry date: received + months × 30.4375 days rounded up, plus one day', () => {
  assert.equal(earliestInquiryDate('2026-01-01', 6), addDays('2026-01-01', 184));
});

test('property: a pending case is outside exactly from its earliest inquiry date on; decided cases never', () => {
  const date = fc.integer({ min: 0, max: 3000 }).map((d) => addDays('2020-01-01', d));
  const months = fc.integer({ min: 0, max: 600 }).map((x) => x / 10);
  fc.assert(fc.property(date, fc.integer({ min: -400, max: 400 }), months, (received, offset, m) => {
    const today = addDays(received, offset);
    const outside = isOutsideNormalTime(received, false, today, m);
    return outside === (today >= earliestInquiryDate(received, m)) && !isOutsideNormalTime(received, true, today, m);
  }));
});

test('the computation window is six calendar months', () => {
  assert.equal(windowStart('2026-11-29'), '2026-05-29');
  assert.equal(windowStart('2026-08-31'), '2026-02-28');
});

test('visa bulletin: C is current, U never, a date when the priority date is earlier; ALL is the fallback', () => {
  const table = { F2A: { ALL: 'C', MEXICO: '2023-02-01' }, EB3: { ALL: '2022-12-01', CHINA: 'U' } };
  assert.equal(cellFor(table, 'F2A', 'INDIA'), 'C');
  assert.equal(cellFor(table, 'f2a', 'mexico'), '2023-02-01');
  assert.equal(cellFor(table, 'F4', 'ALL'), null);
  assert.equal(isCurrent('2023-01-31', '2023-02-01'), true);
  assert.equal(isCurrent('2023-02-01', '2023-02-01'), false);
  assert.equal(isCurrent('1990-01-01', 'U'), false);
  assert.equal(isCurrent('2030-01-01', 'C'), true);
});

test('the applicable bulletin is this month\'s, else the latest before it', () => {
  assert.equal(applicableMonth(['2026-10', '2026-11', '2026-12'], '2026-11-29'), '2026-11');
  assert.equal(applicableMonth(['2026-09', '2026-10', '2027-01'], '2026-11-29'), '2026-10');
  assert.equal(applicableMonth(['2027-01'], '2026-11-29'), '2027-01');
  assert.equal(applicableMonth([], '2026-11-29'), null);
});
