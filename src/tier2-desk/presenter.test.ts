import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dueText, durationWords, phoneText } from './presenter.ts';

const H = 3_600_000;

test('a length of time in words: two units at most, rounded down, English and Spanish', () => {
  assert.equal(durationWords(5 * H, 'en', 'x'), '5 hours');
  assert.equal(durationWords(2 * 24 * H + 3 * H + 59 * 60_000, 'en', 'x'), '2 days, 3 hours');
  assert.equal(durationWords(H + 60_000, 'en', 'x'), '1 hour, 1 minute');
  assert.equal(durationWords(4 * 60_000 + 59_000, 'en', 'x'), '4 minutes');
  assert.equal(durationWords(30_000, 'en', 'less than a minute'), 'less than a minute');
  assert.equal(durationWords(-5 * H, 'en', 'x'), '5 hours', 'the sign is the caller\'s to word');
  assert.equal(durationWords(2 * 24 * H + 3 * H, 'es', 'x'), '2 días y 3 horas');
});

test('a due time: in the agency\'s zone, late or not', () => {
  const now = new Date('2026-12-02T15:00:00Z');
  const late = dueText('2026-12-02T10:00:00Z', now, 'en', 'America/New_York', 'x');
  assert.deepEqual(late, { at: 'December 2, 2026 at 5:00 AM EST', distance: '5 hours', late: true });
  assert.equal(dueText('2026-12-05T15:00:00Z', now, 'en', 'America/Los_Angeles', 'x').at, 'December 5, 2026 at 7:00 AM PST');
  assert.equal(dueText('2026-12-05T15:00:00Z', now, 'en', 'America/Los_Angeles', 'x').late, false);
});

test('a stored US number as people read it; anything else unchanged', () => {
  assert.equal(phoneText('+12025550143'), '(202) 555-0143');
  assert.equal(phoneText('+442071234567'), '+442071234567');
  assert.equal(phoneText(null), '');
});
