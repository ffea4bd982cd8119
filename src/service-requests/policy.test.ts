/** Loading the agency's service request rules at start-up: the real file loads; a bad one names file and entry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAgency } from '../platform/reference.ts';
import { loadServiceRequestRules, readServiceRequestPolicy } from './policy.ts';

const agency = loadAgency('uscis');

test('the USCIS rules load against the agency’s offices and phone', () => {
  const rules = loadServiceRequestRules('uscis', agency);
  assert.equal(rules.policy.kinds.length, 9);
  for (const o of agency.offices) assert.equal(rules.calendarFor(o.code).timeZone, o.timeZone);
  const r = rules.evaluate({
    request: { type: 'expedite', fields: { details: 'Job offer ends.' } }, creator: 'public',
    facts: { office: 'VSC', decided: false, protectedCategory: null, receivedDate: '2026-01-01', history: [], notices: [] }, now: new Date('2026-12-01T12:00:00Z'),
  });
  assert.deepEqual(r.ok ? null : r.adviceParams, { phone: agency.contactCenterPhone });
});

test('a bad or unreadable file stops the start with the file and the entry named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-policy-'));
  try {
    fs.mkdirSync(path.join(dir, 'reference', 'acme'), { recursive: true });
    const file = path.join(dir, 'reference', 'acme', 'service-requests.json');
    const good = JSON.parse(fs.readFileSync(new URL('../../reference/uscis/service-requests.json', import.meta.url), 'utf8'));
    good.kinds[2].routeTo = { office: 'LOS' };
    fs.writeFileSync(file, JSON.stringify(good));
    assert.equal(loadServiceRequestRules('acme', agency, dir).kind('change-of-address')?.routeTo.toString(), '[object Object]');
    assert.throws(() => loadServiceRequestRules('acme', { ...agency, offices: agency.offices.filter((o) => o.code !== 'LOS') }, dir),
      { message: `${file}: kinds[2] (change-of-address).routeTo.office: is not an office of the agency` });
    fs.writeFileSync(file, '{"kinds": [');
    assert.throws(() => readServiceRequestPolicy(file, []), (e: Error) => e.message.startsWith(`${file}: `) && /JSON/.test(e.message));
    assert.throws(() => readServiceRequestPolicy(path.join(dir, 'missing.json'), []), /missing\.json: ENOENT/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
