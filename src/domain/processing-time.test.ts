import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysToMonths, earliestInquiryDate, inquiryReceiptDate, isOutsideNormalTime, months80FromDurations, nearestRank, windowStart, addDays, daysBetween, applicablePublished, chooseFigure, DAYS_PER_MONTH, MIN_DECISIONS, DEFAULT_MONTHS, WINDOW_MONTHS } from './processing-time.ts';
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

test('the contract\'s constants', () => {
  assert.deepEqual({ DAYS_PER_MONTH, MIN_DECISIONS, DEFAULT_MONTHS, WINDOW_MONTHS }, { DAYS_PER_MONTH: 30.4375, MIN_DECISIONS: 10, DEFAULT_MONTHS: 6, WINDOW_MONTHS: 6 });
});

test('nearest rank sorts numerically and picks the ceil(p·n)-th smallest', () => {
  const cases: [number[], number, number][] = [
    [[1000, 300, 40, 5], 0.25, 5], // a text sort would put 1000 first
    [[1000, 300, 40, 5], 0.5, 40],
    [[1000, 300, 40, 5], 0.8, 1000], // ceil(3.2) = 4th
    [[1000, 300, 40, 5], 0.75, 300], // ceil(3) = 3rd, exactly
    [[3, 1, 2], 0, 1], // p = 0 is the smallest, not beyond it
    [[3, 1, 2], 1, 3],
    [[7, 7, 7], 0.8, 7],
  ];
  for (const [values, p, expected] of cases) assert.equal(nearestRank(values, p), expected, `${values} at ${p}`);
  const values = [3, 1, 2];
  nearestRank(values, 0.8);
  assert.deepEqual(values, [3, 1, 2], 'the input is not sorted in place');
  assert.throws(() => nearestRank([], 0.8), (e: unknown) => e instanceof RangeError && e.message === 'no values');
});

test('months from days: divided by 30.4375, rounded half up to one decimal', () => {
  const cases: [number, number][] = [[0, 0], [30.4375, 1], [44, 1.4], [45, 1.5], [1, 0], [2, 0.1], [182.625, 6], [3652.5, 120]];
  for (const [days, months] of cases) assert.equal(daysToMonths(days), months, String(days));
  assert.equal(months80FromDurations([]), null);
  assert.equal(months80FromDurations([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1000]), 3); // 9th of 11 = 90 days → 2.96
  assert.equal(months80FromDurations([400, 1, 1, 1, 1, 1, 1, 1, 1, 1]), 0);
});

test('days between two dates and a date plus days, across month, year and leap-day boundaries', () => {
  const between: [string, string, number][] = [
    ['2026-01-01', '2026-01-01', 0], ['2026-01-01', '2026-01-02', 1], ['2026-01-02', '2026-01-01', -1],
    ['2026-02-28', '2026-03-01', 1], ['2024-02-28', '2024-03-01', 2], ['2025-12-31', '2026-01-01', 1],
    ['2026-01-01', '2027-01-01', 365], ['2024-01-01', '2025-01-01', 366], ['2026-03-01', '2026-11-01', 245],
  ];
  for (const [from, to, days] of between) assert.equal(daysBetween(from, to), days, `${from} → ${to}`);
  const plus: [string, number, string][] = [
    ['2026-01-31', 1, '2026-02-01'], ['2024-02-28', 1, '2024-02-29'], ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-01', -1, '2026-02-28'], ['2026-12-31', 1, '2027-01-01'], ['2026-03-08', 1, '2026-03-09'], ['2026-11-29', 0, '2026-11-29'],
  ];
  for (const [date, days, expected] of plus) assert.equal(addDays(date, days), expected, `${date} + ${days}`);
});

test('windows, inquiry receipt dates and earliest inquiry dates as known answers', () => {
  const windows: [string, string][] = [['2026-11-29', '2026-05-29'], ['2026-03-31', '2025-09-30'], ['2024-08-29', '2024-02-29'], ['2026-01-15', '2025-07-15']];
  for (const [today, start] of windows) assert.equal(windowStart(today), start, today);
  const receipt: [string, number, string][] = [
    ['2026-11-29', 16, '2025-07-30'], // 487 days exactly: not rounded up to 488
    ['2026-11-29', 1, '2026-10-29'], // 30.4375 → 31 days back
    ['2026-11-29', 0.1, '2026-11-25'], // 3.04375 → 4 days back
  ];
  for (const [today, months, date] of receipt) assert.equal(inquiryReceiptDate(today, months), date, `${today} ${months}`);
  const earliest: [string, number, string][] = [
    ['2026-01-01', 0, '2026-01-02'], ['2026-01-01', 16, '2027-05-04'], ['2026-01-01', 1, '2026-02-02'], ['2026-01-01', 6, '2026-07-04'],
  ];
  for (const [received, months, date] of earliest) assert.equal(earliestInquiryDate(received, months), date, `${received} ${months}`);
  const outside: [string, boolean, string, number, boolean][] = [
    ['2025-07-29', false, '2026-11-29', 16, true], ['2025-07-30', false, '2026-11-29', 16, false],
    ['2025-07-29', true, '2026-11-29', 16, false], ['2026-11-28', false, '2026-11-29', 0, true], ['2026-11-29', false, '2026-11-29', 0, false],
  ];
  for (const [received, decided, today, months, expected] of outside) assert.equal(isOutsideNormalTime(received, decided, today, months), expected, `${received} ${decided} ${today} ${months}`);
});

test('a computed figure of zero months is still a computed figure', () => {
  assert.deepEqual(chooseFigure(null, 0, '2026-11-29'), { months80: 0, basis: 'computed', asOf: '2026-11-29' });
  assert.equal(applicablePublished([{ formCategory: 'x', months80: 1, asOf: '2026-01-01' }], ''), null, 'an empty category asks for the row without category');
});
