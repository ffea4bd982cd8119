/**
 * Issue 6, finding 1: several processes may serve one PostgreSQL database (CONTRACT.md section 1), and an
 * orchestrator starts them together. Two `switchboard serve` processes on one empty database must both come
 * up, and the demo must be loaded once. (SQLite is served by one process, so this runs on PostgreSQL only.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { databaseKinds, createTestDatabase } from '../support/databases.ts';
import { DEMO_CASES, DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo.ts';
import { runCli } from '../support/cli.ts';

const bin = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));

/** Starts `switchboard serve`; resolves with its address once it serves, or rejects with its output if it exits first. */
function serve(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, [bin, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not serving after 120 s:\n${out}`)), 120_000);
    const check = () => {
      const base = /serving (http:\/\/\S+)/.exec(out)?.[1];
      if (base) { clearTimeout(timer); resolve(base); }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before serving:\n${out}`)); });
  });
  return { child, ready, output: () => out };
}

for (const kind of databaseKinds().filter((k) => k === 'postgres')) {
  describe(`two instances starting together [${kind}]`, () => {
    test('both come up on one empty database; the demo staff and cases exist once; the audit trail verifies', async () => {
      const db = await createTestDatabase(kind);
      const env = { ...process.env, ...db.env, PORT: '0', LOG_LEVEL: 'warn', SEED: 'demo' };
      const instances = [serve(env), serve(env)];
      try {
        const bases = await Promise.all(instances.map((i) => i.ready));
        // Exactly one of them loaded (and announced) the demo.
        const announced = instances.filter((i) => i.output().includes(DEMO_PASSWORD));
        assert.equal(announced.length, 1, instances.map((i) => i.output()).join('\n----\n'));

        const client = new pg.Client({ connectionString: db.env.DATABASE_URL });
        await client.connect();
        try {
          const staff = await client.query<{ email: string }>('select email from staff order by email');
          assert.deepEqual(staff.rows.map((r) => r.email), DEMO_STAFF.map((s) => s.email).sort());
          const cases = await client.query<{ n: string }>('select count(*) as n from cases');
          assert.equal(Number(cases.rows[0]!.n), DEMO_CASES);
        } finally {
          await client.end();
        }
        // Both serve, and a demo account signs in on each.
        for (const base of bases) {
          const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_STAFF[0]!.email, password: DEMO_PASSWORD }) });
          assert.equal(login.status, 200, base);
        }
        const verify = await runCli(db, ['audit', 'verify']);
        assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      } finally {
        for (const { child } of instances) {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            await once(child, 'exit');
          }
        }
        await db.drop();
      }
    });
  });
}
