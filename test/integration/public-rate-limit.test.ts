/** Public endpoints are limited per client address; on PostgreSQL the limit holds across instances. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`public rate limit [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '3', TRUST_PROXY: '10.9.9.9' } }); });
    after(() => t.close());
    const home = (remoteAddress: string, xff?: string) =>
      t.app.inject({ method: 'GET', url: '/', remoteAddress, headers: xff ? { 'x-forwarded-for': xff } : {} });

    test('the limit+1th request in a minute answers 429 rate-limited with Retry-After; other addresses are unaffected', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await home('192.0.2.1')).statusCode, 200);
      const limited = await home('192.0.2.1');
      assert.equal(limited.statusCode, 429);
      assert.match(limited.body, /Too many requests/, 'a page answers with a readable HTML page');
      const retry = Number(limited.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, String(retry));
      assert.equal((await home('192.0.2.2')).statusCode, 200);
      // Staff and operational endpoints are not public-limited.
      assert.equal((await t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '192.0.2.1' })).statusCode, 200);
    });

    test('X-Forwarded-For is believed only from a trusted proxy', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await home('192.0.2.3', '198.51.100.1')).statusCode, 200);
      assert.equal((await home('192.0.2.3', '198.51.100.99')).statusCode, 429, 'an untrusted sender cannot dodge the limit by inventing addresses');
      for (let i = 0; i < 3; i++) assert.equal((await home('10.9.9.9', '198.51.100.7')).statusCode, 200);
      assert.equal((await home('10.9.9.9', '198.51.100.7')).statusCode, 429);
      assert.equal((await home('10.9.9.9', '198.51.100.8')).statusCode, 200, 'through the proxy each client has its own limit');
    });

    if (kind === 'postgres') {
      test('two instances on one database share the limit', async () => {
        const second = await startTestApp(kind, { env: { PUBLIC_RATE_LIMIT: '3' }, sharing: t });
        try {
          const from = (app: TestApp) => app.app.inject({ method: 'GET', url: '/', remoteAddress: '192.0.2.50' });
          assert.equal((await from(t)).statusCode, 200);
          assert.equal((await from(second)).statusCode, 200);
          assert.equal((await from(t)).statusCode, 200);
          const res = await from(second);
          assert.equal(res.statusCode, 429);
          assert.ok(Number(res.headers['retry-after']) >= 1);
        } finally {
          await second.close();
        }
      });
    }
  });
}
