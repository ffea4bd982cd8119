import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, weights } from './random.ts';

test('the same seed gives the same sequence; another seed another', () => {
  const draw = (seed: number) => { const r = new Rng(seed); return Array.from({ length: 20 }, () => r.int(0, 1_000_000)); };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  assert.deepEqual(draw(0xffff_ffff), draw(0xffff_ffff), 'the largest seed works');
});

test('draws stay in range and follow their weights', () => {
  const r = new Rng(1);
  const table = weights([['a', 3], ['b', 1], ['never', 0]] as const);
  const counts = { a: 0, b: 0, never: 0 };
  for (let i = 0; i < 20_000; i++) {
    const n = r.int(-2, 2);
    assert.ok(n >= -2 && n <= 2 && Number.isInteger(n));
    counts[r.weighted(table)]++;
  }
  assert.equal(counts.never, 0);
  assert.ok(Math.abs(counts.a / 20_000 - 0.75) < 0.02, `a drawn ${counts.a} times`);
  const medians = Array.from({ length: 5001 }, () => r.lognormal(100, 0.5)).sort((x, y) => x - y);
  assert.ok(Math.abs(medians[2500]! - 100) < 5, `median ${medians[2500]}`);
});
