import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ERROR_CATALOGUE, problemBody } from './catalogue.ts';

test('every error code is documented in docs/errors.md, and nothing undocumented is there', () => {
  const doc = fs.readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^## `([a-z-]+)`/gm)].map((m) => m[1]);
  for (const code of Object.keys(ERROR_CATALOGUE)) assert.ok(documented.includes(code), `docs/errors.md lacks "## \`${code}\`"`);
  for (const code of documented) assert.ok(code! in ERROR_CATALOGUE, `docs/errors.md documents unknown code ${code}`);
});

test('codes are kebab-case and statuses are HTTP error statuses', () => {
  for (const [code, { status }] of Object.entries(ERROR_CATALOGUE)) {
    assert.match(code, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(status >= 400 && status < 600);
  }
});

test('the contract codes have the contract statuses', () => {
  const contract: Record<string, number> = {
    'invalid-request': 400, 'invalid-receipt-number': 400, unauthenticated: 401, forbidden: 403, 'verification-locked': 403,
    'not-found': 404, 'method-not-allowed': 405, conflict: 409, 'duplicate-service-request': 409, unprocessable: 422,
    'too-early': 422, 'review-window-closed': 422, 'idempotency-key-reused': 422, 'payload-too-large': 413,
    'unsupported-media-type': 415, 'rate-limited': 429, unavailable: 503,
  };
  for (const [code, status] of Object.entries(contract)) assert.equal(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE]?.status, status, code);
});

test('a problem body has the RFC 9457 members and the two extensions', () => {
  assert.deepEqual(problemBody('conflict', 'Taken.', 'abc', { existing: 1 }), { type: '/problems/conflict', title: 'Conflict', status: 409, detail: 'Taken.', code: 'conflict', traceId: 'abc', existing: 1 });
});
