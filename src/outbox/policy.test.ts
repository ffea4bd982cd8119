import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DELIVERY_POLICY, nextAttemptDelay } from './policy.ts';

test('retries back off exponentially and stop at the last attempt', () => {
  const noJitter = { ...DELIVERY_POLICY, jitter: 0 };
  const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => nextAttemptDelay(noJitter, n));
  assert.deepEqual(delays, [60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000]);
  assert.equal(nextAttemptDelay(noJitter, DELIVERY_POLICY.maxAttempts), null, 'no attempt after the last');
  assert.equal(nextAttemptDelay({ ...noJitter, maxAttempts: 20 }, 15), 3_840_000, 'the last delay repeats');
});

test('jitter stays within its share of the delay', () => {
  assert.equal(nextAttemptDelay(DELIVERY_POLICY, 1, () => 0), 54_000);
  assert.equal(nextAttemptDelay(DELIVERY_POLICY, 1, () => 1), 66_000);
});
