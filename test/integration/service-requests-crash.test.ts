/**
 * Issue 7, item 9: a service request answered 201 survives `kill -9` of the server at any moment, and a retry
 * with the same Idempotency-Key never creates a second one.
 *
 * A real `switchboard serve` process takes a burst of concurrent creates (one per case, each with its own key)
 * and is killed with SIGKILL in the middle of it, a few rounds at different moments, on the same database. After
 * each restart every acknowledged request (its 201 fully read) exists, and its retry replays the same answer byte
 * for byte; the retry of an unacknowledged one answers 201 at once (it was created, or is created now): the key is
 * stored in the creation's own transaction (ADR 0010), so a killed attempt leaves no key behind and never a 409
 * (conflict or duplicate-service-request). In the end every case holds exactly one request: the one its key answers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_PASSWORD } from '../support/app.ts';
import { runCli } from '../support/cli.ts';
import { caseRecord, ndjson, receiptNumber } from '../support/factories.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';

const CASES = 300;
const ROUNDS = 3;
const PER_ROUND = Math.floor(CASES / ROUNDS);
const IN_FLIGHT = 12;

interface Attempt {
  round: number;
  receiptNumber: string;
  key: string;
  body: string;
  /** 'acknowledged': the 201 was read in full; 'unknown': the connection broke (or was refused) first. */
  outcome: 'acknowledged' | 'unknown';
  /** The 201's exact body text, once known (the first answer, or a retry's). */
  answer?: string;
}

interface Sent {
  status: number;
  text: string;
  replayed: boolean;
}

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signIn(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
  assert.equal(res.status, 200, `sign-in of ${email}: ${await res.clone().text()}`);
  return (await res.json() as { token: string }).token;
}

async function create(base: string, token: string, a: Attempt): Promise<Sent> {
  const res = await fetch(`${base}/api/v1/service-requests`, {
    method: 'POST', headers: { ...json, ...bearer(token), 'idempotency-key': a.key }, body: a.body, signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true' };
}

const codeOf = (text: string): string | undefined => { try { return (JSON.parse(text) as { code?: string }).code; } catch { return undefined; } };

/** The accounts and the feed client, made with the CLI before the first start (it migrates the new database). */
async function setUp(db: TestDatabase): Promise<{ tier1: string; tier2: string; office: string; clientId: string; clientSecret: string }> {
  const emails = { tier1: 'agent.one@agency.test', tier2: 'agent.two@agency.test', office: 'vsc.worker@agency.test' };
  return db.whileNoSchemaIsDropped(async () => {
    for (const [role, email] of Object.entries(emails)) {
      const args = ['user', 'add', '--email', email, '--name', `Test ${role}`, '--role', role, ...(role === 'office' ? ['--office', 'VSC'] : [])];
      const r = await runCli(db, args, `${TEST_PASSWORD}\n`);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
    const c = await runCli(db, ['client', 'add', '--name', 'case system', '--scopes', 'case-feed', '--per-second', '0', '--per-day', '0']);
    assert.equal(c.code, 0, c.stdout + c.stderr);
    const client = JSON.parse(c.stdout) as { client_id: string; client_secret: string };
    return { ...emails, clientId: client.client_id, clientSecret: client.client_secret };
  });
}

async function loadCases(base: string, clientId: string, clientSecret: string, receipts: string[]): Promise<void> {
  const tok = await fetch(`${base}/oauth/accesstoken`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${encodeURIComponent(clientId)}&client_secret=${encodeURIComponent(clientSecret)}`,
  });
  assert.equal(tok.status, 200, await tok.clone().text());
  const accessToken = (await tok.json() as { access_token: string }).access_token;
  const feed = await fetch(`${base}/api/v1/case-feed`, {
    method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...bearer(accessToken) }, body: ndjson(receipts.map((rn) => caseRecord({ receiptNumber: rn }))),
  });
  assert.equal(feed.status, 200);
  assert.deepEqual(await feed.json(), { accepted: receipts.length, rejected: [] });
}

/**
 * One burst: IN_FLIGHT creates at a time over the round's cases; once `killAfter` 201s have been read (and a
 * further `jitterMs`), the server is killed. Returns every attempt that was started, with what its client saw.
 */
async function burst(server: ServerProcess, token: string, round: number, receipts: string[], killAfter: number, jitterMs: number): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  const unexpected: string[] = [];
  let acknowledged = 0;
  let killing: Promise<void> | undefined;
  let next = 0;
  const worker = async () => {
    while (!killing && next < receipts.length) {
      const rn = receipts[next++]!;
      const a: Attempt = {
        round, receiptNumber: rn, key: randomUUID(), outcome: 'unknown',
        body: JSON.stringify({ receiptNumber: rn, type: 'other', details: `Round ${round}: the person asks about case ${rn}.` }),
      };
      attempts.push(a);
      try {
        const sent = await create(server.base, token, a);
        if (sent.status !== 201) { unexpected.push(`${rn}: ${sent.status} ${sent.text}`); continue; }
        a.outcome = 'acknowledged';
        a.answer = sent.text;
        if (++acknowledged === killAfter) {
          killing = new Promise((r) => setTimeout(r, jitterMs)).then(() => server.kill());
        }
      } catch {
        // The connection broke (or, after the kill, was refused): the client does not know what happened.
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  assert.ok(killing, `the burst ended before ${killAfter} requests were acknowledged`);
  await killing;
  assert.deepEqual(unexpected, [], 'before the kill, every create answers 201');
  assert.equal(server.child.signalCode, 'SIGKILL');
  return attempts;
}

for (const kind of databaseKinds()) {
  describe(`service requests survive kill -9 of the server [${kind}]`, () => {
    test(`${ROUNDS} bursts of creates, each cut by SIGKILL: nothing acknowledged is lost, no key creates twice, one request per case`, { timeout: 600_000 }, async (t) => {
      const started = Date.now();
      const db = await createTestDatabase(kind);
      let server: ServerProcess | undefined;
      try {
        const who = await setUp(db);
        server = await startServer(db);
        const receipts = Array.from({ length: CASES }, () => receiptNumber('IOE'));
        await loadCases(server.base, who.clientId, who.clientSecret, receipts);

        const all: Attempt[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          // Early, in the middle, late: after the 1st, a random 10th–30th, a random 40th–70th acknowledged create.
          const killAfter = [1, 10 + Math.floor(Math.random() * 21), 40 + Math.floor(Math.random() * 31)][round]!;
          const jitterMs = Math.floor(Math.random() * 4);
          const tier1 = await signIn(server.base, who.tier1);
          const attempts = await burst(server, tier1, round, receipts.slice(round * PER_ROUND, (round + 1) * PER_ROUND), killAfter, jitterMs);
          all.push(...attempts);
          const acked = attempts.filter((a) => a.outcome === 'acknowledged');
          const unknown = attempts.filter((a) => a.outcome === 'unknown');
          t.diagnostic(`${Math.round((Date.now() - started) / 1000)} s, round ${round}: killed ${jitterMs} ms after 201 no. ${killAfter}; ${attempts.length} sent, ${acked.length} acknowledged, ${unknown.length} unknown`);
          assert.ok(acked.length >= killAfter);

          server = await startServer(db);
          // Every acknowledged request is there, as its 201 said.
          const tier2 = await signIn(server.base, who.tier2);
          for (const a of acked) {
            const created = JSON.parse(a.answer!) as { referralNumber: string; type: string; office: string; dueDate: string; createdAt: string };
            const res: Response = await fetch(`${server.base}/api/v1/service-requests/${created.referralNumber}`, { headers: bearer(tier2) });
            assert.equal(res.status, 200, `acknowledged ${created.referralNumber} (case ${a.receiptNumber}) after the restart`);
            const got = await res.json() as { referralNumber: string; receiptNumber: string; type: string; status: string; office: string; dueDate: string; createdAt: string };
            assert.deepEqual(
              { referralNumber: got.referralNumber, receiptNumber: got.receiptNumber, type: got.type, status: got.status, office: got.office, dueDate: got.dueDate, createdAt: got.createdAt },
              { referralNumber: created.referralNumber, receiptNumber: a.receiptNumber, type: 'other', status: 'open', office: created.office, dueDate: created.dueDate, createdAt: created.createdAt },
            );
          }
          // Retry every request of the burst at once, as a client would.
          const again = await signIn(server.base, who.tier1);
          let replayedUnknown = 0;
          let createdNow = 0;
          for (const a of attempts) {
            const sent = await create(server.base, again, a);
            if (a.outcome === 'acknowledged') {
              assert.deepEqual(sent, { status: 201, text: a.answer, replayed: true }, `the retry of acknowledged ${a.receiptNumber} replays its answer`);
            } else {
              // A killed attempt leaves no key behind (it is stored in the creation's transaction): 201 at once.
              assert.equal(sent.status, 201, `the retry of unacknowledged ${a.receiptNumber}: ${sent.status} ${codeOf(sent.text)} ${sent.text}`);
              a.answer = sent.text;
              if (sent.replayed) replayedUnknown++; else createdNow++;
            }
          }
          t.diagnostic(`${Math.round((Date.now() - started) / 1000)} s, round ${round} retries of unknown ones: ${replayedUnknown} replayed (created before the kill), ${createdNow} created now`);
        }

        const tier1 = await signIn(server.base, who.tier1);
        assert.deepEqual(all.filter((a) => !a.answer).map((a) => a.receiptNumber), [], 'every request of every burst has its answer');
        // Now every key answers its one answer, replayed byte for byte.
        for (const a of all) {
          assert.deepEqual(await create(server.base, tier1, a), { status: 201, text: a.answer, replayed: true }, `the last retry of ${a.receiptNumber}`);
        }

        // The office's queue: exactly one request per case that was tried, the one its key answers; none for the rest.
        const office = await signIn(server.base, who.office);
        const queue = new Map<string, string[]>();
        let total = -1;
        for (let page = 1; ; page++) {
          const res: Response = await fetch(`${server.base}/api/v1/offices/VSC/service-requests?pageSize=200&page=${page}`, { headers: bearer(office) });
          assert.equal(res.status, 200);
          const list = await res.json() as { items: Array<{ referralNumber: string; receiptNumber: string; type: string }>; total: number };
          total = list.total;
          for (const item of list.items) queue.set(item.receiptNumber, [...queue.get(item.receiptNumber) ?? [], item.referralNumber]);
          if (list.items.length < 200) break;
        }
        const expected = new Map(all.map((a) => [a.receiptNumber, [(JSON.parse(a.answer!) as { referralNumber: string }).referralNumber]]));
        assert.equal(total, all.length, 'one request per case tried');
        assert.deepEqual(new Map([...queue].sort()), new Map([...expected].sort()));

        const stopped = await server.stop();
        assert.equal(stopped, 0, server.output());
        const verify = await runCli(db, ['audit', 'verify']);
        assert.equal(verify.code, 0, verify.stdout + verify.stderr);
        t.diagnostic(`${all.length} requests over ${ROUNDS} kills in ${Math.round((Date.now() - started) / 1000)} s`);
      } catch (err) {
        // A server that died by itself says why in its output.
        if (server && server.child.signalCode !== 'SIGKILL') t.diagnostic(`server output (exit ${server.child.exitCode ?? server.child.signalCode ?? 'running'}):\n${server.output()}`);
        throw err;
      } finally {
        await server?.kill();
        await db.drop();
      }
    });
  });
}
