/** CONTRACT.md section 3: problem details, body limits, media types, hostile JSON, 404 and 405. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { problem, startTestApp, type TestApp } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`HTTP conventions [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());

    const login = (payload: string, contentType = 'application/json') =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': contentType } });

    test('an unknown path answers a 404 problem with every required member', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
      assert.equal(res.statusCode, 404);
      assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
      const p = problem(res);
      assert.deepEqual({ type: p.type, title: p.title, status: p.status, code: p.code }, { type: '/problems/not-found', title: 'Not found', status: 404, code: 'not-found' });
      assert.equal(typeof p.detail, 'string');
      assert.equal(p.traceId, res.headers['x-trace-id']);
    });

    test('a known path with the wrong method answers 405 with Allow', async () => {
      const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/auth/login' });
      assert.equal(res.statusCode, 405);
      assert.equal(problem(res).code, 'method-not-allowed');
      assert.equal(res.headers.allow, 'POST');
    });

    test('malformed JSON answers 400 invalid-request without echoing the body', async () => {
      const res = await login('{"email":"someone@agency.test","password":');
      assert.equal(res.statusCode, 400);
      assert.equal(problem(res).code, 'invalid-request');
      assert.ok(!res.body.includes('someone@agency.test'));
    });

    test('__proto__ keys and hostile nesting answer 400', async () => {
      const proto = await login('{"email":"a@b.co","password":"x","__proto__":{"isAdmin":true}}');
      assert.equal(proto.statusCode, 400);
      assert.match(problem(proto).detail, /forbidden key/);
      const deep = await login(`{"email":${'['.repeat(5000)}${']'.repeat(5000)},"password":"x"}`);
      assert.equal(deep.statusCode, 400);
      assert.match(problem(deep).detail, /nested/);
    });

    test('a body over 1 MiB answers 413 payload-too-large', async () => {
      const res = await login(JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1024 * 1024) }));
      assert.equal(res.statusCode, 413);
      assert.equal(problem(res).code, 'payload-too-large');
    });

    test('a body that is not JSON answers 415 unsupported-media-type', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await login('email=a%40b.co&password=x', type);
        assert.equal(res.statusCode, 415, type);
        assert.equal(problem(res).code, 'unsupported-media-type');
      }
    });

    test('a schema violation lists each bad field', async () => {
      const res = await login(JSON.stringify({ email: '', extra: 1 }));
      assert.equal(res.statusCode, 400);
      const p = problem(res);
      assert.equal(p.code, 'invalid-request');
      const fields = (p.errors ?? []).map((e) => e.field).sort();
      assert.ok(fields.includes('password'), JSON.stringify(p.errors));
      assert.ok(fields.includes('email'), JSON.stringify(p.errors));
      for (const e of p.errors ?? []) assert.ok(e.code && e.detail);
    });

    test('an unexpected failure answers 500 without a stack trace or SQL', async () => {
      await t.deps.database.db.schema.alterTable('sessions').renameTo('sessions_moved').execute();
      try {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: 'Bearer abc' } });
        assert.equal(res.statusCode, 500);
        const p = problem(res);
        assert.equal(p.code, 'internal-error');
        assert.doesNotMatch(res.body, /\bat \w|select|from "?sessions|sqlite|\.ts:/i);
      } finally {
        await t.deps.database.db.schema.alterTable('sessions_moved').renameTo('sessions').execute();
      }
    });

    test('JSON API answers default to Cache-Control: no-store; a route may say otherwise', async () => {
      const admin = await t.signIn('admin');
      const answers = [
        await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${admin.token}` } }),
        await t.app.inject({ method: 'GET', url: '/api/v1/processing-times?formType=I-130&office=VSC' }),
        await t.app.inject({ method: 'GET', url: '/api/v1/processing-times' }), // 400 problem
        await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), // 404 problem
        await t.app.inject({ method: 'GET', url: '/healthz' }),
      ];
      assert.deepEqual(answers.map((r) => r.statusCode), [200, 200, 400, 404, 200]);
      for (const res of answers) assert.equal(res.headers['cache-control'], 'no-store', res.raw.req.url);
      // The public status vocabulary says it may be cached.
      const statuses = await t.app.inject({ method: 'GET', url: '/api/v1/reference/statuses' });
      assert.equal(statuses.headers['cache-control'], 'public, max-age=3600');
    });

    test('HTML and JSON responses carry CSP, nosniff and frame-ancestors', async () => {
      for (const url of ['/', '/healthz']) {
        const res = await t.app.inject({ method: 'GET', url });
        const csp = String(res.headers['content-security-policy']);
        assert.match(csp, /default-src 'self'/);
        assert.match(csp, /script-src 'self'(;|$)/, 'no inline scripts allowed');
        assert.match(csp, /frame-ancestors 'none'/);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
      }
    });
  });
}
