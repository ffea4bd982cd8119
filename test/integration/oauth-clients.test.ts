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
        assert.match(body.errors[0].code, /^[A-Z_]+$/);
      }
    });

    test('a wrong grant type answers 400 in the agency format', async () => {
      const res = await tokenRequest(`grant_type=password&client_id=${client.client_id}&client_secret=x`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 400);
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
