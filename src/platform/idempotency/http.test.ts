/** The Fastify glue on a bare instance with a real SQLite database: replay bytes and header, 422, 400, the document. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { Type } from '@fastify/type-provider-typebox';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { registerErrorHandling } from '../http/errors.ts';
import { registerJsonBody } from '../http/json-body.ts';
import { swaggerOptions } from '../http/openapi.ts';
import { Problem, problems } from '../http/types.ts';
import type { Actor } from '../actor.ts';
import { IdempotencyService } from './service.ts';
import { idempotencyKey, idempotentRequest, sendIdempotentAnswer } from './http.ts';

let dir: string;
let database: DatabaseHandle;
let app: FastifyInstance;
let calls = 0;

const Thing = Type.Object({ id: Type.Integer(), name: Type.String(), tags: Type.Array(Type.String()) });

async function bareApp(routes: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const a = Fastify();
  registerErrorHandling(a, { auditDenial: async () => {}, renderErrorPage: () => undefined });
  registerJsonBody(a);
  a.addSchema(Problem);
  await a.register(swagger, swaggerOptions());
  routes(a);
  await a.ready();
  return a;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-idem-'));
  database = openDatabase({ databaseUrl: null, dataDir: dir });
  await migrateToLatest(database);
  const idempotency = new IdempotencyService(database.db, database.dialect);
  app = await bareApp((a) => {
    a.post('/api/v1/things', {
      config: { idempotent: true },
      schema: {
        tags: ['Operations'], summary: 'Make a thing (test only)', operationId: 'makeThing',
        body: Type.Object({ name: Type.String(), tags: Type.Array(Type.String()) }),
        response: { 201: Thing, ...problems(400, 409, 422) },
      },
    }, async (request, reply) => {
      const actor: Actor = request.headers['x-client'] ? { kind: 'client', clientId: String(request.headers['x-client']), name: 'c', scopes: [] } : { kind: 'anonymous' };
      const answer = await idempotency.run(idempotentRequest(request, actor), async () => {
        const body = request.body as { name: string; tags: string[] };
        return { status: 201, body: { id: ++calls, name: body.name, tags: body.tags } };
      });
      return sendIdempotentAnswer(reply, answer);
    });
    a.post('/api/v1/not-idempotent', { schema: { hide: true } }, async (request) => ({ key: idempotencyKey(request) }));
  });
});

after(async () => {
  await app.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const post = (key: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/things', payload: payload as object, headers: { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers } });

test('a replay answers the same status and the same bytes, with Idempotent-Replayed: true; nothing runs twice', async () => {
  const before = calls;
  const first = await post('k-replay', { name: 'Año ✓', tags: ['a', 'b'] });
  assert.equal(first.statusCode, 201);
  assert.equal(first.headers['idempotent-replayed'], undefined);
  assert.match(String(first.headers['content-type']), /^application\/json; charset=utf-8$/);
  assert.deepEqual(first.json(), { id: before + 1, name: 'Año ✓', tags: ['a', 'b'] });
  const again = await post('k-replay', { tags: ['a', 'b'], name: 'Año ✓' });
  assert.equal(again.statusCode, 201);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.headers['content-type'], first.headers['content-type']);
  assert.ok(Buffer.from(again.rawPayload).equals(Buffer.from(first.rawPayload)));
  assert.equal(calls, before + 1);
});

test('the same key with another body: 422 idempotency-key-reused', async () => {
  assert.equal((await post('k-reuse', { name: 'one', tags: [] })).statusCode, 201);
  const res = await post('k-reuse', { name: 'two', tags: [] });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().code, 'idempotency-key-reused');
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
});

test('keys are per caller: an API client does not get the public answer to the same key', async () => {
  const pub = await post('k-scope', { name: 'x', tags: [] });
  const client = await post('k-scope', { name: 'x', tags: [] }, { 'x-client': 'c1' });
  assert.equal(client.statusCode, 201);
  assert.equal(client.headers['idempotent-replayed'], undefined);
  assert.notEqual(client.json().id, pub.json().id);
});

test('no key: each request creates', async () => {
  const a = await post(undefined, { name: 'y', tags: [] });
  const b = await post(undefined, { name: 'y', tags: [] });
  assert.notEqual(a.json().id, b.json().id);
});

test('a bad key: 400 invalid-request naming the header, nothing created', async () => {
  const before = calls;
  for (const key of ['', 'x'.repeat(256), 'tab\tkey']) {
    const res = await post(key, { name: 'z', tags: [] });
    assert.equal(res.statusCode, 400, JSON.stringify(key));
    const body = res.json();
    assert.equal(body.code, 'invalid-request');
    assert.equal(body.errors[0].field, 'Idempotency-Key');
    assert.match(body.detail, /Idempotency-Key/);
  }
  assert.equal((await post('x'.repeat(255), { name: 'z', tags: [] })).statusCode, 201);
  assert.equal(calls, before + 1);
});

test('reading the key on a route without config.idempotent is a programming error (500), not a silent pass', async () => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/not-idempotent', payload: {}, headers: { 'idempotency-key': 'k' } });
  assert.equal(res.statusCode, 500);
});

test('the document declares the Idempotency-Key header, Idempotent-Replayed on 2xx, 409 and 422', () => {
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { parameters?: Array<Record<string, unknown>>; responses: Record<string, { headers?: Record<string, { schema: Record<string, unknown> }> }> }>> };
  const op = doc.paths['/api/v1/things']!.post!;
  const header = op.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
  assert.ok(header, JSON.stringify(op.parameters));
  assert.equal(header.required, false);
  assert.deepEqual({ ...(header.schema as object), description: undefined }, { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$', description: undefined });
  assert.deepEqual(op.responses['201']!.headers!['Idempotent-Replayed']!.schema, { type: 'string', enum: ['true'] });
  assert.equal(op.responses['409']!.headers?.['Idempotent-Replayed'], undefined);
  assert.ok(op.responses['409'] && op.responses['422']);
});

test('an idempotent route that does not list 409 and 422 fails the document', async () => {
  const a = await bareApp((x) => {
    x.post('/api/v1/careless', { config: { idempotent: true }, schema: { tags: ['Operations'], summary: 's', response: { 201: Thing, ...problems(400) } } }, async () => ({}));
  });
  try {
    assert.throws(() => a.swagger(), /POST \/api\/v1\/careless is idempotent: list 409 and 422/);
  } finally {
    await a.close();
  }
});
