import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BULLETIN_CATEGORIES, CHARGEABILITIES, CHARTS, applicableMonth, cellFor, checkChart, isBulletinMonth, isCell, isCurrent, lookupCell, normaliseCategory, normaliseChargeability, readCellInput } from './visa-bulletin.ts';

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

test('a cell is a YYYY-MM-DD date, C or U, and nothing else', () => {
  const cases: [unknown, boolean][] = [
    ['C', true], ['U', true], ['2023-02-01', true], ['2023-02-30', true], // the shape only: checkChart checks the date
    ['c', false], ['u', false], ['CURRENT', false], ['', false], ['2023-2-01', false], [' 2023-02-01', false],
    ['2023-02-01x', false], ['x2023-02-01', false], ['2023-02-01T00:00:00Z', false], [20230201, false], [null, false], [['2023-02-01'], false], [['C'], false],
  ];
  for (const [value, expected] of cases) assert.equal(isCell(value), expected, String(value));
});

test('current: C always, U never, a date only when the priority date is strictly earlier', () => {
  const cases: [string, string, boolean][] = [
    ['2030-01-01', 'C', true], ['1990-01-01', 'U', false],
    ['2023-01-31', '2023-02-01', true], ['2023-02-01', '2023-02-01', false], ['2023-02-02', '2023-02-01', false],
    ['2022-12-31', '2023-01-01', true], ['2024-01-01', '2023-12-31', false],
  ];
  for (const [priorityDate, cell, expected] of cases) assert.equal(isCurrent(priorityDate, cell), expected, `${priorityDate} against ${cell}`);
});

test('cellFor reads names in any case and falls back to ALL; lookupCell takes normalised names and says which column', () => {
  const table = { F2A: { ALL: 'C', MEXICO: '2023-02-01' }, EB3: { ALL: '2022-12-01', CHINA: 'U' }, EB5: { INDIA: '2019-01-01' } };
  const cellCases: [string, string, string | null][] = [
    ['F2A', 'MEXICO', '2023-02-01'], ['f2a', 'Mexico', '2023-02-01'], ['F2A', 'INDIA', 'C'],
    ['eb3', 'china', 'U'], ['EB3', 'PHILIPPINES', '2022-12-01'],
    ['EB5', 'INDIA', '2019-01-01'], ['EB5', 'CHINA', null], ['F1', 'ALL', null],
  ];
  for (const [category, chargeability, cell] of cellCases) assert.equal(cellFor(table, category, chargeability), cell, `${category} ${chargeability}`);
  const lookupCases: [string, string, { cell: string; column: string } | null][] = [
    ['EB3', 'CHINA', { cell: 'U', column: 'CHINA' }],
    ['EB3', 'INDIA', { cell: '2022-12-01', column: 'ALL' }],
    ['EB3', 'ALL', { cell: '2022-12-01', column: 'ALL' }],
    ['eb3', 'CHINA', null],
    ['EB5', 'MEXICO', null],
  ];
  for (const [category, chargeability, found] of lookupCases) assert.deepEqual(lookupCell(table, category, chargeability), found, `${category} ${chargeability}`);
});

test('the applicable bulletin: this month\'s, else the latest earlier one, else the latest; order of the list does not matter', () => {
  const cases: [string[], string, string | null][] = [
    [['2026-12', '2026-10', '2026-11'], '2026-11-01', '2026-11'],
    [['2026-12', '2026-09', '2026-10'], '2026-11-30', '2026-10'],
    [['2026-10', '2026-12', '2026-09'], '2026-11-15', '2026-10'],
    [['2027-03', '2027-01', '2027-02'], '2026-11-29', '2027-03'],
    [['2026-10', '2026-08', '2026-09', '2026-12'], '2026-11-29', '2026-10'],
    [['2025-12'], '2026-01-01', '2025-12'],
    [[], '2026-11-29', null],
  ];
  for (const [months, today, expected] of cases) assert.equal(applicableMonth(months, today), expected, `${months.join(',')} on ${today}`);
  const months = ['2026-12', '2026-10'];
  applicableMonth(months, '2026-11-29');
  assert.deepEqual(months, ['2026-12', '2026-10'], 'the caller\'s list is not sorted in place');
});

test('bulletin months, categories and chargeabilities: each accepted and refused form', () => {
  const months: [string, boolean][] = [
    ['2026-01', true], ['2026-09', true], ['2026-10', true], ['2026-12', true],
    ['2026-00', false], ['2026-13', false], ['2026-20', false], ['2026-1', false], ['026-11', false],
    ['2026-11-01', false], [' 2026-11', false], ['2026-11 ', false], ['2026/11', false],
  ];
  for (const [value, expected] of months) assert.equal(isBulletinMonth(value), expected, value);
  const categories: [string, string | null][] = [
    ['eb_3', 'EB3'], ['E B-5', 'EB5'], ['f2b', 'F2B'], ['\tF4\n', 'F4'], ['Eb1', 'EB1'], ['ew', 'EW'],
    ['EB', null], ['', null], ['EB2.', null], ['EB22', null],
  ];
  for (const [value, expected] of categories) assert.equal(normaliseCategory(value), expected, value);
  assert.deepEqual(BULLETIN_CATEGORIES.map(normaliseCategory), [...BULLETIN_CATEGORIES]);
  const chargeabilities: [string, string | null][] = [
    ['all', 'ALL'], ['  china  ', 'CHINA'], ['el\tsalvador', 'EL SALVADOR'], ['China-mainland born', 'CHINA-MAINLAND BORN'],
    ["Cote d'Ivoire", "COTE D'IVOIRE"], ['St. Kitts & Nevis', 'ST. KITTS & NEVIS'], ['Korea (South), Rep.', 'KOREA (SOUTH), REP.'],
    ['A'.repeat(60), 'A'.repeat(60)], ['A'.repeat(61), null], ['   ', null], ['1NDIA', null], ['-INDIA', null],
    ['INDIA;', null], ['INDIA/PAKISTAN', null],
  ];
  for (const [value, expected] of chargeabilities) assert.equal(normaliseChargeability(value), expected, value);
});

test('checkChart names each problem by path, code and message, and keeps the good cells', () => {
  const raw = {
    'EB-2': { all: 'C', India: '2013-01-01', INDIA: '2014-01-01', '<b>': 'C' },
    EB3: { ALL: 'c', CHINA: '2023-02-29' },
    EB4: { ALL: 5 as unknown as string },
    Eb2: { ALL: 'U' },
    XX: { ALL: 'C' },
    F1: { MEXICO: 'U' },
    F4: {},
  };
  const { table, problems } = checkChart(raw, 'datesForFiling');
  assert.deepEqual(table, { EB2: { ALL: 'C', INDIA: '2013-01-01' }, EB3: {}, EB4: {}, F1: { MEXICO: 'U' }, F4: {} });
  const cell = 'A cell is a date (YYYY-MM-DD), "C" (current) or "U" (unavailable).';
  const needsAll = 'Every row needs an ALL cell: it applies to every country without a column of its own.';
  assert.deepEqual(problems, [
    { field: 'datesForFiling.EB-2.INDIA', code: 'duplicate', detail: 'INDIA is given twice in EB2.' },
    { field: 'datesForFiling.EB-2.<b>', code: 'invalid-chargeability', detail: 'A chargeability is a country or area name, like ALL, CHINA or EL SALVADOR.' },
    { field: 'datesForFiling.EB3.ALL', code: 'invalid-cell', detail: cell },
    { field: 'datesForFiling.EB3.CHINA', code: 'invalid-cell', detail: cell },
    { field: 'datesForFiling.EB4.ALL', code: 'invalid-cell', detail: cell },
    { field: 'datesForFiling.Eb2', code: 'duplicate', detail: 'EB2 is given twice.' },
    { field: 'datesForFiling.XX', code: 'unknown-category', detail: 'Use one of: F1, F2A, F2B, F3, F4, EB1, EB2, EB3, EW, EB4, EB5.' },
    { field: 'datesForFiling.F1.ALL', code: 'required', detail: needsAll },
    { field: 'datesForFiling.F4.ALL', code: 'required', detail: needsAll },
  ]);
  assert.deepEqual(checkChart({ F1: { ALL: '2000-02-29', PHILIPPINES: 'U' } }, 'finalActionDates'), { table: { F1: { ALL: '2000-02-29', PHILIPPINES: 'U' } }, problems: [] });
  assert.deepEqual(checkChart({}, 'finalActionDates'), { table: {}, problems: [] });
});

test('the chart vocabulary', () => {
  assert.deepEqual([...CHARGEABILITIES], ['ALL', 'CHINA', 'INDIA', 'MEXICO', 'PHILIPPINES']);
  assert.deepEqual([...CHARTS], ['final-action', 'dates-for-filing']);
});

test('a typed cell reads the bulletin\'s own date style and C or U in any case; anything else is left for the check', () => {
  assert.equal(readCellInput(' c ', '2026-12'), 'C');
  assert.equal(readCellInput('u', '2026-12'), 'U');
  assert.equal(readCellInput('08FEB24', '2026-12'), '2024-02-08');
  assert.equal(readCellInput('08-feb-24', '2026-12'), '2024-02-08');
  assert.equal(readCellInput('01JAN26', '2026-12'), '2026-01-01', 'the bulletin\'s own year');
  assert.equal(readCellInput('01JAN27', '2026-12'), '1927-01-01', 'never later than the bulletin\'s year');
  assert.equal(readCellInput('15APR99', '2026-12'), '1999-04-15');
  assert.equal(readCellInput('2024-02-08', '2026-12'), '2024-02-08');
  assert.equal(readCellInput('31FEB24', '2026-12'), '31FEB24', 'not a real day: left as typed');
  assert.equal(readCellInput('08FOO24', '2026-12'), '08FOO24');
  assert.equal(readCellInput(' soon ', '2026-12'), 'soon');
});
