import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { dateOrInstantToInstant, instantWithOffset, isIsoDate, todayIn } from './calendar.ts';

test('a date is a whole day in the named zone', () => {
  assert.equal(dateOrInstantToInstant('2026-11-29', 'America/New_York', 'start'), '2026-11-29T05:00:00.000Z');
  assert.equal(dateOrInstantToInstant('2026-11-29', 'America/New_York', 'end'), '2026-11-30T05:00:00.000Z');
  // The day clocks change is 25 hours long in New York.
  assert.equal(dateOrInstantToInstant('2026-11-01', 'America/New_York', 'end'), '2026-11-02T05:00:00.000Z');
  assert.equal(dateOrInstantToInstant('2026-11-01', 'America/New_York', 'start'), '2026-11-01T04:00:00.000Z');
});

test('instants need an offset; nonsense is null', () => {
  assert.equal(dateOrInstantToInstant('2026-11-29T10:00:00-05:00', 'UTC', 'start'), '2026-11-29T15:00:00.000Z');
  assert.equal(dateOrInstantToInstant('2026-11-29T10:00:00', 'UTC', 'start'), null);
  assert.equal(dateOrInstantToInstant('2026-02-30', 'UTC', 'start'), null);
  assert.equal(dateOrInstantToInstant('yesterday', 'UTC', 'start'), null);
});

test('dates are checked for existence, and today depends on the zone', () => {
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('2025-02-29'), false);
  const lateEvening = new Date('2026-11-30T03:00:00Z');
  assert.equal(todayIn('America/New_York', lateEvening), '2026-11-29');
  assert.equal(todayIn('UTC', lateEvening), '2026-11-30');
});

test('isIsoDate: real calendar dates only, with the Gregorian century rule', () => {
  const cases: [string, boolean, string][] = [
    ['2000-02-29', true, 'divisible by 400: a leap year'],
    ['1900-02-29', false, 'divisible by 100 but not 400: not a leap year'],
    ['2100-02-29', false, 'divisible by 100 but not 400: not a leap year'],
    ['2400-02-29', true, 'divisible by 400: a leap year'],
    ['2024-02-29', true, 'divisible by 4: a leap year'],
    ['2023-02-29', false, 'not divisible by 4'],
    ['2026-02-28', true, 'the last day of February'],
    ['2000-02-30', false, 'February never has 30 days'],
    ['2026-01-31', true, '31-day month'], ['2026-03-31', true, '31-day month'], ['2026-05-31', true, '31-day month'],
    ['2026-07-31', true, '31-day month'], ['2026-08-31', true, '31-day month'], ['2026-10-31', true, '31-day month'],
    ['2026-12-31', true, '31-day month'],
    ['2026-04-30', true, '30-day month'], ['2026-04-31', false, 'April has 30 days'],
    ['2026-06-30', true, '30-day month'], ['2026-06-31', false, 'June has 30 days'],
    ['2026-09-30', true, '30-day month'], ['2026-09-31', false, 'September has 30 days'],
    ['2026-11-30', true, '30-day month'], ['2026-11-31', false, 'November has 30 days'],
    ['2026-01-32', false, 'no month has 32 days'],
    ['2026-01-01', true, 'the first day of the first month'],
    ['2026-01-00', false, 'day 0'],
    ['2026-00-10', false, 'month 0'],
    ['2026-13-01', false, 'month 13'],
    ['2026-12-01', true, 'month 12'],
    ['2026-1-01', false, 'month not zero-padded'],
    ['2026-01-1', false, 'day not zero-padded'],
    ['20260101', false, 'basic format'],
    [' 2026-01-01', false, 'leading space'],
    ['2026-01-01 ', false, 'trailing space'],
    ['2026-01-01T00:00:00Z', false, 'an instant is not a date'],
    ['2026-01015-01-01', false, 'a date is the whole text, not its last ten characters'],
    ['2026/01/01', false, 'slashes'],
    ['\uFF12\uFF10\uFF12\uFF16-01-01', false, 'full-width digits'],
    ['', false, 'empty'],
  ];
  for (const [value, expected, why] of cases) assert.equal(isIsoDate(value), expected, `${value}: ${why}`);
});

test('a date in a zone: its first moment, or the first moment of the next day (exclusive end)', () => {
  const cases: [string, string, 'start' | 'end', string | null][] = [
    ['2026-11-29', 'UTC', 'start', '2026-11-29T00:00:00.000Z'],
    ['2026-11-29', 'UTC', 'end', '2026-11-30T00:00:00.000Z'],
    ['2026-11-29', 'Asia/Kolkata', 'start', '2026-11-28T18:30:00.000Z'],
    ['2026-11-29', 'Asia/Kolkata', 'end', '2026-11-29T18:30:00.000Z'],
    // The spring-forward day is 23 hours long in New York.
    ['2026-03-08', 'America/New_York', 'start', '2026-03-08T05:00:00.000Z'],
    ['2026-03-08', 'America/New_York', 'end', '2026-03-09T04:00:00.000Z'],
    ['2026-12-31', 'UTC', 'end', '2027-01-01T00:00:00.000Z'],
    ['2000-02-29', 'UTC', 'end', '2000-03-01T00:00:00.000Z'],
    ['1900-02-29', 'UTC', 'start', null],
    ['2026-04-31', 'UTC', 'start', null],
    ['2026-13-01', 'UTC', 'start', null],
    ['2026-11-29', 'Mars/Olympus_Mons', 'start', null],
  ];
  for (const [value, zone, edge, expected] of cases) assert.equal(dateOrInstantToInstant(value, zone, edge), expected, `${value} ${zone} ${edge}`);
});

test('an instant is read with its own offset, whatever the zone and edge; without an offset it is refused', () => {
  const cases: [string, string | null][] = [
    ['2026-11-29T10:00:00Z', '2026-11-29T10:00:00.000Z'],
    ['2026-11-29T10:00:00z', '2026-11-29T10:00:00.000Z'],
    ['2026-11-29T10:00Z', '2026-11-29T10:00:00.000Z'],
    ['2026-11-29T10:00:00+05:30', '2026-11-29T04:30:00.000Z'],
    ['2026-11-29T10:00:00+0530', '2026-11-29T04:30:00.000Z'],
    ['2026-11-29T10:00:00-0500', '2026-11-29T15:00:00.000Z'],
    ['2026-11-29T10:00:00.123-03:00', '2026-11-29T13:00:00.123Z'],
    ['2026-11-29T23:30:00-01:00', '2026-11-30T00:30:00.000Z'],
    ['2026-11-29T10:00:00', null],
    ['+002026-11-29T10:00:00', null], // a six-digit year's sign is not an offset
    ['+002026-11-29T10:00:00Z', '2026-11-29T10:00:00.000Z'],
    ['2026-11-29T10:00:00+5:30', null],
    ['2026-11-29T10:00:00+05:30x', null],
    ['2026-11-29T10:00:00 +05:30', null],
    ['2026-13-01T00:00:00Z', null],
    ['2026-02-30T00:00:00Z', null],
    [' 2026-11-29', null],
    ['', null],
  ];
  for (const [value, expected] of cases) {
    for (const zone of ['UTC', 'America/New_York']) {
      for (const edge of ['start', 'end'] as const) assert.equal(dateOrInstantToInstant(value, zone, edge), expected, `${value} ${zone} ${edge}`);
    }
  }
});

test('today is the date in the zone at that instant, and defaults to now', () => {
  const instant = new Date('2026-11-30T10:00:00Z');
  assert.equal(todayIn('Pacific/Kiritimati', instant), '2026-12-01'); // UTC+14
  assert.equal(todayIn('Pacific/Pago_Pago', instant), '2026-11-29'); // UTC−11
  assert.equal(todayIn('UTC', new Date('2026-12-31T23:59:59.999Z')), '2026-12-31');
  assert.equal(todayIn('UTC', new Date('2027-01-01T00:00:00.000Z')), '2027-01-01');
  const before = new Date().toISOString().slice(0, 10);
  const today = todayIn('UTC');
  const after = new Date().toISOString().slice(0, 10);
  assert.ok(today === before || today === after, today);
});

/** What the feed did before instantWithOffset: luxon for every instant. */
function luxonInstant(value: string, zone: string): { date: string; at: string } | null {
  const at = DateTime.fromISO(value, { setZone: true });
  if (!at.isValid || !/([zZ]|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  return { date: at.setZone(zone).toISODate()!, at: at.toUTC().toISO()! };
}

/** Instants around the edges: offsets of both signs and with minutes, DST changes, leap days, year ends, odd shapes luxon reads. */
function edgeInstants(): string[] {
  const out = [
    '2024-03-10T01:59:59-05:00', '2024-03-10T02:00:00-05:00', '2024-03-10T06:59:59.999Z', '2024-03-10T07:00:00Z', '2024-11-03T05:59:59Z', '2024-11-03T06:00:00z',
    '2024-02-29T23:30:00-01:00', '2023-02-29T00:00:00Z', '2024-12-31T23:59:59-14:00', '2025-01-01T00:00:00+14:00', '2025-01-01T04:59:59.5Z',
    '2025-06-30T20:15:00+05:45', '2025-06-30T20:15:00-0930', '2025-06-30T20:15:00+0000', '2025-06-30T20:15:00-00:00', '2025-06-30T20:15:00.1Z',
    '2025-06-30T20:15:00.12+01:00', '2025-06-30T20:15:00.1234Z', '2025-06-30T24:00:00Z', '2025-06-30T23:60:00Z', '2025-06-30T23:59:60Z',
    '2025-06-30T20:15Z', '2025-06-30T20Z', '20250630T201500Z', '2025-W27-1T10:00:00Z', '2025-181T10:00:00Z', '2025-06-30T20:15:00+18:00',
    '2025-06-30T20:15:00+19:00', '2025-06-30T20:15:00+25:00', '2025-06-30T20:15:00+05', '2025-06-30T20:15:00', '2025-06-30', '0999-12-31T23:00:00-05:00',
    '1000-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '0099-01-01T10:00:00Z', '2025-13-01T00:00:00Z', '2025-00-10T00:00:00Z',
    ' 2025-06-30T20:15:00Z', '2025-06-30T20:15:00Z ', '2025-06-30t20:15:00Z', '２０２５-06-30T20:15:00Z', '1969-12-31T23:59:59.999Z',
  ];
  // Every hour across a year, with offsets that move the date either way.
  for (let h = 0; h < 24 * 366; h += 31) {
    const ms = Date.UTC(2024, 0, 1) + h * 3_600_000 + (h % 60) * 60_000;
    const iso = new Date(ms).toISOString();
    out.push(iso, iso.replace('Z', '+05:30'), iso.replace('.000Z', '-08:00'), iso.replace('.000Z', '-0330'));
  }
  return out;
}

/** The values on which an implementation disagrees with luxon. */
function disagreements(impl: (value: string, zone: string) => { date: string; at: string } | null, first = false): string[] {
  const bad: string[] = [];
  for (const zone of ['America/New_York', 'America/Los_Angeles', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'UTC', 'Not/AZone']) {
    for (const v of edgeInstants()) {
      if (JSON.stringify(impl(v, zone)) !== JSON.stringify(luxonInstant(v, zone))) bad.push(`${v} in ${zone}`);
      if (first && bad.length) return bad;
    }
  }
  return bad;
}

test('instantWithOffset says what luxon says, on edge cases and across a year, in several zones', () => {
  assert.deepEqual(disagreements(instantWithOffset), []);
  assert.deepEqual(instantWithOffset('2024-03-10T01:59:59-05:00', 'America/New_York'), { date: '2024-03-10', at: '2024-03-10T06:59:59.000Z' });
  assert.deepEqual(instantWithOffset('2025-01-01T02:00:00+05:30', 'America/New_York'), { date: '2024-12-31', at: '2024-12-31T20:30:00.000Z' });
});

test('the comparison with luxon catches a wrong offset (mutants of the fast path disagree)', () => {
  // Each mutant is the fast path given a wrong reading of the offset (or zone); the comparison must notice.
  const mutant = (change: (v: string) => string) => (value: string, zone: string) => instantWithOffset(change(value), zone);
  // Offset sign flipped; offset minutes ignored; offset ignored; the date taken in UTC instead of the zone.
  assert.notDeepEqual(disagreements(mutant((v) => v.replace(/([+-])(\d{2}:?\d{2})$/, (_, s: string, o: string) => `${s === '+' ? '-' : '+'}${o}`)), true), []);
  assert.notDeepEqual(disagreements(mutant((v) => v.replace(/([+-]\d{2}):?\d{2}$/, '$1:00')), true), []);
  assert.notDeepEqual(disagreements(mutant((v) => v.replace(/([+-]\d{2}:?\d{2})$/, 'Z')), true), []);
  assert.notDeepEqual(disagreements((value) => instantWithOffset(value, 'UTC'), true), []);
});
