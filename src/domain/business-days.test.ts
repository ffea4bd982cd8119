/**
 * Business days. Known answers come from OPM's published federal holiday schedules (opm.gov, "Federal
 * Holidays"), typed in by hand below, and were counted on a paper calendar and re-checked with a separate
 * script over those hand lists, never with this module.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BusinessCalendar, HOLIDAY_TYPES, MAX_BUSINESS_DAYS, US_FEDERAL, businessCalendar, type CalendarSpec } from './business-days.ts';

const NY = businessCalendar(US_FEDERAL, 'America/New_York');
const LA = businessCalendar(US_FEDERAL, 'America/Los_Angeles');

/** OPM: the weekdays on which federal offices are closed (the observed day when the holiday falls on a weekend). */
const OPM: Record<number, string[]> = {
  2023: ['01-02', '01-16', '02-20', '05-29', '06-19', '07-04', '09-04', '10-09', '11-10', '11-23', '12-25'],
  2026: ['01-01', '01-19', '02-16', '05-25', '06-19', '07-03', '09-07', '10-12', '11-11', '11-26', '12-25'],
  2027: ['01-01', '01-18', '02-15', '05-31', '06-18', '07-05', '09-06', '10-11', '11-11', '11-25', '12-24', '12-31'],
  2028: ['01-17', '02-21', '05-29', '06-19', '07-04', '09-04', '10-09', '11-10', '11-23', '12-25'],
};
const isWeekend = (d: string) => [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay());

test('the closed weekdays of each year are exactly OPM’s federal holidays and observed days', () => {
  for (const [year, days] of Object.entries(OPM)) {
    const expected = days.map((d) => `${year}-${d}`);
    assert.deepEqual(NY.holidays(Number(year)).filter((d) => !isWeekend(d)), expected, year);
    for (const d of expected) assert.equal(NY.isBusinessDay(d), false, d);
    for (const d of expected) assert.equal(NY.isHoliday(d), true, d);
  }
  // The actual days that fall on a weekend are listed too (harmless: weekends are closed anyway).
  assert.ok(NY.holidays(2026).includes('2026-07-04'));
  assert.deepEqual(NY.holidays(2026), [...NY.holidays(2026)].sort(), 'sorted');
});

test('observed days: 3 July 2026, Christmas 2027 on 24 December, New Year 2028 on 31 December 2027, Veterans Day 2028 on 10 November', () => {
  const closed = ['2026-07-03', '2027-12-24', '2027-12-31', '2028-11-10', '2023-11-10', '2027-06-18', '2027-07-05'];
  for (const d of closed) assert.equal(NY.isBusinessDay(d), false, d);
  const open = ['2026-07-02', '2026-07-06', '2027-12-23', '2027-12-30', '2028-01-03', '2028-11-09', '2028-11-13', '2026-11-27', '2026-12-24', '2026-12-31'];
  for (const d of open) assert.equal(NY.isBusinessDay(d), true, d);
  assert.ok(NY.holidays(2027).includes('2027-12-31'), 'listed in the year it falls in');
  assert.ok(!NY.holidays(2028).includes('2027-12-31'));
  assert.ok(!NY.holidays(2027).includes('2028-01-01'));
  assert.ok(NY.holidays(2028).includes('2028-01-01'));
  assert.equal(NY.isHoliday('2028-01-01'), true, 'a Saturday holiday is a holiday');
  assert.equal(NY.isHoliday('2026-11-28'), false, 'a plain Saturday is not');
  assert.equal(NY.isBusinessDay('2026-11-28'), false, 'but it is no business day');
  assert.equal(NY.isBusinessDay('2026-11-29'), false, 'nor is a Sunday');
});

test('observances are not closures: the day after Thanksgiving, Christmas Eve, New Year’s Eve, Easter Monday', () => {
  for (const d of ['2026-11-27', '2026-12-24', '2026-12-31', '2026-04-06', '2026-04-15', '2026-10-30']) assert.equal(NY.isBusinessDay(d), true, d);
});

test('the n-th business day after a date (known answers)', () => {
  const cases: Array<[string, number, string, string]> = [
    ['2026-11-20', 15, '2026-12-14', 'Thanksgiving 26 November skipped'],
    ['2026-11-20', 5, '2026-11-30', 'a Friday: the weekend does not count'],
    ['2026-11-25', 5, '2026-12-03', 'the day before Thanksgiving'],
    ['2026-12-18', 15, '2027-01-12', 'over Christmas and New Year'],
    ['2026-06-30', 5, '2026-07-08', 'Independence Day observed on Friday 3 July'],
    ['2026-12-04', 5, '2026-12-11', 'a Friday creation'],
    ['2026-12-05', 5, '2026-12-11', 'a Saturday creation counts from Monday'],
    ['2026-12-06', 5, '2026-12-11', 'a Sunday creation counts from Monday'],
    ['2026-12-03', 5, '2026-12-10', 'a Thursday'],
    ['2026-12-22', 5, '2026-12-30', 'Christmas 2026 on a Friday'],
    ['2026-12-31', 1, '2027-01-04', 'New Year 2027 on a Friday'],
    ['2027-12-22', 5, '2027-12-30', 'Christmas 2027 observed on 24 December'],
    ['2027-12-22', 15, '2028-01-14', 'New Year 2028 observed on 31 December 2027'],
    ['2027-06-17', 1, '2027-06-21', 'Juneteenth 2027 observed on Friday 18 June'],
    ['2027-07-02', 1, '2027-07-06', 'Independence Day 2027 observed on Monday 5 July'],
    ['2028-11-08', 5, '2028-11-16', 'Veterans Day 2028 observed on Friday 10 November'],
    ['2026-11-26', 1, '2026-11-27', 'from a holiday itself'],
    ['2026-12-14', 1, '2026-12-15', 'one day'],
  ];
  for (const [from, n, due, why] of cases) assert.equal(NY.addBusinessDays(from, n), due, `${n} after ${from}: ${why}`);
  assert.equal(NY.addBusinessDays('2026-01-02', MAX_BUSINESS_DAYS) > '2035-12-01', true, 'the largest count is allowed');
});

test('next and previous business days', () => {
  assert.equal(NY.onOrAfter('2026-07-03'), '2026-07-06');
  assert.equal(NY.onOrAfter('2026-07-06'), '2026-07-06');
  assert.equal(NY.onOrAfter('2027-12-31'), '2028-01-03');
  assert.equal(NY.onOrBefore('2026-07-05'), '2026-07-02');
  assert.equal(NY.onOrBefore('2027-01-01'), '2026-12-31');
  assert.equal(NY.onOrBefore('2026-12-31'), '2026-12-31');
});

test('business days between two dates, both included', () => {
  assert.equal(NY.businessDaysBetween('2026-11-23', '2026-11-29'), 4, 'Thanksgiving week');
  assert.equal(NY.businessDaysBetween('2026-10-01', '2026-10-31'), 21, '22 weekdays less Columbus Day');
  assert.equal(NY.businessDaysBetween('2026-11-23', '2026-11-23'), 1);
  assert.equal(NY.businessDaysBetween('2026-11-26', '2026-11-26'), 0);
  assert.equal(NY.businessDaysBetween('2026-11-29', '2026-11-23'), 0);
  assert.equal(NY.businessDaysBetween('2027-12-30', '2028-01-03'), 2, '30 December and 3 January');
});

test('the date at an instant is the office’s: one instant, two offices, two dates and two due dates', () => {
  const instant = new Date('2026-12-04T06:00:00Z'); // Friday 01:00 in New York, Thursday 22:00 in Los Angeles
  assert.equal(NY.dateAt(instant), '2026-12-04');
  assert.equal(LA.dateAt(instant), '2026-12-03');
  assert.equal(NY.dueDate(instant, 5), '2026-12-11');
  assert.equal(LA.dueDate(instant, 5), '2026-12-10');
  assert.equal(NY.dueDate(new Date('2026-11-21T04:59:59Z'), 15), '2026-12-14', 'still Friday 20 November in New York');
  assert.equal(NY.dueDate(new Date('2026-11-21T05:00:00Z'), 15), '2026-12-14', 'Saturday: counting starts on the same Monday');
  assert.equal(NY.dueDate(new Date('2026-11-20T04:59:59Z'), 15), '2026-12-11', 'Thursday 19 November in New York');
  assert.equal(NY.timeZone, 'America/New_York');
  assert.throws(() => NY.dateAt(new Date('nonsense')), /^RangeError: not an instant$/);
});

test('invalid dates, counts and years are refused', () => {
  for (const bad of ['2026-02-30', '2026-13-01', '2026-00-10', '20261120', '', '2026-11-20T00:00', ' 2026-11-20', '2026-1-20']) {
    assert.throws(() => NY.isBusinessDay(bad), RangeError, bad);
    assert.throws(() => NY.isHoliday(bad), RangeError, bad);
    assert.throws(() => NY.addBusinessDays(bad, 5), RangeError, bad);
    assert.throws(() => NY.onOrAfter(bad), RangeError, bad);
    assert.throws(() => NY.onOrBefore(bad), RangeError, bad);
    assert.throws(() => NY.businessDaysBetween(bad, '2026-11-20'), RangeError, bad);
    assert.throws(() => NY.businessDaysBetween('2026-11-20', bad), RangeError, bad);
  }
  assert.equal(NY.isBusinessDay('2028-02-29'), true, 'a leap day (a Tuesday)');
  assert.throws(() => NY.isBusinessDay('2027-02-29'), RangeError, 'not a leap year');
  for (const n of [0, -1, 1.5, MAX_BUSINESS_DAYS + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => NY.addBusinessDays('2026-11-20', n), /whole number from 1 to 2600/, String(n));
    assert.throws(() => NY.dueDate(new Date('2026-11-20T12:00:00Z'), n), RangeError, String(n));
  }
  assert.throws(() => NY.holidays(2026.5), /a year is a whole number/);
});

test('the calendar is data: country, region, holiday types, closures and zone', () => {
  const canada = businessCalendar({ country: 'CA', holidayTypes: ['public'] }, 'America/Toronto');
  assert.equal(canada.isBusinessDay('2026-07-01'), false, 'Canada Day');
  assert.equal(canada.isBusinessDay('2026-07-03'), true, 'not a Canadian holiday');
  assert.equal(canada.isBusinessDay('2026-04-03'), false, 'Good Friday');
  assert.equal(canada.isBusinessDay('2026-11-26'), true, 'no U.S. Thanksgiving');

  const dc = new BusinessCalendar({ ...US_FEDERAL, region: 'DC' }, 'America/New_York');
  assert.equal(dc.isBusinessDay('2027-04-16'), false, 'DC Emancipation Day');
  assert.equal(NY.isBusinessDay('2027-04-16'), true, 'not a federal holiday');

  const publicOnly = new BusinessCalendar({ country: 'US', holidayTypes: ['public'] }, 'America/New_York');
  assert.equal(publicOnly.isBusinessDay('2028-11-10'), true, 'date-holidays types observed Veterans Day 2028 as bank, not public');
  assert.equal(publicOnly.isBusinessDay('2027-12-31'), false);

  const closure = new BusinessCalendar({ ...US_FEDERAL, closures: ['2026-12-24'] }, 'America/New_York');
  assert.equal(closure.isBusinessDay('2026-12-24'), false);
  assert.equal(closure.isHoliday('2026-12-24'), true);
  assert.equal(closure.addBusinessDays('2026-12-22', 5), '2026-12-31');
  assert.equal(NY.addBusinessDays('2026-12-22', 5), '2026-12-30', 'another calendar on the same holidays is unaffected');
  assert.deepEqual(closure.holidays(2026).filter((d) => d >= '2026-11-01'), ['2026-11-11', '2026-11-26', '2026-12-24', '2026-12-25'], 'in date order');
  assert.ok(!closure.holidays(2025).includes('2026-12-24'));
  assert.ok(!closure.holidays(2027).includes('2026-12-24'));
  assert.ok(!NY.holidays(2026).includes('2026-12-24'));

  const refused: Array<[CalendarSpec, string, RegExp]> = [
    [{ country: 'XX', holidayTypes: ['public'] }, 'America/New_York', /unknown holiday country: XX/],
    [{ country: 'US', region: 'ZZ', holidayTypes: ['public'] }, 'America/New_York', /unknown holiday region: US-ZZ/],
    [{ country: 'US', holidayTypes: [] }, 'America/New_York', /holiday types are some of public, bank, school, optional, observance/],
    [{ country: 'US', holidayTypes: ['public', 'holy'] }, 'America/New_York', /holiday types/],
    [{ ...US_FEDERAL, closures: ['2026-02-30'] }, 'America/New_York', /not a date/],
    [US_FEDERAL, 'Mars/Olympus_Mons', RangeError as unknown as RegExp],
  ];
  for (const [spec, zone, message] of refused) assert.throws(() => new BusinessCalendar(spec, zone), message, JSON.stringify(spec));
  assert.deepEqual([...HOLIDAY_TYPES], ['public', 'bank', 'school', 'optional', 'observance']);
});

test('calendars are built once per spec and zone; the holidays are shared', () => {
  assert.equal(businessCalendar(US_FEDERAL, 'America/New_York'), NY);
  assert.equal(businessCalendar({ country: 'US', region: null, holidayTypes: ['bank', 'public'] }, 'America/New_York'), NY, 'the order of types does not matter');
  assert.notEqual(businessCalendar(US_FEDERAL, 'America/Chicago'), NY);
  assert.notEqual(businessCalendar({ ...US_FEDERAL, closures: ['2026-12-24'] }, 'America/New_York'), NY);
  assert.deepEqual(LA.holidays(2027), NY.holidays(2027));
  assert.equal(Object.isFrozen(US_FEDERAL), true);
});

test('dateAt remembers the current day but moves on at the office\'s midnight, also on 23- and 25-hour days', () => {
  const c = businessCalendar({ country: 'US', holidayTypes: ['public', 'bank'] }, 'America/New_York');
  // 2026-03-08 is 23 hours long in New York (clocks go forward), 2026-11-01 is 25 hours long.
  for (const [day, next, lastMs, firstMs] of [
    ['2026-03-08', '2026-03-09', Date.parse('2026-03-09T03:59:59.999Z'), Date.parse('2026-03-09T04:00:00.000Z')],
    ['2026-11-01', '2026-11-02', Date.parse('2026-11-02T04:59:59.999Z'), Date.parse('2026-11-02T05:00:00.000Z')],
  ] as const) {
    assert.equal(c.dateAt(new Date(lastMs - 20 * 3_600_000)), day);
    assert.equal(c.dateAt(new Date(lastMs)), day);
    assert.equal(c.dateAt(new Date(firstMs)), next);
    assert.equal(c.dateAt(new Date(lastMs)), day, 'and back: the remembered day is not the only answer');
  }
  assert.equal(c.dateAt(new Date('2026-03-08T05:00:00.000Z')), '2026-03-08', '00:00 EST on the short day');
  assert.equal(c.dateAt(new Date('2026-03-08T04:59:59.999Z')), '2026-03-07');
});
