import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addBusinessDays, businessDayOnOrAfter, businessDayOnOrBefore, businessDaysBetween, computerWorkday, dayNumber, fiscalYear, isBusinessDay, isoDate, weekday,
} from './days.ts';

const d = dayNumber;

test('day numbers and dates go both ways, and know their weekday', () => {
  assert.equal(d('1970-01-01'), 0);
  assert.equal(isoDate(d('2024-02-29')), '2024-02-29');
  assert.equal(weekday(d('2026-11-29')), 0, 'a Sunday');
  assert.equal(weekday(d('1969-12-31')), 3, 'a Wednesday, before day 0');
});

test('business days skip weekends and federal holidays with their observed days (OPM schedule)', () => {
  assert.equal(isBusinessDay(d('2026-11-25')), true);
  assert.equal(isBusinessDay(d('2026-11-26')), false, 'Thanksgiving');
  assert.equal(isBusinessDay(d('2026-11-28')), false, 'a Saturday');
  assert.equal(isBusinessDay(d('2026-07-03')), false, 'Independence Day observed');
  assert.equal(isBusinessDay(d('2023-11-10')), false, 'Veterans Day observed');
  assert.equal(isoDate(businessDayOnOrAfter(d('2026-11-28'))), '2026-11-30');
  assert.equal(isoDate(businessDayOnOrAfter(d('2026-07-03'))), '2026-07-06', 'Friday holiday, weekend, Monday');
  assert.equal(isoDate(businessDayOnOrAfter(d('2026-11-30'))), '2026-11-30');
  assert.equal(isoDate(businessDayOnOrBefore(d('2026-11-29'))), '2026-11-27');
  assert.equal(isoDate(businessDayOnOrBefore(d('2026-11-26'))), '2026-11-25', 'Thanksgiving: the Wednesday before');
  assert.equal(isoDate(businessDayOnOrBefore(d('2027-01-03'))), '2026-12-31', 'over New Year (Friday 1 January)');
  assert.equal(isoDate(addBusinessDays(d('2026-11-27'), 2)), '2026-12-01', 'Friday + 2 working days is Tuesday');
  assert.equal(isoDate(addBusinessDays(d('2026-11-25'), 1)), '2026-11-27', 'Thanksgiving is not a working day');
  assert.equal(isoDate(addBusinessDays(d('2026-12-23'), 2)), '2026-12-28', 'nor is Christmas');
});

test('the fiscal year starts on 1 October and is named by the year it ends in', () => {
  assert.equal(fiscalYear(d('2025-09-30')), 2025);
  assert.equal(fiscalYear(d('2025-10-01')), 2026);
  assert.equal(fiscalYear(d('2026-01-15')), 2026);
});

test('the computer workday counts business days from 1 October: no weekends, no federal holidays', () => {
  // 1 October 2025 was a Wednesday; Columbus Day was Monday 13 October 2025.
  assert.equal(computerWorkday(d('2025-10-01')), 1);
  assert.equal(computerWorkday(d('2025-10-03')), 3);
  assert.equal(computerWorkday(d('2025-10-06')), 4, 'the weekend does not count');
  assert.equal(computerWorkday(d('2025-10-10')), 8);
  assert.equal(computerWorkday(d('2025-10-13')), 8, 'Columbus Day is no workday: it keeps Friday’s number');
  assert.equal(computerWorkday(d('2025-10-14')), 9);
  // FY2026: 261 weekdays less 11 federal holidays on weekdays (13 Oct, 11 and 27 Nov, 25 Dec 2025; 1 and 19 Jan,
  // 16 Feb, 25 May, 19 Jun, 3 Jul, 7 Sep 2026).
  assert.equal(computerWorkday(d('2026-09-30')), 250);
  assert.equal(businessDaysBetween(d('2026-11-23'), d('2026-11-29')), 4, 'Thanksgiving week');
  assert.equal(businessDaysBetween(d('2026-11-29'), d('2026-11-23')), 0);
  assert.equal(businessDaysBetween(d('2026-11-23'), d('2026-11-23')), 1);
});
