/**
 * /admin/staff and /admin/clients through inject with a real session and CSRF forms (PageBrowser), on SQLite and
 * PostgreSQL: each task through the page gives what the matching command or API gives (the same rows as
 * `switchboard user …`, the one-time password signs in through POST /api/v1/auth/login, the client's secret gets a
 * token from POST /oauth/accesstoken), each change audited with the admin as actor, 403 for other roles on every
 * page and form, and a form without its CSRF token refused with nothing changed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { PageBrowser } from '../support/page-browser.ts';
import { databaseKinds } from '../support/databases.ts';
import { runCli } from '../support/cli.ts';
import { receiptNumber } from '../support/factories.ts';
import { TOKEN_CACHE_MS } from '../../src/case-status/service.ts';

for (const kind of databaseKinds()) {
  describe(`admin pages: staff accounts and API clients [${kind}]`, () => {
    let t: TestApp;
    let b: PageBrowser;
    let adminId: string;
    before(async () => {
      t = await startTestApp(kind);
      const a = await t.signIn('admin');
      adminId = a.id;
      b = await new PageBrowser(t).signIn(a.email);
    });
    after(async () => t?.close());

    const row = (email: string) => t.deps.database.db.selectFrom('staff').select(['role', 'office', 'skills', 'disabled', 'name']).where('email', '=', email).executeTakeFirstOrThrow();
    const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    const audited = async (action: string, subject: string) =>
      (await t.deps.database.db.selectFrom('audit_log').select(['actor']).where('action', '=', action).where('subject', '=', subject).execute()).map((r) => r.actor);

    test('the pages open in English and Spanish; the list searches by words, role, office and status', async () => {
      for (const lang of ['en', 'es']) {
        for (const url of ['/admin/staff', '/admin/staff/new', '/admin/clients', '/admin/clients/new']) {
          const res = await b.get(`${url}?lang=${lang}`);
          assert.equal(res.statusCode, 200, `${url} ${lang}: ${res.body.slice(0, 300)}`);
          assert.match(res.body, new RegExp(`<html lang="${lang}"`));
        }
      }
      await b.get('/admin/staff?lang=en'); // the language is remembered: English from here on
      await t.deps.staff.addUser({ email: 'ana.office@agency.test', name: 'Ana Oficina', role: 'office', office: 'VSC', password: 'a long enough password' }, { kind: 'cli' });
      await t.deps.staff.addUser({ email: 'bo_under@agency.test', name: 'Bo Tier', role: 'tier2', password: 'a long enough password' }, { kind: 'cli' });
      const ids = async (query: string) => [...(await b.get(`/admin/staff?${query}`)).body.matchAll(/data-staff-id="([^"]+)"/g)].map((m) => m[1]);
      const ana = (await t.deps.staff.list({ words: 'ana.office' }, 1, 10)).items[0]!.id;
      assert.deepEqual(await ids('q=OFICINA'), [ana]);
      assert.deepEqual(await ids('role=office&office=VSC'), [ana]);
      assert.deepEqual(await ids('q=%25'), []); // a LIKE wildcard is taken literally
      assert.equal((await ids('q=bo_')).length, 1);
      assert.equal((await ids('status=disabled')).length, 0);
      assert.equal((await ids('')).length, 3);
    });

    test('a staff account created through the page is the one the CLI makes; its one-time password signs in once shown', async () => {
      const bad = await b.post('/admin/staff', { name: '', email: 'not-an-address', role: 'office', office: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="error-summary"/);
      for (const href of ['#name', '#email', '#office']) assert.ok(bad.body.includes(`href="${href}"`), href);

      const made = await b.post('/admin/staff', { name: 'Paz Page', email: 'Paz.Page@agency.test', role: 'office', office: 'VSC', skills: 'es' });
      assert.equal(made.statusCode, 201, made.body.slice(0, 800));
      assert.equal(made.headers['cache-control'], 'no-store');
      const password = /data-testid="one-time-password">([^<]+)</.exec(made.body)![1]!;
      assert.ok(password.length >= 12);
      assert.equal((await login('paz.page@agency.test', password)).statusCode, 200);
      assert.ok(!(await b.get(`/admin/staff/${/\/admin\/staff\/([0-9a-f-]{36})/.exec(made.body)![1]}`)).body.includes(password), 'shown once');

      const cli = await runCli(t.db, ['user', 'add', '--email', 'paz.cli@agency.test', '--name', 'Paz Page', '--role', 'office', '--office', 'VSC', '--skills', 'es'], '');
      assert.equal(cli.code, 0, cli.stderr);
      const [page, viaCli] = [await row('paz.page@agency.test'), await row('paz.cli@agency.test')];
      assert.deepEqual(page, viaCli);
      const id = (await t.deps.staff.list({ words: 'paz.page' }, 1, 10)).items[0]!.id;
      assert.deepEqual(await audited('staff-add', `staff:${id}`), [`staff:${adminId}`]);

      const again = await b.post('/admin/staff', { name: 'Paz Again', email: 'paz.page@agency.test', role: 'tier1' });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /href="#email"/);
    });

    test('role and office, skills, end sessions, disable and enable: the same as the CLI, audited, and in force at once', async () => {
      const u = await t.signIn('tier1', { email: 'rae.tier1@agency.test' });
      const path = `/admin/staff/${u.id}`;
      const bad = await b.post(`${path}/role`, { role: 'office', office: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#office"/);
      assert.match((await b.send(`${path}/role`, { role: 'office', office: 'VSC' })).body, /data-testid="account-status"/);
      const cli = await runCli(t.db, ['user', 'add', '--email', 'rae.cli@agency.test', '--name', 'Test tier1', '--role', 'tier1'], 'correct horse battery');
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal((await runCli(t.db, ['user', 'set-role', 'rae.cli@agency.test', 'office', '--office', 'VSC'])).code, 0);
      assert.equal((await b.post(`${path}/skills`, { skills: 'military' })).statusCode, 400); // no language
      const two = await t.app.inject({
        method: 'POST', url: `${path}/skills`, payload: new URLSearchParams([['_csrf', b.csrf], ['skills', 'es'], ['skills', 'military']]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: Object.entries(b.jar).map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(two.statusCode, 303, two.body.slice(0, 500));
      assert.equal((await runCli(t.db, ['user', 'set-skills', 'rae.cli@agency.test', 'es,military'])).code, 0);
      const [page, viaCli] = [await row('rae.tier1@agency.test'), await row('rae.cli@agency.test')];
      assert.deepEqual({ ...page, name: '' }, { ...viaCli, name: '' });
      // The role is re-read on the next request: the token's session now says office.
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(u.token) })).json().user.role, 'office');

      const ended = await b.send(`${path}/end-sessions`, {});
      assert.match(ended.body, /data-testid="open-sessions">0 in a browser, 0 API tokens/);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(u.token) })).statusCode, 401);

      const token2 = (await login(u.email, 'correct horse battery')).json().token as string;
      await b.send(`${path}/disable`, {});
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(token2) })).statusCode, 401);
      assert.equal((await login(u.email, 'correct horse battery')).statusCode, 401);
      assert.equal((await row(u.email)).disabled, 1);
      assert.deepEqual(await t.deps.staff.list({ disabled: true }, 1, 10).then((r) => r.items.map((i) => i.id)), [u.id]);
      await b.send(`${path}/enable`, {});
      assert.equal((await login(u.email, 'correct horse battery')).statusCode, 200);

      for (const action of ['staff-set-role', 'staff-set-skills', 'staff-end-sessions', 'staff-disable', 'staff-enable']) {
        assert.deepEqual(await audited(action, `staff:${u.id}`), [`staff:${adminId}`], action);
      }
      // An admin does not disable their own account.
      assert.equal((await b.post(`/admin/staff/${adminId}/disable`, {})).statusCode, 403);
      assert.equal((await b.get(`/admin/staff/no-such-account`)).statusCode, 404);
    });

    test('an API client created through the page gets tokens; revoked, its remembered token stops within TOKEN_CACHE_MS', async () => {
      const bad = await b.post('/admin/clients', { name: ' ', perSecond: 'many', perDay: '10' });
      assert.equal(bad.statusCode, 400);
      for (const href of ['#name', '#scopes-case-status', '#perSecond']) assert.ok(bad.body.includes(`href="${href}"`), href);

      const made = await b.post('/admin/clients', { name: 'Lookup kiosk', scopes: 'case-status', perSecond: '0', perDay: '0' });
      assert.equal(made.statusCode, 201, made.body.slice(0, 800));
      assert.equal(made.headers['cache-control'], 'no-store');
      const id = /data-testid="client-id">([^<]+)</.exec(made.body)![1]!;
      const secret = /data-testid="client-secret">([^<]+)</.exec(made.body)![1]!;
      const token = async () => t.app.inject({ method: 'POST', url: '/oauth/accesstoken', payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      const issued = await token();
      assert.equal(issued.statusCode, 200);
      assert.equal(issued.json().scope, 'case-status');
      const access = issued.json().access_token as string;
      const stored = await t.deps.database.db.selectFrom('api_clients').select(['name', 'scopes', 'per_second', 'per_day', 'disabled']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...stored, per_second: Number(stored.per_second), per_day: Number(stored.per_day) }, { name: 'Lookup kiosk', scopes: 'case-status', per_second: 0, per_day: 0, disabled: 0 });
      const list = await b.get('/admin/clients');
      assert.ok(list.body.includes(`data-client-id="${id}"`));
      assert.ok(!list.body.includes(secret), 'the secret is shown once');

      const rn = receiptNumber('IOE');
      const lookup = () => t.app.inject({ method: 'GET', url: `/case-status/${rn}`, headers: bearer(access) });
      assert.notEqual((await lookup()).statusCode, 401); // remembered by the Case Status API from here on
      const revoked = await b.send(`/admin/clients/${id}/revoke`, {});
      const revokedAt = Date.now();
      assert.match(revoked.body, /data-client-id="[^"]+"[\s\S]*?(Revoked|Revocado)/);
      assert.equal((await token()).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(access) })).statusCode, 401);
      let status = 200;
      while (status !== 401 && Date.now() - revokedAt < TOKEN_CACHE_MS + 3_000) {
        status = (await lookup()).statusCode;
        if (status !== 401) await sleep(100);
      }
      assert.equal(status, 401);
      assert.ok(Date.now() - revokedAt <= TOKEN_CACHE_MS + 500, `refused after ${Date.now() - revokedAt} ms`);
      assert.deepEqual(await audited('client-add', `client:${id}`), [`staff:${adminId}`]);
      assert.deepEqual(await audited('client-revoke', `client:${id}`), [`staff:${adminId}`]);
    });

    test('403 for every other role on every page and form; a form without its CSRF token is refused and changes nothing', async () => {
      const target = await t.signIn('tier2', { email: 'target.tier2@agency.test' });
      const c = await t.deps.clients.addClient({ name: 'kept', scopes: ['case-status'] }, { kind: 'cli' });
      const gets = ['/admin/staff', '/admin/staff/new', `/admin/staff/${target.id}`, '/admin/clients', '/admin/clients/new'];
      const posts: Array<[string, Record<string, string>]> = [
        ['/admin/staff', { name: 'X', email: 'x@agency.test', role: 'admin' }],
        [`/admin/staff/${target.id}/role`, { role: 'admin' }], [`/admin/staff/${target.id}/skills`, { skills: 'es' }],
        [`/admin/staff/${target.id}/end-sessions`, {}], [`/admin/staff/${target.id}/disable`, {}], [`/admin/staff/${target.id}/enable`, {}],
        ['/admin/clients', { name: 'X', scopes: 'case-feed' }], [`/admin/clients/${c.client_id}/revoke`, {}],
      ];
      for (const role of ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman'] as const) {
        const other = await new PageBrowser(t).signIn((await t.signIn(role)).email);
        await other.get('/staff');
        for (const url of gets) assert.equal((await other.get(url)).statusCode, 403, `${role} GET ${url}`);
        for (const [url, form] of posts) assert.equal((await other.post(url, form)).statusCode, 403, `${role} POST ${url}`);
      }
      for (const [url, form] of posts) assert.equal((await b.post(url, form, null)).statusCode, 403, `no CSRF token: POST ${url}`);
      assert.equal((await row('target.tier2@agency.test')).role, 'tier2');
      assert.equal((await row('target.tier2@agency.test')).disabled, 0);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(target.token) })).statusCode, 200);
      assert.equal(await t.deps.database.db.selectFrom('staff').select('id').where('email', '=', 'x@agency.test').executeTakeFirst(), undefined);
      assert.equal((await t.deps.database.db.selectFrom('api_clients').select('disabled').where('id', '=', c.client_id).executeTakeFirstOrThrow()).disabled, 0);
      // Signed out: to the sign-in page and back.
      const anon = await t.app.inject({ method: 'GET', url: '/admin/staff' });
      assert.equal(anon.statusCode, 302);
      assert.equal(anon.headers.location, '/sign-in?next=%2Fadmin%2Fstaff');
    });
  });
}
