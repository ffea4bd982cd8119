/**
 * Staff skills on the command line, in-process against a real database (SQLite and PostgreSQL): `user add
 * --skills` and `user set-skills EMAIL SKILLS`, what they store, the audit entry, and the refusals (exit 2 for a
 * bad skill or bad arguments, 1 for an unknown account). The stored skills decide who takes a live transfer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/platform/db/database.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli } from '../support/cli.ts';
import { testEnv } from '../support/app.ts';

for (const kind of databaseKinds()) {
  describe(`switchboard user skills [${kind}]`, () => {
    let db: TestDatabase;
    let handle: DatabaseHandle;
    before(async () => {
      db = await createTestDatabase(kind);
      assert.equal((await runCli(db, ['migrate'])).code, 0);
      handle = openDatabase(loadConfig(testEnv(db)));
    });
    after(async () => {
      await handle.close();
      await db.drop();
    });

    const cli = (args: string[], stdin = '') => runCli(db, args, stdin);
    const stored = async (email: string) => JSON.parse((await handle.db.selectFrom('staff').select('skills').where('email', '=', email).executeTakeFirstOrThrow()).skills) as string[];

    test('help lists set-skills and the --skills option', async () => {
      assert.match((await cli(['help'])).stdout, /\buser set-skills\b/);
      const r = await cli(['user', 'add', '--email', 'z@agency.test', '--name', 'Z', '--role', 'tier2', '--skills']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Usage: switchboard user add .*\[--skills en,es,military\]/);
    });

    test('user add --skills stores them in one order without repeats; without it, English; the output keeps its contract keys', async () => {
      const r = await cli(['user', 'add', '--email', 'rosa@agency.test', '--name', 'Rosa Díaz', '--role', 'tier2', '--skills', 'military, ES,en,es']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(Object.keys(JSON.parse(r.stdout)).sort(), ['agentId', 'email', 'id', 'office', 'password', 'role']);
      assert.deepEqual(await stored('rosa@agency.test'), ['en', 'es', 'military']);
      assert.equal((await cli(['user', 'add', '--email', 'omar@agency.test', '--name', 'Omar Haddad', '--role', 'tier2'])).code, 0);
      assert.deepEqual(await stored('omar@agency.test'), ['en']);
    });

    test('user add refuses an unknown skill (exit 2) and creates nothing', async () => {
      const r = await cli(['user', 'add', '--email', 'x@agency.test', '--name', 'X', '--role', 'tier2', '--skills', 'en,fr']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /skills: /);
      assert.equal(await handle.db.selectFrom('staff').select('id').where('email', '=', 'x@agency.test').executeTakeFirst(), undefined);
      assert.equal((await cli(['user', 'add', '--email', 'y@agency.test', '--name', 'Y', '--role', 'tier2', '--skills', ' , '])).code, 2);
    });

    test('user set-skills changes them, prints one JSON object, and writes an audit entry', async () => {
      const r = await cli(['user', 'set-skills', 'Omar@Agency.test', 'es,en']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(out).sort(), ['agentId', 'email', 'id', 'role', 'skills']);
      assert.deepEqual(out.skills, ['en', 'es']);
      assert.equal(out.email, 'omar@agency.test');
      assert.deepEqual(await stored('omar@agency.test'), ['en', 'es']);
      const audit = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff-set-skills').where('subject', '=', `staff:${out.id}`).execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor, 'cli');
      assert.match(String(audit[0]!.detail), /"to":"en,es"/);
      assert.equal((await cli(['audit', 'verify'])).code, 0, 'the trail still verifies');
    });

    test('user set-skills refuses: an unknown skill, no language, bad arguments (exit 2); an unknown account (exit 1); nothing changes', async () => {
      for (const skills of ['en,klingon', 'military']) {
        const r = await cli(['user', 'set-skills', 'omar@agency.test', skills]);
        assert.equal(r.code, 2, skills);
        assert.match(r.stderr, /skills: /);
      }
      for (const args of [['user', 'set-skills', 'omar@agency.test'], ['user', 'set-skills'], ['user', 'set-skills', 'omar@agency.test', 'en', 'es']]) {
        const r = await cli(args);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.stderr, /Usage: switchboard user set-skills/);
      }
      const missing = await cli(['user', 'set-skills', 'nobody@agency.test', 'en']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /No account has this e-mail address/);
      assert.deepEqual(await stored('omar@agency.test'), ['en', 'es']);
    });
  });
}
