/** The switchboard command line, run in-process against a real database with captured output. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/platform/db/database.ts';
import { MIGRATIONS } from '../../src/platform/db/migrate.ts';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli } from '../support/cli.ts';

for (const kind of databaseKinds()) {
  describe(`switchboard CLI [${kind}]`, () => {
    let db: TestDatabase;
    before(async () => { db = await createTestDatabase(kind); });
    after(() => db.drop());

    const cli = (args: string[], stdin = '') => runCli(db, args, stdin);

    test('help lists every command', async () => {
      const r = await cli(['help']);
      assert.equal(r.code, 0);
      for (const c of ['serve', 'migrate', 'user add', 'user disable', 'user set-role', 'client add', 'audit verify']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    });

    test('unknown commands and bad options exit 2 with usage', async () => {
      assert.equal((await cli(['frobnicate'])).code, 2);
      const r = await cli(['user', 'add', '--email', 'x@agency.test', '--bogus']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Usage: switchboard user add/);
      assert.equal((await cli(['user', 'add', '--email', 'x@agency.test'])).code, 2, 'missing --name and --role');
      assert.equal((await cli(['client', 'add', '--name', 'x', '--scopes', 'case-status', '--per-day', 'lots'])).code, 2);
    });

    test('migrate applies migrations once, then reports nothing to do', async () => {
      const first = await cli(['migrate']);
      assert.equal(first.code, 0);
      assert.match(first.stdout, new RegExp(`Applied ${Object.keys(MIGRATIONS).length} migration`));
      const again = await cli(['migrate']);
      assert.match(again.stdout, /up to date/);
    });

    test('user add generates a password when standard input is empty and prints one JSON object', async () => {
      const r = await cli(['user', 'add', '--email', 'Gen@Agency.test', '--name', 'Gen Erated', '--role', 'office', '--office', 'NBC']);
      assert.equal(r.code, 0, r.stderr);
      const u = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(u).sort(), ['agentId', 'email', 'id', 'office', 'password', 'role']);
      assert.equal(u.email, 'gen@agency.test');
      assert.equal(u.office, 'NBC');
      assert.ok(u.password.length >= 12);
    });

    test('user add reads the password from standard input and omits it from the output', async () => {
      const r = await cli(['user', 'add', '--email', 'piped@agency.test', '--name', 'Piped', '--role', 'tier1'], 'a long enough secret\n');
      assert.equal(r.code, 0, r.stderr);
      const u = JSON.parse(r.stdout);
      assert.equal(u.password, undefined);
      assert.equal(u.office, null);
      const short = await cli(['user', 'add', '--email', 'short@agency.test', '--name', 'Short', '--role', 'tier1'], 'too short\n');
      assert.equal(short.code, 2);
      assert.match(short.stderr, /at least 12 characters/);
      const badRole = await cli(['user', 'add', '--email', 'r@agency.test', '--name', 'R', '--role', 'janitor']);
      assert.equal(badRole.code, 2);
      const noOffice = await cli(['user', 'add', '--email', 'o@agency.test', '--name', 'O', '--role', 'office']);
      assert.equal(noOffice.code, 2);
      assert.match(noOffice.stderr, /office/);
      const dup = await cli(['user', 'add', '--email', 'piped@agency.test', '--name', 'Again', '--role', 'tier1']);
      assert.equal(dup.code, 1);
      assert.match(dup.stderr, /already exists/);
    });

    test('user set-role and user disable change the account', async () => {
      const set = await cli(['user', 'set-role', 'piped@agency.test', 'office', '--office', 'CSC']);
      assert.equal(set.code, 0, set.stderr);
      assert.equal(JSON.parse(set.stdout).office, 'CSC');
      const dis = await cli(['user', 'disable', 'piped@agency.test']);
      assert.equal(dis.code, 0);
      assert.equal((await cli(['user', 'disable', 'nobody@agency.test'])).code, 1);
      assert.equal((await cli(['user', 'set-role', 'piped@agency.test'])).code, 2);
    });

    test('client add prints the id, the secret once, and the scopes', async () => {
      const r = await cli(['client', 'add', '--name', 'Feed', '--scopes', 'case-feed,reference-data', '--per-second', '0']);
      assert.equal(r.code, 0, r.stderr);
      const c = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(c).sort(), ['client_id', 'client_secret', 'scopes']);
      assert.deepEqual(c.scopes, ['case-feed', 'reference-data']);
      assert.equal((await cli(['client', 'add', '--name', 'Bad', '--scopes', 'root'])).code, 2);
    });

    test('audit verify passes on an intact trail and names the entry after tampering', async () => {
      const ok = await cli(['audit', 'verify']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /intact: \d+ entries/);
      const handle = openDatabase({ databaseUrl: db.env.DATABASE_URL ?? null, dataDir: db.env.DATA_DIR });
      await handle.db.updateTable('audit_log').set({ action: 'nothing-to-see' }).where('seq', '=', 2).execute();
      await handle.close();
      const bad = await cli(['audit', 'verify']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /entry 2: .*altered/);
    });
  });
}
