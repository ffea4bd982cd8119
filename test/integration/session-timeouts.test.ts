/**
 * Staff session ends (NIST SP 800-63B AAL2 reauthentication; src/staff/policy.ts), on SQLite and PostgreSQL, with
 * the staff service's clock moved by the test: 30 minutes idle ends a session, 12 hours after sign-in ends it
 * however busy it is, `last_seen_at` is written at most once a minute, "Stay signed in" extends, the read-only
 * status check and StaffService.checkSession never do, a disabled account ends at once, and the sign-in page says
 * why a session ended.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { Migrator, sql } from 'kysely';
import { createTestDatabase } from '../support/databases.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { MIGRATIONS, migrateToLatest } from '../../src/platform/db/migrate.ts';
import { databaseKinds } from '../support/databases.ts';
import { TEST_PASSWORD, bearer, startTestApp, type TestApp } from '../support/app.ts';
import { sha256 } from '../../src/platform/ids.ts';
import { translator } from '../../src/platform/i18n/i18n.ts';
import { ABSOLUTE_TIMEOUT_HOURS, IDLE_TIMEOUT_MINUTES } from '../../src/staff/policy.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const en = translator('en');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

/** A browser: a cookie jar, signed in through /sign-in, posting forms with the page's CSRF token. */
class Browser {
  jar: Record<string, string> = {};
  csrf = '';
  constructor(private readonly t: TestApp) {}
  #keep(res: LightMyRequestResponse) {
    for (const c of res.cookies) this.jar[c.name] = c.value;
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }
  cookie() {
    return Object.entries(this.jar).filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string, headers: Record<string, string> = {}) {
    return this.#keep(await this.t.app.inject({ method: 'GET', url, headers: { cookie: this.cookie(), ...headers } }));
  }
  async post(url: string, form: Record<string, string>, options: { csrf?: string | null; json?: boolean } = {}) {
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    const payload = new URLSearchParams({ ...(csrf === null ? {} : { _csrf: csrf }), ...form }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie(), ...(options.json ? { accept: 'application/json' } : {}) };
    return this.#keep(await this.t.app.inject({ method: 'POST', url, payload, headers }));
  }
  async signIn(email: string) {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password: TEST_PASSWORD, next: '/staff' });
    assert.equal(res.statusCode, 303, res.body);
    assert.ok(this.jar.sb_session, 'a session cookie');
    return this;
  }
  get sessionId() {
    return sha256(this.jar.sb_session!);
  }
}

let counter = 0;

for (const kind of databaseKinds()) {
  describe(`session timeouts [${kind}]`, () => {
    let t: TestApp;
    /** The staff service's clock: the test moves it. */
    let now = Date.parse('2026-12-02T13:00:00.000Z');
    const advance = (ms: number) => { now += ms; };

    before(async () => { t = await startTestApp(kind, { staffClock: () => new Date(now) }); });
    after(() => t.close());

    const session = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(token) });
    const lastSeen = async (id: string) => (await t.deps.database.db.selectFrom('sessions').select('last_seen_at').where('id', '=', id).executeTakeFirstOrThrow()).last_seen_at;
    const iso = (ms: number) => new Date(ms).toISOString();
    const browser = async () => {
      const email = `paged.${++counter}@agency.test`;
      await t.deps.staff.addUser({ email, name: 'Paged Person', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      return new Browser(t).signIn(email);
    };

    test('the login answer\'s expiresAt is the idle end at issue time; the session answer gives both ends', async () => {
      const start = now;
      const email = `login.${++counter}@agency.test`;
      await t.deps.staff.addUser({ email, name: 'Login Person', role: 'tier1', password: TEST_PASSWORD }, { kind: 'cli' });
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
      assert.equal(login.statusCode, 200);
      assert.equal(login.json().expiresAt, iso(start + IDLE_TIMEOUT_MINUTES * MIN));
      advance(5 * MIN);
      const s = await session(login.json().token);
      assert.equal(s.statusCode, 200);
      assert.deepEqual({ ...(s.json() as Record<string, unknown>), user: undefined }, {
        user: undefined, expiresAt: iso(now + 30 * MIN), idleExpiresAt: iso(now + 30 * MIN), absoluteExpiresAt: iso(start + 12 * HOUR),
      });
    });

    test('idle 29 minutes: still signed in; then 31 minutes idle: 401', async () => {
      const { token } = await t.signIn('tier1');
      advance(29 * MIN);
      assert.equal((await session(token)).statusCode, 200);
      advance(31 * MIN);
      assert.equal((await session(token)).statusCode, 401);
      // Activity after the end does not bring it back.
      assert.equal((await session(token)).statusCode, 401);
    });

    test('idle 31 minutes straight after sign-in: 401', async () => {
      const { token } = await t.signIn('tier2');
      advance(31 * MIN);
      const res = await session(token);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'unauthenticated');
      assert.deepEqual(await t.deps.staff.checkToken(token), { live: false, reason: 'idle' });
    });

    test('last_seen_at is written at most once a minute; the idle end is measured from it, to within that minute', async () => {
      const { token } = await t.signIn('tier1');
      const id = sha256(token);
      const signedIn = now;
      advance(30_000);
      assert.equal((await session(token)).statusCode, 200);
      assert.equal(await lastSeen(id), iso(signedIn), 'no write within the first minute');
      advance(29_999);
      assert.equal((await session(token)).statusCode, 200);
      assert.equal(await lastSeen(id), iso(signedIn), 'still no write at 59.999 s');
      advance(1);
      assert.equal((await session(token)).statusCode, 200);
      assert.equal(await lastSeen(id), iso(signedIn + MIN), 'written once the stored value is a minute old');
      // The recorded use (not the unrecorded one 30 s later) starts the idle window: the session ends 30 minutes
      // after it, at most a minute before 30 minutes after the last request, never later.
      advance(30_000);
      assert.equal((await session(token)).statusCode, 200); // not written (30 s after the write)
      advance(30 * MIN - 30_000 - 1);
      assert.equal((await t.deps.staff.checkSession(id)).live, true, 'live 1 ms before the idle end');
      advance(1);
      assert.deepEqual(await t.deps.staff.checkSession(id), { live: false, reason: 'idle' });
      assert.equal((await session(token)).statusCode, 401);
    });

    test('a request every 20 minutes keeps a session alive up to 12 hours, then 401 at 12 hours however busy', async () => {
      const start = now;
      const { token } = await t.signIn('supervisor');
      let uses = 0;
      while (now + 20 * MIN < start + ABSOLUTE_TIMEOUT_HOURS * HOUR) {
        advance(20 * MIN);
        const res = await session(token);
        assert.equal(res.statusCode, 200, `use ${++uses} at ${(now - start) / MIN} minutes`);
      }
      assert.equal(uses, 35);
      // The last 20 minutes: the session reports the absolute end as its end.
      const last = (await session(token)).json();
      assert.equal(last.absoluteExpiresAt, iso(start + 12 * HOUR));
      assert.equal(last.expiresAt, iso(start + 12 * HOUR));
      advance(start + 12 * HOUR - 1 - now);
      assert.equal((await session(token)).statusCode, 200, '1 ms before the absolute end');
      advance(1);
      assert.equal((await session(token)).statusCode, 401, 'at 12 hours, even though it was used a moment ago');
      assert.deepEqual(await t.deps.staff.checkToken(token), { live: false, reason: 'absolute' });
    });

    test('"Stay signed in" (POST /staff/session/keep-alive, CSRF-checked) extends the idle end', async () => {
      const b = await browser();
      const signedIn = now;
      advance(25 * MIN);
      assert.equal(await lastSeen(b.sessionId), iso(signedIn));
      // Without the CSRF token: refused.
      const forged = await b.post('/staff/session/keep-alive', { next: '/staff' }, { csrf: null, json: true });
      assert.equal(forged.statusCode, 403);
      advance(MIN);
      const res = await b.post('/staff/session/keep-alive', { next: '/staff' }, { json: true });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(res.json(), { live: true, endsInMs: 30 * MIN, warnInMs: 28 * MIN, warnMinutes: 2, final: false });
      assert.equal(await lastSeen(b.sessionId), iso(now));
      advance(29 * MIN); // 54 minutes after sign-in, 29 after "Stay signed in"
      assert.equal((await t.deps.staff.checkSession(b.sessionId)).live, true);
      // Without JavaScript the same form posts back to the page.
      const plain = await b.post('/staff/session/keep-alive', { next: '/staff' });
      assert.equal(plain.statusCode, 303);
      assert.equal(plain.headers.location, '/staff');
      assert.equal(await lastSeen(b.sessionId), iso(now));
    });

    test('"Stay signed in" extends even within a minute of the last recorded use, but never past the absolute end', async () => {
      const b = await browser();
      const start = now;
      advance(20_000);
      const res = await b.post('/staff/session/keep-alive', {}, { json: true });
      assert.equal(res.json().endsInMs, 30 * MIN);
      assert.equal(await lastSeen(b.sessionId), iso(now));
      for (let i = 0; i < 25; i++) { advance(28 * MIN); assert.equal((await b.post('/staff/session/keep-alive', {}, { json: true })).json().live, true); }
      // 11 h 40 min 20 s after sign-in: the end is now the absolute one.
      const near = (await b.post('/staff/session/keep-alive', {}, { json: true })).json();
      assert.equal(near.final, true);
      assert.equal(near.endsInMs, start + 12 * HOUR - now);
      advance(start + 12 * HOUR - now);
      assert.deepEqual((await b.post('/staff/session/keep-alive', {}, { json: true })).json(), { live: false, reason: 'absolute' });
    });

    test('the status check (GET /staff/session/status) and checkSession read without extending', async () => {
      const b = await browser();
      const signedIn = now;
      advance(20 * MIN);
      const first = await b.get('/staff/session/status');
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['cache-control'], 'no-store');
      assert.deepEqual(first.json(), { live: true, endsInMs: 10 * MIN, warnInMs: 8 * MIN, warnMinutes: 2, final: false });
      advance(5 * MIN);
      assert.equal((await b.get('/staff/session/status')).json().endsInMs, 5 * MIN);
      const checked = await t.deps.staff.checkSession(b.sessionId);
      assert.ok(checked.live);
      assert.equal(checked.times.expiresAt, iso(signedIn + 30 * MIN));
      assert.equal(await lastSeen(b.sessionId), iso(signedIn), 'neither wrote');
      advance(5 * MIN);
      assert.deepEqual((await b.get('/staff/session/status')).json(), { live: false, reason: 'idle' });
      assert.deepEqual(await t.deps.staff.checkSession(b.sessionId), { live: false, reason: 'idle' });
      // Without JavaScript: the next page lands on sign-in, which says the session ended for inactivity.
      const page = await b.get('/staff');
      assert.equal(page.statusCode, 302);
      assert.match(String(page.headers.location), /^\/sign-in\?next=/);
      const signIn = await b.get(String(page.headers.location));
      assert.equal(signIn.statusCode, 200);
      assert.ok(signIn.body.includes(html(en('session.endedIdle', { minutes: IDLE_TIMEOUT_MINUTES }))), 'the inactivity message');
      assert.match(signIn.body, /<title>[^<]*You were signed out because/);
      assert.equal(b.jar.sb_session, '', 'the dead cookie is cleared');
      // A status check without a session.
      assert.deepEqual((await t.app.inject({ method: 'GET', url: '/staff/session/status' })).json(), { live: false, reason: 'ended' });
    });

    test('a signed-in page carries the warning with the countdown from the server; signed-out pages do not', async () => {
      const b = await browser();
      advance(10 * MIN);
      const page = await b.get('/staff');
      assert.equal(page.statusCode, 200);
      // The page view is a use: written (the stored value was 10 minutes old), so the idle end is 30 minutes on.
      assert.match(page.body, /<dialog id="sb-session-warning"[^>]*role="alertdialog"/);
      assert.match(page.body, new RegExp(`data-ends-in="${30 * MIN}" data-warn-in="${28 * MIN}" data-final="false"`));
      assert.match(page.body, /<script src="\/assets\/app\/session.js" defer><\/script>/);
      const spanish = await b.get('/staff?lang=es');
      assert.ok(spanish.body.includes(translator('es')('session.staySignedIn')));
      const anonymous = await t.app.inject({ method: 'GET', url: '/' });
      assert.ok(!anonymous.body.includes('sb-session-warning'));
      const script = await t.app.inject({ method: 'GET', url: '/assets/app/session.js' });
      assert.equal(script.statusCode, 200);
      assert.match(String(script.headers['content-type']), /javascript/);
    });

    test('a disabled account ends at once, even within the idle window', async () => {
      const { token, email } = await t.signIn('tier1');
      const b = await browser();
      assert.equal((await session(token)).statusCode, 200);
      await t.deps.staff.disableUser(email, { kind: 'cli' });
      assert.equal((await session(token)).statusCode, 401);
      assert.deepEqual(await t.deps.staff.checkToken(token), { live: false, reason: 'revoked' });
      const other = (await t.deps.database.db.selectFrom('sessions').innerJoin('staff', 'staff.id', 'sessions.staff_id').select('staff.email').where('sessions.id', '=', b.sessionId).executeTakeFirstOrThrow()).email;
      await t.deps.staff.disableUser(other, { kind: 'cli' });
      assert.deepEqual((await b.post('/staff/session/keep-alive', {}, { json: true })).json(), { live: false, reason: 'ended' });
      assert.equal((await b.get('/staff')).statusCode, 302);
    });

    test('pruning deletes sessions past either end and keeps live ones', async () => {
      const idle = await t.signIn('tier1');
      advance(10 * MIN);
      const live = await t.signIn('tier1');
      advance(25 * MIN);
      await t.deps.staff.pruneExpired();
      const ids = new Set((await t.deps.database.db.selectFrom('sessions').select('id').execute()).map((r) => r.id));
      assert.ok(!ids.has(sha256(idle.token)), 'the idle one is gone');
      assert.ok(ids.has(sha256(live.token)), 'the live one stays');
    });
  });
}

for (const kind of databaseKinds()) {
  test(`the session_activity migration backfills last_seen_at with created_at [${kind}]`, async () => {
    const db = await createTestDatabase(kind);
    const handle = openDatabase(loadConfig({ ...db.env, SEED: 'none' }));
    try {
      await db.whileNoSchemaIsDropped(async () => {
        const earlier = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '20261202T0320_session_activity'));
        const migrator = new Migrator({
          db: handle.db, provider: { getMigrations: async () => earlier }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock',
          ...(kind === 'postgres' ? { migrationTableSchema: (await sql<{ s: string }>`select current_schema() as s`.execute(handle.db)).rows[0]!.s } : {}),
        });
        const { error } = await migrator.migrateToLatest();
        assert.equal(error, undefined);
      });
      await sql`insert into staff (id, email, name, role, office, agent_id, password_hash, disabled, created_at, updated_at)
        values ('s1', 'old@agency.test', 'Old', 'tier1', null, '123456', 'x', 0, '2026-12-01T08:00:00.000Z', '2026-12-01T08:00:00.000Z')`.execute(handle.db);
      await sql`insert into sessions (id, staff_id, kind, created_at, expires_at, revoked_at)
        values ('old-session', 's1', 'browser', '2026-12-01T08:00:00.000Z', '2026-12-01T16:00:00.000Z', null)`.execute(handle.db);
      await db.whileNoSchemaIsDropped(() => migrateToLatest(handle));
      const row = await handle.db.selectFrom('sessions').select(['created_at', 'last_seen_at']).where('id', '=', 'old-session').executeTakeFirstOrThrow();
      assert.equal(row.last_seen_at, row.created_at);
    } finally {
      await handle.close();
      await db.drop();
    }
  });
}
