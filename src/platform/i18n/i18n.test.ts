import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue, keysOf, translator } from './i18n.ts';

test('English and Spanish catalogues have exactly the same keys', () => {
  assert.deepEqual(keysOf(catalogue('es')).sort(), keysOf(catalogue('en')).sort());
});

test('no catalogue entry is empty', () => {
  for (const lang of ['en', 'es'] as const) {
    const t = translator(lang);
    for (const key of keysOf(catalogue(lang))) assert.notEqual(t(key).trim(), '', `${lang}:${key}`);
  }
});

test('placeholders are filled and unknown keys fall back visibly', () => {
  const t = translator('es');
  assert.match(t('staff.home.greeting', { name: 'Ana' }), /Ana/);
  assert.equal(t('no.such.key'), 'no.such.key');
});

test('every status of the error catalogue has an error page title and text in both languages', async () => {
  const { ERROR_CATALOGUE } = await import('../errors/catalogue.ts');
  for (const lang of ['en', 'es'] as const) {
    const keys = new Set(keysOf(catalogue(lang)));
    for (const { status } of Object.values(ERROR_CATALOGUE)) {
      assert.ok(keys.has(`error.title.${status}`), `${lang}: error.title.${status}`);
      assert.ok(keys.has(`error.body.${status}`), `${lang}: error.body.${status}`);
    }
  }
});

test('every capability and prohibition a staff home lists has its words in both languages', async () => {
  const { CAPABILITIES, PROHIBITIONS } = await import('../../domain/capabilities.ts');
  for (const lang of ['en', 'es'] as const) {
    const keys = new Set(keysOf(catalogue(lang)));
    for (const c of CAPABILITIES) assert.ok(keys.has(`staff.capability.${c}`), `${lang}: staff.capability.${c}`);
    for (const p of PROHIBITIONS) assert.ok(keys.has(`staff.prohibition.${p}`), `${lang}: staff.prohibition.${p}`);
  }
});
