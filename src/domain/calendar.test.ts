import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateOrInstantToInstant, isIsoDate, todayIn } from './calendar.ts';

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
