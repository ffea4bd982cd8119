import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyError } from 'fastify';
import { jsonDepth, parseJsonBody, registerJsonBody, MAX_JSON_DEPTH } from './json-body.ts';
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

test('depth is the deepest point, not the number of containers: siblings do not add up', () => {
  const cases: [string, number][] = [
    ['[]', 1], ['{}', 1], ['[[]]', 2], ['{"a":{}}', 2],
    ['[[],[]]', 2], ['{"a":{},"b":{},"c":[]}', 2], ['[[[]],[]]', 3], ['[[],[[]]]', 3],
    ['{}{}{}', 1], ['[1,2,3]', 1], ['"x"', 0], ['', 0],
    ['["]"]', 1], ['["[[["]', 1], ['["\\"[[", []]', 2], ['["\\\\", [[]]]', 3], ['["a\\\\"]', 1],
    ['{"k\\"}":[{}]}', 3],
  ];
  for (const [text, depth] of cases) assert.equal(jsonDepth(text), depth, text);
});

const refused = (text: string, detail: string) => assert.throws(
  () => parseJsonBody(text),
  (e: unknown) => e instanceof AppError && e.code === 'invalid-request' && e.status === 400 && e.detail === detail,
  text,
);
const EMPTY = 'The request body is empty; send a JSON document.';
const NESTED = 'The JSON document is nested more than 32 levels deep.';
const FORBIDDEN = 'The JSON document contains a forbidden key (__proto__ or constructor.prototype).';
const MALFORMED = 'The request body is not valid JSON.';

test('each fault has its own message', () => {
  const cases: [string, string][] = [
    ['', EMPTY], [' \n\t\r ', EMPTY],
    ['['.repeat(33) + ']'.repeat(33), NESTED],
    [`{"a":${'['.repeat(32)}${']'.repeat(32)}}`, NESTED],
    ['{"__proto__":{"admin":true}}', FORBIDDEN],
    ['[{"x":{"__proto__":null}}]', FORBIDDEN],
    ['{"a":{"constructor":{"prototype":{"x":1}}}}', FORBIDDEN],
    ['{"\\u005f_proto__":{"admin":true}}', FORBIDDEN],
    ['{"constructor":{"\\u0070rototype":{}}}', FORBIDDEN],
    ['{"email": "secret@x.gov",', MALFORMED],
    ['{"a": prototype}', MALFORMED],
    ['{"constructor": {"prototype": }', MALFORMED],
    ['{"__proto__": ', MALFORMED],
    ['{"a":"\\u00"}', MALFORMED],
    ["{'a':1}", MALFORMED],
    ['[1,]', MALFORMED],
    ['undefined', MALFORMED],
  ];
  for (const [text, detail] of cases) refused(text, detail);
});

test('valid JSON parses to its value, whichever parser path it takes', () => {
  const cases: [string, unknown][] = [
    ['{"a":1,"b":[true,null,"x"]}', { a: 1, b: [true, null, 'x'] }],
    ['  42 ', 42],
    ['"text"', 'text'],
    ['null', null],
    ['{"name":"\\u0041da"}', { name: 'Ada' }],
    ['{"constructor":"a key of that name is allowed"}', { constructor: 'a key of that name is allowed' }],
    ['{"prototype":{"constructor":1}}', { prototype: { constructor: 1 } }],
    ['['.repeat(32) + ']'.repeat(32), JSON.parse('['.repeat(32) + ']'.repeat(32))],
  ];
  for (const [text, value] of cases) assert.deepEqual(parseJsonBody(text), value, text);
  assert.equal(Object.getPrototypeOf(parseJsonBody('{"a":{"b":1}}')), Object.prototype);
});

test('wired into Fastify: JSON and +json bodies are parsed, faults answer 400, other media types 415', async () => {
  const app = Fastify();
  registerJsonBody(app);
  app.setErrorHandler((err: FastifyError | AppError, _req, reply) => {
    if (err instanceof AppError) return reply.code(err.status).send({ code: err.code, detail: err.detail });
    return reply.code(err.statusCode ?? 500).send({ code: err.code });
  });
  app.post('/', async (req) => ({ got: req.body }));
  const cases: [string, string, number, unknown][] = [
    ['application/json', '{"a":1}', 200, { got: { a: 1 } }],
    ['application/json; charset=utf-8', '{"a":2}', 200, { got: { a: 2 } }],
    ['Application/JSON', '[3]', 200, { got: [3] }],
    ['application/problem+json', '{"a":4}', 200, { got: { a: 4 } }],
    ['application/merge-patch+json; charset=utf-8', '{"a":5}', 200, { got: { a: 5 } }],
    ['application/vnd.agency.v1+json', '{"a":6}', 200, { got: { a: 6 } }],
    ['application/json', '{"a":', 400, { code: 'invalid-request', detail: MALFORMED }],
    ['application/json', '', 400, { code: 'invalid-request', detail: EMPTY }],
    ['application/problem+json', '{"__proto__":{}}', 400, { code: 'invalid-request', detail: FORBIDDEN }],
    ['application/json', '['.repeat(40) + ']'.repeat(40), 400, { code: 'invalid-request', detail: NESTED }],
    ['text/plain', '{"a":1}', 415, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }],
    ['application/jsonx', '{}', 415, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }],
    ['application/+json', '{}', 415, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }],
    ['application/x+jsonp', '{}', 415, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }],
    ['text/x+json', '{}', 415, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }],
    ['xapplication/x+json', '{}', 415, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }],
    ['application/x_y+json', '{}', 415, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }],
  ];
  try {
    for (const [type, payload, status, body] of cases) {
      const res = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': type }, payload });
      assert.deepEqual([res.statusCode, res.json()], [status, body], `${type} ${payload}`);
    }
  } finally {
    await app.close();
  }
});
