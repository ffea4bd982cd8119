import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, idempotencyScope, keyProblem, requestHash } from './key.ts';

test('keys: 1 to 255 printable ASCII characters', () => {
  assert.equal(keyProblem('a'), null);
  assert.equal(keyProblem('x'.repeat(255)), null);
  assert.equal(keyProblem(' !~0aZ-_.:'), null);
  assert.match(keyProblem('')!, /empty/);
  assert.match(keyProblem('x'.repeat(256))!, /256 characters long; send at most 255/);
  for (const bad of ['tab\there', 'new\nline', 'é', 'del\u007f', 'nul\u0000']) assert.match(keyProblem(bad)!, /printable ASCII/, JSON.stringify(bad));
});

test('canonical JSON sorts keys at every level and keeps array order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson({ a: undefined, b: 'é' }), '{"b":"é"}');
  assert.equal(canonicalJson([undefined, 1]), '[null,1]');
  assert.equal(canonicalJson(undefined), 'null');
});

test('the request hash: equal for the same request in any key order, different for any change', () => {
  const base = { method: 'post', route: '/api/v1/things/:id', params: { id: '1' }, query: {}, body: { a: 1, b: [1, 2] } };
  const h = requestHash(base);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(requestHash({ ...base, method: 'POST', body: { b: [1, 2], a: 1 } }), h);
  for (const changed of [
    { ...base, method: 'PUT' }, { ...base, route: '/api/v1/other/:id' }, { ...base, params: { id: '2' } },
    { ...base, query: { dryRun: 'true' } }, { ...base, body: { a: 1, b: [2, 1] } }, { ...base, body: { a: '1', b: [1, 2] } }, { ...base, body: undefined },
  ]) assert.notEqual(requestHash(changed), h, JSON.stringify(changed));
});

test('scopes: the staff account, the API client, or for the public the route', () => {
  const user = { id: 'u1', email: 'e', name: 'n', role: 'tier1' as const, office: null, agentId: 'A1' };
  assert.equal(idempotencyScope({ kind: 'staff', user, sessionId: 's' }, 'post', '/api/v1/x'), 'staff:u1');
  assert.equal(idempotencyScope({ kind: 'client', clientId: 'c1', name: 'n', scopes: [] }, 'POST', '/api/v1/x'), 'client:c1');
  assert.equal(idempotencyScope({ kind: 'anonymous' }, 'post', '/api/v1/x'), 'public:POST /api/v1/x');
});
