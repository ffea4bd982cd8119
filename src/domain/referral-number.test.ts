/**
 * Referral numbers. Check digits are known answers: Damm's own example (572 → 4, as published with the
 * algorithm) and values worked out with a separate implementation of the published table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  REFERRAL_DIGITS, REFERRAL_SPACE, dammCheckDigit, dammValid, formatReferralNumber, newReferralNumber, parseReferralNumber,
} from './referral-number.ts';

test('Damm check digits (known answers)', () => {
  assert.equal(dammCheckDigit('572'), 4);
  assert.equal(dammCheckDigit('31415926535897'), 8);
  assert.equal(dammCheckDigit('10000000000000'), 9);
  assert.equal(dammCheckDigit('99999999999999'), 9);
  assert.equal(dammCheckDigit('27182818284590'), 4);
  assert.equal(dammCheckDigit(''), 0);
  assert.equal(dammValid('5724'), true);
  assert.equal(dammValid('5723'), false);
  assert.equal(dammValid(''), false);
  assert.equal(dammValid('57a4'), false);
  assert.throws(() => dammCheckDigit('57 2'), /digits only/);
  assert.throws(() => dammCheckDigit('٥٧٢'), /digits only/, 'Arabic-Indic digits are not digits here');
});

test('a new number is 15 digits: 14 drawn (first 1–9) and the check digit', () => {
  const asked: Array<[number, number]> = [];
  const fixed = (value: number) => (min: number, max: number) => { asked.push([min, max]); return value; };
  assert.equal(newReferralNumber(fixed(31415926535897)), '314159265358978');
  assert.equal(newReferralNumber(fixed(10000000000000)), '100000000000009');
  assert.equal(newReferralNumber(fixed(99999999999999)), '999999999999999');
  assert.deepEqual(asked[0], [1e13, 1e14], 'from 10^13 up to, not including, 10^14');
  assert.throws(() => newReferralNumber(fixed(9999999999999)), /left the range/);
  assert.throws(() => newReferralNumber(fixed(1e14)), /left the range/);
  assert.throws(() => newReferralNumber(fixed(-31415926535897)), /left the range/, 'a sign is not a digit');
  assert.equal(REFERRAL_DIGITS, 15);
  assert.equal(REFERRAL_SPACE, 9 * 10 ** 13);
});

test('numbers come from the cryptographic generator: all valid, distinct, every digit at every position', () => {
  const numbers = Array.from({ length: 20_000 }, () => newReferralNumber());
  assert.equal(new Set(numbers).size, numbers.length, 'no repeats in 20,000 (expected ~2·10^-6 collisions)');
  for (const n of numbers) {
    assert.match(n, /^[1-9]\d{14}$/);
    assert.deepEqual(parseReferralNumber(n), { ok: true, value: n });
  }
  // Each of positions 2–14 should hold each digit about 2,000 times; 1,700–2,300 is over six standard deviations.
  for (let p = 1; p < 14; p++) {
    const counts = new Array(10).fill(0);
    for (const n of numbers) counts[Number(n[p])]++;
    for (const c of counts) assert.ok(c > 1_700 && c < 2_300, `position ${p + 1}: ${counts.join(' ')}`);
  }
  const first = new Set(numbers.map((n) => n[0]));
  assert.equal(first.size, 9, 'the first digit is 1–9, all of them');
});

test('walking from a real number finds nothing: neighbours are neither valid nor issued', () => {
  const issued = new Set(Array.from({ length: 50_000 }, () => newReferralNumber()));
  let valid = 0;
  let hits = 0;
  for (const start of [...issued].slice(0, 5)) {
    const base = BigInt(start);
    for (let step = -10_000n; step <= 10_000n; step++) {
      if (step === 0n) continue;
      const candidate = String(base + step);
      if (!parseReferralNumber(candidate).ok) continue;
      valid++;
      if (issued.has(candidate)) hits++;
    }
  }
  assert.equal(hits, 0, '100,000 sequential guesses around five issued numbers hit no other issued number');
  assert.ok(valid > 9_000 && valid < 11_000, `about one in ten sequential numbers passes the check digit (${valid})`);
});

test('every single-digit typo and every swap of neighbours is caught by the check digit', () => {
  for (const n of Array.from({ length: 200 }, () => newReferralNumber())) {
    for (let i = 0; i < 15; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === n[i]) continue;
        const typo = n.slice(0, i) + d + n.slice(i + 1);
        const parsed = parseReferralNumber(typo);
        assert.equal(parsed.ok, false, typo);
      }
      if (i < 14 && n[i] !== n[i + 1]) {
        const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
        assert.equal(parseReferralNumber(swapped).ok, false, swapped);
      }
    }
  }
});

test('reading a number as people write it', () => {
  assert.deepEqual(parseReferralNumber('314159265358978'), { ok: true, value: '314159265358978' });
  assert.deepEqual(parseReferralNumber(' 31415 92653 58978 '), { ok: true, value: '314159265358978' });
  assert.deepEqual(parseReferralNumber('31415-92653-58978'), { ok: true, value: '314159265358978' });
  assert.deepEqual(parseReferralNumber('314159265358979'), { ok: false, reason: 'check-digit' });
  assert.deepEqual(parseReferralNumber('314159265358987'), { ok: false, reason: 'check-digit' }, 'the last two swapped');
  for (const bad of ['', '12345678', '31415926535897', '3141592653589788', '014159265358978', '31415926535897a', '３14159265358978', '31415_92653_58978']) {
    assert.deepEqual(parseReferralNumber(bad), { ok: false, reason: 'format' }, bad);
  }
});

test('written in three groups of five', () => {
  assert.equal(formatReferralNumber('314159265358978'), '31415 92653 58978');
  for (const bad of ['31415926535897', '3141592653589780', '31415 92653 5897']) assert.throws(() => formatReferralNumber(bad), /15 digits/, bad);
});
