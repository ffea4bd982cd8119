import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applicablePublished, chooseFigure } from './processing-time.ts';

const rows = [
  { formCategory: '', months80: 8, asOf: '2026-11-01' },
  { formCategory: 'spouse of u.s. citizen', months80: 12.5, asOf: '2026-10-15' },
];

test('an exact category row beats the row for every category, which applies to the other categories', () => {
  assert.equal(applicablePublished(rows, 'spouse of u.s. citizen')?.months80, 12.5);
  assert.equal(applicablePublished(rows, 'parent of u.s. citizen')?.months80, 8);
  assert.equal(applicablePublished(rows, null)?.months80, 8, 'all categories: only the row without category');
  assert.equal(applicablePublished(rows.slice(1), null), null);
  assert.equal(applicablePublished([], 'x'), null);
});

test('published beats computed beats the default of 6 months; asOf is the published date, else today', () => {
  assert.deepEqual(chooseFigure(rows[1]!, 4.2, '2026-11-29'), { months80: 12.5, basis: 'published', asOf: '2026-10-15' });
  assert.deepEqual(chooseFigure(null, 4.2, '2026-11-29'), { months80: 4.2, basis: 'computed', asOf: '2026-11-29' });
  assert.deepEqual(chooseFigure(null, null, '2026-11-29'), { months80: 6, basis: 'default', asOf: '2026-11-29' });
});
