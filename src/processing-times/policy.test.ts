import { test } from 'node:test';
import assert from 'node:assert/strict';
import { officeForTimes, roundMonths } from './policy.ts';

const kinds: Record<string, 'service-center' | 'benefits-center' | 'field-office'> = { NBC: 'benefits-center', VSC: 'service-center', HOU: 'field-office' };
const kindOf = (code: string) => kinds[code];

test('a case uses the office that holds it now', () => {
  assert.equal(officeForTimes({ form_type: 'I-130', office: 'VSC', field_office: null }, kindOf), 'VSC');
  assert.equal(officeForTimes({ form_type: 'I-485', office: 'VSC', field_office: 'HOU' }, kindOf), 'VSC', 'the rule is for the benefits center only');
});

test('benefits-center cases of I-485, N-400 and N-600 use their field office when they name one', () => {
  for (const form of ['I-485', 'N-400', 'N-600']) assert.equal(officeForTimes({ form_type: form, office: 'NBC', field_office: 'HOU' }, kindOf), 'HOU', form);
  assert.equal(officeForTimes({ form_type: 'I-485', office: 'NBC', field_office: null }, kindOf), 'NBC', 'no field office yet');
  assert.equal(officeForTimes({ form_type: 'I-130', office: 'NBC', field_office: 'HOU' }, kindOf), 'NBC', 'other forms keep the benefits center');
});

test('published figures keep two decimals', () => {
  assert.equal(roundMonths(7.300000190734863), 7.3);
  assert.equal(roundMonths(7.256), 7.26);
});
