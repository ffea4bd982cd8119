/** API clients: the OAuth 2.0 client-credentials flow in the agency's wire format. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`OAuth client credentials [${kind}]`, () => {
    let t: TestApp;
    let client: { client_id: string; client_secret: string; scopes: string[] };
    before(async () => {
      t = await startTestApp(kind);
      client = await t.deps.clients.addClient({ name: 'Status app', scopes: ['case-status', 'reference-data'] }, { kind: 'cli' });
    });
    after(() => t.close());

    const tokenRequest = (payload: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/oauth/accesstoken', payload, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

    test('credentials in the form body get a token with string expires_in and issued_at', async () => {
      const before = Date.now();
      const res = await tokenRequest(`grant_type=client_credentials&client_id=${client.client_id}&client_secret=${encodeURIComponent(client.client_secret)}&scope=ignored`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, '1800');
      assert.equal(body.status, 'approved');
      assert.equal(typeof body.issued_at, 'string');
      assert.ok(Number(body.issued_at) >= before && Number(body.issued_at) <= Date.now());
      assert.ok(body.access_token.length >= 32);
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    test('credentials as HTTP Basic work too', async () => {
      const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
      const res = await tokenRequest('grant_type=client_credentials', { authorization: `Basic ${basic}` });
      assert.equal(res.statusCode, 200);
      const who = await t.deps.clients.resolveToken(res.json().access_token);
      assert.deepEqual(who, { clientId: client.client_id, name: 'Status app', scopes: ['case-status', 'reference-data'] });
    });

    test('a bad secret or unknown client answers 401 in the agency error format', async () => {
      for (const payload of [`grant_type=client_credentials&client_id=${client.client_id}&client_secret=wrong`, 'grant_type=client_credentials&client_id=nobody&client_secret=x']) {
        const res = await tokenRequest(payload);
        assert.equal(res.statusCode, 401);
        const body = res.json();
        assert.equal(body.code, 401);
        assert.equal(body.message, 'Invalid Access Token');
        assert.equal(body.errors[0].message, body.message);
        assert.equal(body.errors[0].code, 'INVALID_CLIENT');
        assert.equal(body.error, 'invalid_client');
        assert.equal(body.error_description, body.message);
        assert.match(String(res.headers['www-authenticate']), /^Basic realm=/);
      }
    });

    test('a bad client sent by HTTP Basic answers 401 with a Basic challenge', async () => {
      for (const credentials of [`${client.client_id}:wrong`, 'nobody:x']) {
        const res = await tokenRequest('grant_type=client_credentials', { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
        assert.equal(res.statusCode, 401);
        assert.match(String(res.headers['www-authenticate']), /^Basic realm="[^"]+"/);
        assert.deepEqual(res.json(), {
          code: 401, message: 'Invalid Access Token', errors: [{ code: 'INVALID_CLIENT', message: 'Invalid Access Token' }],
          error: 'invalid_client', error_description: 'Invalid Access Token',
        });
        assert.equal(res.headers['cache-control'], 'no-store');
      }
    });

    test('an unsupported grant type answers UNSUPPORTED_GRANT_TYPE; a missing one INVALID_REQUEST (RFC 6749 section 5.2)', async () => {
      const cases = [
        { payload: `grant_type=password&client_id=${client.client_id}&client_secret=x`, code: 'UNSUPPORTED_GRANT_TYPE', error: 'unsupported_grant_type', message: 'Unsupported grant type' },
        { payload: `grant_type=authorization_code&code=x`, code: 'UNSUPPORTED_GRANT_TYPE', error: 'unsupported_grant_type', message: 'Unsupported grant type' },
        { payload: `client_id=${client.client_id}&client_secret=${encodeURIComponent(client.client_secret)}`, code: 'INVALID_REQUEST', error: 'invalid_request', message: 'Invalid request' },
        { payload: '', code: 'INVALID_REQUEST', error: 'invalid_request', message: 'Invalid request' },
      ];
      for (const c of cases) {
        const res = await tokenRequest(c.payload);
        assert.equal(res.statusCode, 400, c.payload);
        assert.deepEqual(res.json(), { code: 400, message: c.message, errors: [{ code: c.code, message: c.message }], error: c.error, error_description: c.message }, c.payload);
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      }
    });

    test('a body that is not a form answers 415, one over 16 KiB 413, both in the agency format', async () => {
      const notForm = await t.app.inject({ method: 'POST', url: '/oauth/accesstoken', payload: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } });
      assert.equal(notForm.statusCode, 415);
      assert.equal(notForm.json().errors[0].code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.equal(notForm.json().error, 'invalid_request');
      const tooLarge = await tokenRequest(`grant_type=client_credentials&client_id=${'x'.repeat(17 * 1024)}`);
      assert.equal(tooLarge.statusCode, 413);
      assert.equal(tooLarge.json().errors[0].code, 'PAYLOAD_TOO_LARGE');
    });

    test('a token answer is not cached (RFC 6749 section 5.1)', async () => {
      const res = await tokenRequest(`grant_type=client_credentials&client_id=${client.client_id}&client_secret=${encodeURIComponent(client.client_secret)}`);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers.pragma, 'no-cache');
    });

    test('a client token is a bearer token for the API, but not a staff session', async () => {
      const res = await tokenRequest(`grant_type=client_credentials&client_id=${client.client_id}&client_secret=${encodeURIComponent(client.client_secret)}`);
      const token = res.json().access_token;
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(token) })).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode, 403);
    });

    test('client creation is validated: scopes must be known, limits whole numbers', async () => {
      await assert.rejects(t.deps.clients.addClient({ name: 'x', scopes: ['everything'] }, { kind: 'cli' }), /not valid/);
      await assert.rejects(t.deps.clients.addClient({ name: 'x', scopes: ['case-status'], perDay: -1 }, { kind: 'cli' }), /not valid/);
    });
  });
}
