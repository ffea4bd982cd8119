/** Structured logs carry trace IDs and routes, never credentials, identifiers from query strings, or stack traces. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { TEST_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';

describe('logging', () => {
  let t: TestApp;
  const lines: string[] = [];
  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (d) => lines.push(...String(d).split('\n').filter(Boolean)));
    t = await startTestApp('sqlite', { env: { LOG_LEVEL: 'info' }, logStream: stream });
  });
  after(() => t.close());

  test('a sign-in and a failing request leave JSON lines without e-mail, password, token or query string', async () => {
    await t.deps.staff.addUser({ email: 'logged.person@agency.test', name: 'Logged Person', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'logged.person@agency.test', password: TEST_PASSWORD } });
    const token = ok.json().token as string;
    await t.app.inject({ method: 'GET', url: '/api/v1/audit?subject=A012345678', headers: { authorization: `Bearer ${token}` } });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{"email":"logged.person@agency.test",' , headers: { 'content-type': 'application/json' } });
    await new Promise((r) => setImmediate(r));

    assert.ok(lines.length >= 6, `expected request logs, got ${lines.length}`);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(parsed.some((l) => l.reqId === ok.headers['x-trace-id']), 'log lines carry the trace ID');
    const all = lines.join('\n');
    for (const secret of ['logged.person@agency.test', TEST_PASSWORD, token, 'A012345678', 'Logged Person']) assert.ok(!all.includes(secret), `log leaked ${secret}`);
    assert.doesNotMatch(all, /\n\s+at /, 'no stack traces');
  });
});
