import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkChart, isBulletinMonth, lookupCell, normaliseCategory, normaliseChargeability } from './visa-bulletin.ts';

test('categories are read as people write them, and only the bulletin\'s rows are categories', () => {
  assert.equal(normaliseCategory('eb-2'), 'EB2');
  assert.equal(normaliseCategory(' F2A '), 'F2A');
  assert.equal(normaliseCategory('EW'), 'EW');
  assert.equal(normaliseCategory('F9'), null);
  assert.equal(normaliseCategory('IR1'), null, 'immediate relatives are not a bulletin row');
});

test('chargeabilities are country or area names in upper case', () => {
  assert.equal(normaliseChargeability('El  Salvador '), 'EL SALVADOR');
  assert.equal(normaliseChargeability('mexico'), 'MEXICO');
  assert.equal(normaliseChargeability(''), null);
  assert.equal(normaliseChargeability('<script>'), null);
});

test('a lookup names the column it used: the chargeability\'s own, else ALL', () => {
  const table = { F2A: { ALL: '2022-01-01', MEXICO: '2021-02-01' }, EB3: { INDIA: 'U' } };
  assert.deepEqual(lookupCell(table, 'F2A', 'MEXICO'), { cell: '2021-02-01', column: 'MEXICO' });
  assert.deepEqual(lookupCell(table, 'F2A', 'GUATEMALA'), { cell: '2022-01-01', column: 'ALL' });
  assert.equal(lookupCell(table, 'EB3', 'CHINA'), null, 'no ALL to fall back on');
  assert.equal(lookupCell(table, 'F1', 'ALL'), null);
});

test('a chart is checked cell by cell, with every problem named by its path', () => {
  const { table, problems } = checkChart({
    'eb-2': { ALL: 'C', India: '2013-01-01' },
    F2A: { ALL: '2023-02-30', MEXICO: 'X' },
    F9: { ALL: 'C' },
    F1: { CHINA: 'U' },
  }, 'finalActionDates');
  assert.deepEqual(table.EB2, { ALL: 'C', INDIA: '2013-01-01' });
  assert.deepEqual(problems.map((p) => [p.field, p.code]), [
    ['finalActionDates.F2A.ALL', 'invalid-cell'],
    ['finalActionDates.F2A.MEXICO', 'invalid-cell'],
    ['finalActionDates.F9', 'unknown-category'],
    ['finalActionDates.F1.ALL', 'required'],
  ]);
  assert.deepEqual(checkChart({ EB1: { ALL: 'C' }, eb1: { ALL: 'U' } }, 'x').problems.map((p) => p.code), ['duplicate']);
});

test('bulletin months are YYYY-MM', () => {
  assert.equal(isBulletinMonth('2026-11'), true);
  assert.equal(isBulletinMonth('2026-13'), false);
  assert.equal(isBulletinMonth('2026-1'), false);
});
