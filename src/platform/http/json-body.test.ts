import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDepth, parseJsonBody, MAX_JSON_DEPTH } from './json-body.ts';
import { AppError } from '../errors/catalogue.ts';

test('depth counts brackets but not brackets inside strings', () => {
  assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
  assert.equal(jsonDepth('{"a":"[[[[{{{{\\"]]"}'), 1);
  assert.equal(jsonDepth('3'), 0);
});

test('hostile nesting is refused with invalid-request', () => {
  const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
  assert.throws(() => parseJsonBody(deep), (e: unknown) => e instanceof AppError && e.code === 'invalid-request' && /nested/.test(e.detail));
  const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
  assert.ok(Array.isArray(parseJsonBody(ok)));
});

test('__proto__ and constructor.prototype keys are refused', () => {
  for (const body of ['{"__proto__":{"admin":true}}', '{"a":{"constructor":{"prototype":{"x":1}}}}']) {
    assert.throws(() => parseJsonBody(body), (e: unknown) => e instanceof AppError && e.code === 'invalid-request' && /forbidden key/.test(e.detail));
  }
});

test('malformed and empty bodies are refused without echoing them', () => {
  assert.throws(() => parseJsonBody('{"email": "secret@x.gov",'), (e: unknown) => e instanceof AppError && !e.detail.includes('secret'));
  assert.throws(() => parseJsonBody('   '), (e: unknown) => e instanceof AppError && e.code === 'invalid-request');
});
