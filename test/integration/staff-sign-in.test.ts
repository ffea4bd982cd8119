/** Staff sign-in over the API: tokens, sessions, disabled accounts, role changes, throttling, audit. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, bearer, problem, startTestApp, type TestApp } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`staff sign-in [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());

    const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });
    const session = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(token) });

    test('a good sign-in returns a token, its expiry and the public user with an agent ID', async () => {
      const user = await t.deps.staff.addUser({ email: 'Ana.Officer@Agency.test', name: 'Ana Officer', role: 'office', office: 'nsc', password: TEST_PASSWORD }, { kind: 'cli' });
      const res = await login('  ana.officer@agency.TEST ', TEST_PASSWORD);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(body.user, { id: user.id, name: 'Ana Officer', role: 'office', office: 'NSC', agentId: user.agentId });
      assert.match(body.user.agentId, /^[1-9][0-9]{5}$/);
      assert.notEqual(body.user.agentId, 'ana.officer@agency.test');
      assert.ok(Date.parse(body.expiresAt) > Date.now());
      const s = await session(body.token);
      assert.equal(s.statusCode, 200);
      assert.deepEqual(s.json().user, body.user);
      assert.equal(s.json().expiresAt, body.expiresAt, 'a use within the first minute does not move the recorded idle end');
    });

    test('the token, the session and their refusals are never stored by a cache (Cache-Control: no-store)', async () => {
      const { token, email } = await t.signIn('tier1');
      const answers = {
        login: await login(email, TEST_PASSWORD),
        'bad login': await login(email, 'not the password', '10.0.0.9'),
        session: await session(token),
        'no session': await t.app.inject({ method: 'GET', url: '/api/v1/auth/session' }),
        logout: await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) }),
      };
      for (const [name, res] of Object.entries(answers)) assert.equal(res.headers['cache-control'], 'no-store', name);
      assert.deepEqual(Object.values(answers).map((r) => r.statusCode), [200, 401, 200, 401, 204]);
    });

    test('wrong password and unknown e-mail get the same 401', async () => {
      await t.deps.staff.addUser({ email: 'known@agency.test', name: 'Known', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      const wrong = await login('known@agency.test', 'not the password', '10.0.0.1');
      const unknown = await login('nobody@agency.test', 'not the password', '10.0.0.1');
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      const strip = (b: Record<string, unknown>) => ({ ...b, traceId: undefined });
      assert.deepEqual(strip(wrong.json()), strip(unknown.json()));
      assert.equal(problem(wrong).code, 'unauthenticated');
    });

    test('no token, a malformed header or a made-up token answer 401', async () => {
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: 'Token x' } })).statusCode, 401);
      assert.equal((await session('made-up-token')).statusCode, 401);
    });

    test('logout ends the session at once', async () => {
      const { token } = await t.signIn('tier2');
      const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
      assert.equal(out.statusCode, 204);
      assert.equal((await session(token)).statusCode, 401);
    });

    test('a disabled account is refused on its next request', async () => {
      const { token, email } = await t.signIn('tier1');
      assert.equal((await session(token)).statusCode, 200);
      await t.deps.staff.disableUser(email, { kind: 'cli' });
      assert.equal((await session(token)).statusCode, 401);
      assert.equal((await login(email, TEST_PASSWORD)).statusCode, 401);
    });

    test('a changed role takes effect on the next request', async () => {
      const { token, email } = await t.signIn('admin');
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(token) })).statusCode, 200);
      await t.deps.staff.setRole(email, 'tier1', null, { kind: 'cli' });
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(token) });
      assert.equal(res.statusCode, 403);
      assert.equal(problem(res).code, 'forbidden');
      assert.equal((await session(token)).json().user.role, 'tier1');
    });

    test('repeated failures for one account are throttled with 429 and Retry-After, even with the right password', async () => {
      await t.deps.staff.addUser({ email: 'target@agency.test', name: 'Target', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      for (let i = 0; i < 5; i++) assert.equal((await login('target@agency.test', `guess ${i}`, `10.1.0.${i}`)).statusCode, 401);
      const locked = await login('target@agency.test', TEST_PASSWORD, '10.1.0.99');
      assert.equal(locked.statusCode, 429);
      assert.equal(problem(locked).code, 'rate-limited');
      const retry = Number(locked.headers['retry-after']);
      assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
    });

    test('every sign-in, success or failure, is in the audit trail without the e-mail address', async () => {
      const { id } = await t.signIn('supervisor', { email: 'audited@agency.test' });
      await login('audited@agency.test', 'wrong password!', '10.2.0.1');
      const rows = await t.deps.database.db.selectFrom('audit_log').selectAll().where('subject', '=', `staff:${id}`).where('action', '=', 'sign-in').orderBy('seq').execute();
      assert.deepEqual(rows.map((r) => r.outcome), ['allowed', 'denied']);
      const all = JSON.stringify(await t.deps.database.db.selectFrom('audit_log').selectAll().execute());
      assert.ok(!all.includes('audited@agency.test'), 'no e-mail addresses in the audit trail');
    });
  });
}

for (const kind of databaseKinds()) {
  describe(`housekeeping [${kind}]`, () => {
    test('expired sessions and old sign-in failures are pruned; live ones stay', async () => {
      const t = await startTestApp(kind);
      try {
        const live = await t.signIn('tier1');
        const db = t.deps.database.db;
        await db.insertInto('sessions').values({ id: 'old', staff_id: live.id, kind: 'api', created_at: '2020-01-01T00:00:00.000Z', expires_at: '2020-01-01T08:00:00.000Z', revoked_at: null, last_seen_at: '2020-01-01T00:00:00.000Z' }).execute();
        await db.insertInto('login_failures').values({ id: 'f', throttle_key: 'address:x', at: '2020-01-01T00:00:00.000Z' }).execute();
        await t.deps.staff.pruneExpired();
        const sessions = await db.selectFrom('sessions').select('id').execute();
        assert.equal(sessions.length, 1);
        assert.equal((await db.selectFrom('login_failures').select('id').execute()).length, 0);
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(live.token) })).statusCode, 200);
      } finally {
        await t.close();
      }
    });
  });
}
