/**
 * Issue 7, item 9: exactly one claimant wins (CONTRACT.md section 10). Ten workers of the holding office claim
 * one request at the same moment, spread over several instances serving one PostgreSQL database (each with its own
 * connection pool), or one instance on SQLite: one 200 `claimed`, nine 409 conflict, and the winner claiming again
 * gets 200. Twenty requests, each raced.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, problem, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord, ndjson, receiptNumber } from '../support/factories.ts';

const REQUESTS = 20;
const CLAIMANTS = 10;

for (const kind of databaseKinds()) {
  const instanceCount = kind === 'postgres' ? 3 : 1;
  describe(`service-request claims race [${kind}, ${instanceCount} instance${instanceCount > 1 ? 's' : ''}]`, () => {
    let first: TestApp;
    const instances: TestApp[] = [];
    let tier1: string;
    let workers: Array<{ token: string; id: string }>;
    let referrals: string[];

    before(async () => {
      first = await startTestApp(kind);
      instances.push(first);
      for (let i = 1; i < instanceCount; i++) instances.push(await startTestApp(kind, { sharing: first }));
      const feed = await first.clientToken(['case-feed']);
      const receipts = Array.from({ length: REQUESTS }, () => receiptNumber('WAC'));
      const loaded = await first.app.inject({ method: 'POST', url: '/api/v1/case-feed', payload: ndjson(receipts.map((rn) => caseRecord({ receiptNumber: rn }))), headers: { 'content-type': 'application/x-ndjson', ...bearer(feed) } });
      assert.deepEqual(loaded.json(), { accepted: REQUESTS, rejected: [] });
      tier1 = (await first.signIn('tier1')).token;
      workers = [];
      for (let i = 0; i < CLAIMANTS; i++) workers.push(await first.signIn('office', { office: 'VSC' }));
      referrals = [];
      for (const [i, rn] of receipts.entries()) {
        // Created on the instances in turn: any instance's request is any other's to claim.
        const res = await instances[i % instanceCount]!.app.inject({ method: 'POST', url: '/api/v1/service-requests', headers: bearer(tier1), payload: { receiptNumber: rn, type: 'other', details: 'The person asks when the interview letter will come.' } });
        assert.equal(res.statusCode, 201, res.body);
        referrals.push(res.json().referralNumber);
      }
    });
    after(async () => {
      for (const app of instances.slice(1)) await app.close();
      await first.close();
    });

    test(`${CLAIMANTS} workers claim each of ${REQUESTS} requests at once: exactly one wins, the rest get 409; the winner's repeat gets 200`, async (t) => {
      const winners = new Map<string, string>();
      for (const [r, referral] of referrals.entries()) {
        // Claimant i goes through instance (i + r) mod n, so each request is raced across every instance.
        const claim = (i: number) => instances[(i + r) % instanceCount]!.app.inject({ method: 'POST', url: `/api/v1/service-requests/${referral}/claim`, headers: bearer(workers[i]!.token) });
        // Sent in a fresh random order each time, all before any answer.
        const order = workers.map((_, i) => i).sort(() => Math.random() - 0.5);
        const sent = new Map(order.map((i) => [i, claim(i)]));
        const answers = await Promise.all(workers.map((_, i) => sent.get(i)!));
        const won = answers.flatMap((res, i) => (res.statusCode === 200 ? [i] : []));
        assert.equal(won.length, 1, `${referral}: ${answers.map((a) => a.statusCode).join(' ')}`);
        const w = won[0]!;
        const body = answers[w]!.json();
        assert.equal(body.status, 'claimed');
        assert.equal(body.claimedBy.id, workers[w]!.id);
        for (const [i, res] of answers.entries()) {
          if (i === w) continue;
          assert.equal(res.statusCode, 409, res.body);
          assert.equal(problem(res).code, 'conflict');
        }
        winners.set(referral, workers[w]!.id);

        // The winner again (on another instance): 200, unchanged; a loser again: still 409.
        const repeat = await instances[(w + r + 1) % instanceCount]!.app.inject({ method: 'POST', url: `/api/v1/service-requests/${referral}/claim`, headers: bearer(workers[w]!.token) });
        assert.equal(repeat.statusCode, 200, repeat.body);
        assert.deepEqual({ status: repeat.json().status, claimedBy: repeat.json().claimedBy.id, claimedAt: repeat.json().claimedAt }, { status: 'claimed', claimedBy: workers[w]!.id, claimedAt: body.claimedAt });
        const loser = (w + 1) % CLAIMANTS;
        assert.equal((await claim(loser)).statusCode, 409);

        // One claim in the history, by the winner.
        const got = await first.app.inject({ method: 'GET', url: `/api/v1/service-requests/${referral}`, headers: bearer(workers[w]!.token) });
        const claims = (got.json().history as Array<{ action: string; by: { id: string } | null }>).filter((h) => h.action === 'claimed');
        assert.deepEqual(claims.map((h) => h.by?.id), [workers[w]!.id]);
      }
      t.diagnostic(`${new Set(winners.values()).size} different workers won the ${REQUESTS} races`);
      // The database agrees: each request is claimed by its winner, one audit entry each.
      const rows = await first.deps.database.db.selectFrom('service_requests').select(['referral_number', 'status', 'claimed_by']).execute();
      assert.deepEqual(new Map(rows.map((r) => [r.referral_number, `${r.status} ${r.claimed_by}`])), new Map(referrals.map((ref) => [ref, `claimed ${winners.get(ref)}`])));
      const audits = await first.deps.database.db.selectFrom('audit_log').select('subject').where('action', '=', 'service-request-claim').execute();
      assert.deepEqual(audits.map((a) => a.subject).sort(), referrals.map((ref) => `service-request:${ref}`).sort());
    });
  });
}
