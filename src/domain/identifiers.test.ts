import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatReceiptNumber, normaliseReceiptNumber, parseReceiptNumber } from './receipt-number.ts';
import { maskANumber, parseANumber } from './a-number.ts';

const PREFIXES = ['EAC', 'WAC', 'LIN', 'SRC', 'NBC', 'MSC', 'IOE', 'YSC'];
const asciiDigits = fc.stringMatching(/^[0-9]{10}$/);

test('a receipt number is normalised: spaces, inner spaces and dashes removed, letters upper-cased', () => {
  assert.equal(parseReceiptNumber(' eac-15-123-45678 ', PREFIXES)?.value, 'EAC1512345678');
  assert.equal(parseReceiptNumber('EAC 15 123 45678', PREFIXES)?.value, 'EAC1512345678');
  assert.equal(parseReceiptNumber('ioe\u2013091\u200a2345678', PREFIXES)?.value, 'IOE0912345678');
  assert.deepEqual(parseReceiptNumber('LIN2590012345', PREFIXES), { value: 'LIN2590012345', prefix: 'LIN', fiscalYear: 25, workday: 900, sequence: 12345 });
});

test('wrong shapes and unknown prefixes are refused', () => {
  for (const bad of ['', 'EAC123', 'EAC12345678901', 'XYZ1512345678', 'EA1C512345678', '1512345678EAC', 'EAC15123456.8', null, 42]) {
    assert.equal(parseReceiptNumber(bad, PREFIXES), null, String(bad));
  }
});

test('property: any valid prefix and 10 ASCII digits, in any case with dashes and spaces, parses to the canonical form', () => {
  fc.assert(fc.property(fc.constantFrom(...PREFIXES), asciiDigits, fc.array(fc.constantFrom(' ', '-', '\t'), { maxLength: 4 }), fc.boolean(), (prefix, digits, seps, lower) => {
    const raw = `${lower ? prefix.toLowerCase() : prefix}${seps.join('')}${digits.slice(0, 5)}${seps.join('')}${digits.slice(5)}`;
    return parseReceiptNumber(raw, PREFIXES)?.value === prefix + digits;
  }));
});

test('property: non-ASCII digits (full-width, Arabic-Indic, Devanagari) never make a valid receipt number', () => {
  const foreign = fc.constantFrom(...'０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९');
  fc.assert(fc.property(fc.constantFrom(...PREFIXES), asciiDigits, fc.integer({ min: 0, max: 9 }), foreign, (prefix, digits, at, f) => {
    const tainted = digits.slice(0, at) + f + digits.slice(at + 1);
    return parseReceiptNumber(prefix + tainted, PREFIXES) === null;
  }));
});

test('property: letters that upper-case to ASCII outside a-z (dotless i, ligatures) are not accepted as letters', () => {
  assert.equal(parseReceiptNumber('L\u0131N2590012345', PREFIXES), null); // ı → I under toUpperCase
  assert.equal(parseReceiptNumber('\uFB00C2590012345', PREFIXES), null); // ﬀ → FF
  fc.assert(fc.property(fc.string({ maxLength: 20 }), (s) => {
    const r = parseReceiptNumber(s, PREFIXES);
    return r === null || /^[A-Z]{3}[0-9]{10}$/.test(r.value);
  }));
});

test('normalising is idempotent and formatting round-trips', () => {
  fc.assert(fc.property(fc.string(), (s) => normaliseReceiptNumber(normaliseReceiptNumber(s)) === normaliseReceiptNumber(s)));
  assert.equal(formatReceiptNumber('EAC', 2026, 7, 42), 'EAC2600700042');
  assert.equal(parseReceiptNumber(formatReceiptNumber('WAC', 25, 250, 99999), PREFIXES)?.workday, 250);
});

test('A-numbers: 7–9 digits, stored with 9, masked to the last four', () => {
  assert.equal(parseANumber('A12345678'), 'A012345678');
  assert.equal(parseANumber('a 012-345-678'), 'A012345678');
  assert.equal(parseANumber('1234567'), 'A001234567');
  for (const bad of ['A123456', 'A1234567890', 'B12345678', 'A１２３４５６７８', '']) assert.equal(parseANumber(bad), null, bad);
  assert.equal(maskANumber('A012345678'), 'A*****5678');
  fc.assert(fc.property(fc.stringMatching(/^[0-9]{7,9}$/), (d) => {
    const a = parseANumber(`A${d}`);
    return a !== null && a.length === 10 && Number(a.slice(1)) === Number(d) && !maskANumber(a).includes(a.slice(1, 6));
  }));
});

test('receipt numbers: each separator, the length limit and the parts, as known answers', () => {
  const cases: [unknown, string | null][] = [
    ['EAC1512345678', 'EAC1512345678'],
    ['eac1512345678', 'EAC1512345678'],
    ['Eac\u00a01512345678', 'EAC1512345678'], // no-break space
    ['EAC\u20101512345678', 'EAC1512345678'], ['EAC\u20111512345678', 'EAC1512345678'], ['EAC\u20121512345678', 'EAC1512345678'],
    ['EAC\u20131512345678', 'EAC1512345678'], ['EAC\u20141512345678', 'EAC1512345678'], ['EAC\u20151512345678', 'EAC1512345678'],
    ['EAC\u22121512345678', 'EAC1512345678'], // minus sign
    ['EAC\t15\n12345678\r', 'EAC1512345678'],
    ['EAC1512345678'.padEnd(64, ' '), 'EAC1512345678'],
    ['EAC1512345678'.padEnd(65, ' '), null],
    ['EAC_1512345678', null], ['EAC.1512345678', null], ['EAC\u20161512345678', null], ['EAC/1512345678', null],
    ['ABC1512345678', null], ['EA1512345678', null], ['EACC1512345678', null], ['XEAC1512345678', null], ['EAC1512345678X', null], ['EAC151234567', null], ['EAC15123456789', null],
    [undefined, null], [{}, null],
  ];
  for (const [input, value] of cases) assert.equal(parseReceiptNumber(input, PREFIXES)?.value ?? null, value, JSON.stringify(input));
  assert.deepEqual(parseReceiptNumber('wac0500100007', PREFIXES), { value: 'WAC0500100007', prefix: 'WAC', fiscalYear: 5, workday: 1, sequence: 7 });
  assert.equal(parseReceiptNumber('EAC1512345678', []), null, 'no prefix configured: nothing is a receipt number');
  assert.equal(normaliseReceiptNumber(' a-b\u2013c\u00e9 '), 'ABC\u00e9', 'only ASCII letters are upper-cased');
  const formatted: [[string, number, number, number], string][] = [
    [['EAC', 2026, 7, 42], 'EAC2600700042'], [['LIN', 2000, 1, 1], 'LIN0000100001'], [['IOE', 9, 365, 99999], 'IOE0936599999'], [['WAC', 2105, 250, 12345], 'WAC0525012345'],
  ];
  for (const [[prefix, year, workday, sequence], value] of formatted) assert.equal(formatReceiptNumber(prefix, year, workday, sequence), value, value);
});

test('A-numbers: separators, the length limit and the masked form, as known answers', () => {
  const cases: [unknown, string | null][] = [
    ['A1234567', 'A001234567'], ['a123456789', 'A123456789'], ['12345678', 'A012345678'],
    ['  A-123-456-789  ', 'A123456789'], ['A\t123\u00a0456\n789', 'A123456789'],
    ['A12345678'.padEnd(32, ' '), 'A012345678'], ['A12345678'.padEnd(33, ' '), null],
    ['A\u2013123456789', null], ['AA12345678', null], ['A12345678A', null], ['A 1234 5678 9', 'A123456789'],
    [12345678, null], [null, null], [undefined, null],
  ];
  for (const [input, value] of cases) assert.equal(parseANumber(input), value, JSON.stringify(input));
  for (const [stored, masked] of [['A123456789', 'A*****6789'], ['A000001234', 'A*****1234'], ['A987650000', 'A*****0000']]) assert.equal(maskANumber(stored!), masked);
});
