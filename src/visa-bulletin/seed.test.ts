import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkChart, BULLETIN_CATEGORIES } from '../domain/visa-bulletin.ts';
import { demoBulletin } from './seed.ts';

test('the demo bulletin has every category in both charts, each cell valid and each row with ALL', () => {
  const b = demoBulletin('2026-11');
  for (const [name, table] of [['finalActionDates', b.finalActionDates], ['datesForFiling', b.datesForFiling]] as const) {
    assert.deepEqual(Object.keys(table).sort(), [...BULLETIN_CATEGORIES].sort(), name);
    assert.deepEqual(checkChart(table, name).problems, []);
  }
  assert.equal(b.finalActionDates.F2A?.ALL, '2023-01-01', '3 years and 10 months before November 2026');
});
