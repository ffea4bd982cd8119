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
