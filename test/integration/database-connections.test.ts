/**
 * A PostgreSQL server that closes an idle connection (a restart, failover, an idle timeout, an administrator's
 * pg_terminate_backend) must not end the serving process: the pool drops the connection and the next query
 * opens another. Before the pool had an 'error' listener, the process died with "Unhandled 'error' event".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';
import { databaseKinds, createTestDatabase } from '../support/databases.ts';

const SCRIPT = `
import { openDatabase } from './src/platform/db/database.ts';
import { sql } from 'kysely';
const h = openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '/tmp' });
await sql\`select 1\`.execute(h.db);
const pid = (await sql\`select pg_backend_pid() as pid\`.execute(h.db)).rows[0].pid;
process.stdout.write('pid ' + pid + '\\n');
process.stdin.once('data', async () => {
  const again = await sql\`select 2 as n\`.execute(h.db);
  process.stdout.write('after ' + again.rows[0].n + '\\n');
  await h.close();
  process.stdin.destroy();
});
`;

if (databaseKinds().includes('postgres')) {
  test('PostgreSQL closing an idle pooled connection does not end the process; the next query works', async () => {
    const db = await createTestDatabase('postgres');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: process.cwd(), env: { ...process.env, DATABASE_URL: db.env.DATABASE_URL }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    try {
      for (let i = 0; i < 300 && !/pid \d+/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      const pid = Number(/pid (\d+)/.exec(out)?.[1]);
      assert.ok(pid > 0, `child did not connect: ${out}${err}`);
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        assert.equal((await admin.query('select pg_terminate_backend($1) as ok', [pid])).rows[0].ok, true);
      } finally {
        await admin.end();
      }
      for (let i = 0; i < 40 && !/idle PostgreSQL connection was closed/.test(err) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(child.exitCode, null, `the process ended: ${err}`);
      assert.match(err, /idle PostgreSQL connection was closed/);
      child.stdin.write('go\n');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, err);
      assert.match(out, /after 2/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.drop();
    }
  });
}
