import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';

test('defaults follow the contract', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.dataDir, path.resolve('./data'));
  assert.equal(c.databaseUrl, null);
  assert.equal(c.seed, 'demo');
  assert.equal(c.publicRateLimit, 60);
  assert.deepEqual(c.trustProxy, []);
  assert.equal(c.agency, 'uscis');
});

test('values are read and checked', () => {
  const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h/db', SEED: 'none', TRUST_PROXY: '10.0.0.1, 10.0.0.2', PUBLIC_RATE_LIMIT: '5' });
  assert.deepEqual([c.port, c.databaseUrl, c.seed, c.trustProxy, c.publicRateLimit], [8080, 'postgres://u@h/db', 'none', ['10.0.0.1', '10.0.0.2'], 5]);
  for (const env of [{ PORT: 'eighty' }, { PORT: '70000' }, { DATABASE_URL: 'mysql://x' }, { SEED: 'lots' }, { LOG_LEVEL: 'loud' }, { AGENCY: '../etc' }]) {
    assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
  }
});
