/** `switchboard serve` as npm start runs it: a real process, the demo accounts, the home page and a sign-in. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { databaseKinds, createTestDatabase } from '../support/databases.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo.ts';

const bin = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));

for (const kind of databaseKinds()) {
  describe(`switchboard serve [${kind}]`, () => {
    test('starts on an empty database, prints the demo sign-ins, serves pages and signs in; stops on SIGTERM', async () => {
      const db = await createTestDatabase(kind);
      const child = spawn(process.execPath, [bin, 'serve'], { env: { ...process.env, ...db.env, PORT: '0', LOG_LEVEL: 'warn', SEED: 'demo' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += String(d); });
      child.stderr.on('data', (d) => { out += String(d); });
      try {
        const deadline = Date.now() + 120_000; // 25,000 demo cases take 20–30 s on a loaded 2-core machine
        while (!/serving (http:\/\/\S+)/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
        const base = /serving (http:\/\/\S+)/.exec(out)?.[1];
        assert.ok(base, `server did not start:\n${out}`);
        for (const s of DEMO_STAFF) assert.ok(out.includes(s.email), `demo account ${s.email} printed`);
        assert.ok(out.includes(DEMO_PASSWORD));

        const home = await fetch(`${base}/`);
        assert.equal(home.status, 200);
        assert.match(await home.text(), /Get help with your immigration case/);
        const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_STAFF[0]!.email, password: DEMO_PASSWORD }) });
        assert.equal(login.status, 200);
        assert.equal((await login.json()).user.role, DEMO_STAFF[0]!.role);

        // The start-up list's "outside normal processing time" line agrees with what the inquiry answers now.
        const outside = /^ {2}(\S+) .*: outside normal processing time \(\d+ days; 80% decided within ([\d.]+) months/m.exec(out);
        assert.ok(outside, `an outside-normal-time receipt is listed:\n${out}`);
        const inquiry = await (await fetch(`${base}/api/v1/case-status/${outside[1]}/inquiry`)).json();
        assert.equal(inquiry.outsideNormalProcessingTime, true);
        assert.equal(String(inquiry.processingTime.months80), outside[2]);

        // The demo office account's queue has work in it: open, claimed and overdue requests; others exist elsewhere.
        const office = DEMO_STAFF.find((s) => s.role === 'office' && s.office === 'VSC')!;
        const token = (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: office.email, password: DEMO_PASSWORD }) })).json()).token;
        const queue = await (await fetch(`${base}/api/v1/offices/VSC/service-requests?pageSize=200`, { headers: { authorization: `Bearer ${token}` } })).json();
        const statuses = new Set(queue.items.map((i: { status: string }) => i.status));
        assert.ok(statuses.has('open') && statuses.has('claimed'), [...statuses].join(','));
        assert.ok(queue.items.some((i: { overdue: boolean }) => i.overdue), 'some overdue');
        // A few status alerts are subscribed: three confirmed, one not; their confirmation messages wait in the outbox.
        assert.match(out, /Demo status alerts: 3 confirmed and 1 not confirmed, on [A-Z]{3}\d{10}/);
        const admin = DEMO_STAFF.find((s) => s.role === 'admin')!;
        const adminToken = (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: DEMO_PASSWORD }) })).json()).token;
        const outbox = await (await fetch(`${base}/api/v1/outbox?pageSize=200`, { headers: { authorization: `Bearer ${adminToken}` } })).json();
        const confirmations = outbox.items.filter((m: { template: string }) => m.template === 'alert-confirm');
        assert.equal(confirmations.length, 4, JSON.stringify(outbox.items.map((m: { template: string }) => m.template)));
        assert.match(out, /Demo service requests: \d+ in \d+ offices \(\d+ claimed, [1-9]\d* answered, [1-9]\d* reopened, [1-9]\d* overdue, [1-9]\d* closed\)/);
      } finally {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
        await db.drop();
      }
      assert.equal(child.exitCode, 0, 'a clean stop');
    });
  });
}
