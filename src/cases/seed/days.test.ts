import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addWeekdays, computerWorkday, dayNumber, fiscalYear, isoDate, weekday, weekdayOnOrAfter, weekdayOnOrBefore, weekdaysBetween } from './days.ts';

const d = dayNumber;

test('day numbers and dates go both ways, and know their weekday', () => {
  assert.equal(d('1970-01-01'), 0);
  assert.equal(isoDate(d('2024-02-29')), '2024-02-29');
  assert.equal(weekday(d('2026-11-29')), 0, 'a Sunday');
  assert.equal(weekday(d('1969-12-31')), 3, 'a Wednesday, before day 0');
  assert.equal(isoDate(weekdayOnOrAfter(d('2026-11-28'))), '2026-11-30');
  assert.equal(isoDate(weekdayOnOrBefore(d('2026-11-29'))), '2026-11-27');
  assert.equal(isoDate(addWeekdays(d('2026-11-27'), 2)), '2026-12-01', 'Friday + 2 working days is Tuesday');
});

test('the fiscal year starts on 1 October and is named by the year it ends in', () => {
  assert.equal(fiscalYear(d('2025-09-30')), 2025);
  assert.equal(fiscalYear(d('2025-10-01')), 2026);
  assert.equal(fiscalYear(d('2026-01-15')), 2026);
});

test('the computer workday counts weekdays from 1 October', () => {
  // 1 October 2025 was a Wednesday.
  assert.equal(computerWorkday(d('2025-10-01')), 1);
  assert.equal(computerWorkday(d('2025-10-03')), 3);
  assert.equal(computerWorkday(d('2025-10-06')), 4, 'the weekend does not count');
  assert.equal(computerWorkday(d('2026-09-30')), 261);
  assert.equal(weekdaysBetween(d('2026-11-23'), d('2026-11-29')), 5);
  assert.equal(weekdaysBetween(d('2026-11-29'), d('2026-11-23')), 0);
});
