/** RFC 4180 quoting and formula neutralising of the report's CSV, by hand (no CSV library is installed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { field, neutralise, toCsv } from './csv.ts';
import { fiscalYearBounds, fiscalYearOf, parsePeriod, share, weightedMedian } from './checks.ts';

test('a cell that could start a formula gets a leading single quote; others are left alone', () => {
  for (const s of ['=cmd()', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) assert.equal(neutralise(s), `'${s}`);
  for (const s of ['calls.total', 'tier1', '', "'quoted", 'a=b']) assert.equal(neutralise(s), s);
});

test('RFC 4180: quoted when holding a comma, quote, CR or LF; quotes doubled; numbers as numbers; CRLF line ends', () => {
  assert.equal(field('a,b'), '"a,b"');
  assert.equal(field('say "hi"'), '"say ""hi"""');
  assert.equal(field('two\nlines'), '"two\nlines"');
  assert.equal(field('=1,2'), '"\'=1,2"');
  assert.equal(field(-3), '-3');
  assert.equal(field(0.3077), '0.3077');
  assert.equal(field(null), '');
  assert.equal(field(Number.NaN), '');
  assert.equal(toCsv(['metric', 'dimension', 'value'], [['calls.total', '', 13], ['calls.byTier', '=x', 1]]), "metric,dimension,value\r\ncalls.total,,13\r\ncalls.byTier,'=x,1\r\n");
});

test('fiscal years run from 1 October to 30 September', () => {
  assert.deepEqual(fiscalYearBounds(2026), { from: '2025-10-01', to: '2026-09-30' });
  assert.equal(fiscalYearOf('2025-09-30'), 2025);
  assert.equal(fiscalYearOf('2025-10-01'), 2026);
  assert.deepEqual(parsePeriod({}, '2026-12-02'), { from: '2026-10-01', to: '2026-12-02', fiscalYear: null });
  assert.deepEqual(parsePeriod({ fiscalYear: '2026' }, '2026-12-02'), { from: '2025-10-01', to: '2026-09-30', fiscalYear: 2026 });
  assert.deepEqual(parsePeriod({ from: '2025-10-01', to: '2026-09-30' }, '2026-12-02'), { from: '2025-10-01', to: '2026-09-30', fiscalYear: 2026 });
  assert.deepEqual(parsePeriod({ to: '2026-03-31' }, '2026-12-02'), { from: '2025-10-01', to: '2026-03-31', fiscalYear: null });
  assert.throws(() => parsePeriod({ from: '2026-02-30' }, '2026-12-02'), /not valid/);
  assert.throws(() => parsePeriod({ from: '2000-01-01', to: '2026-01-01' }, '2026-12-02'));
});

test('shares to 4 places (null over nothing); the median of weighted values', () => {
  assert.equal(share(4, 13), 0.3077);
  assert.equal(share(0, 0), null);
  assert.equal(weightedMedian([]), null);
  assert.equal(weightedMedian([{ value: 7, n: 2 }, { value: 0, n: 1 }, { value: 3, n: 1 }]), 5);
  assert.equal(weightedMedian([{ value: 7, n: 2 }, { value: 3, n: 1 }]), 7);
  assert.equal(weightedMedian([{ value: 1, n: 0 }, { value: 9, n: 1 }]), 9);
});
