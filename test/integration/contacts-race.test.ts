/**
 * The contact desk under races, on several instances serving one PostgreSQL database (each with its own pool), or
 * one instance on SQLite: a burst of wrong verifications of one receipt number from many calls never gets past the
 * third failure; one free Tier 2 officer takes exactly one of many simultaneous escalations; and simultaneous
 * call-back attempts never record more than the two failures that close a callback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { bearer, startTestApp, type TestApp } from '../support/app.ts';
import { caseRecord } from '../support/factories.ts';

const ROUNDS = 5;

for (const kind of databaseKinds()) {
  const instanceCount = kind === 'postgres' ? 3 : 1;
  describe(`contact desk races [${kind}, ${instanceCount} instance${instanceCount > 1 ? 's' : ''}]`, () => {
    let first: TestApp;
    const instances: TestApp[] = [];
    let agents: Array<{ token: string }>;
    let officers: Array<{ token: string; agentId: string }>;

    before(async () => {
      first = await startTestApp(kind);
      instances.push(first);
      for (let i = 1; i < instanceCount; i++) instances.push(await startTestApp(kind, { sharing: first }));
      agents = [];
      for (let i = 0; i < 8; i++) agents.push(await first.signIn('tier1'));
      officers = [];
      for (let i = 0; i < 4; i++) officers.push(await first.signIn('tier2', { skills: ['en'] }));
    });
    after(async () => {
      for (const app of instances.slice(1)) await app.close();
      await first.close();
    });

    const via = (i: number) => instances[i % instanceCount]!;
    const openCall = async (i: number) => {
      const res = await via(i).app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(agents[i]!.token), payload: { channel: 'phone', callerPhone: '2025550143', language: 'en' } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };

    test('eight wrong verifications of one receipt number at once, from eight calls on every instance: exactly three are counted, the rest are locked out', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const record = caseRecord();
        await first.deps.feed.import((async function* () { yield { line: 1, value: record }; })(), { kind: 'system' });
        const calls = await Promise.all(agents.map((_, i) => openCall(i)));
        const answers = await Promise.all(agents.map((a, i) => via(i + round).app.inject({
          method: 'POST', url: `/api/v1/contacts/${calls[i]}/verification`, headers: bearer(a.token),
          payload: { receiptNumber: record.receiptNumber, name: 'Not The Applicant', dateOfBirth: '1990-03-02' },
        })));
        const counted = answers.filter((r) => r.statusCode === 200);
        const locked = answers.filter((r) => r.statusCode === 403);
        assert.equal(counted.length, 3, answers.map((a) => a.statusCode).join(' '));
        assert.ok(counted.every((r) => r.json().verified === false));
        assert.equal(locked.length, 5);
        assert.ok(locked.every((r) => r.json().code === 'verification-locked'));
        const failures = await first.deps.database.db.selectFrom('verification_failures').select('id').where('receipt_number', '=', record.receiptNumber as string).execute();
        assert.equal(failures.length, 3);
      }
    });

    test('one free Tier 2 officer and eight Tier 1 escalations at once: exactly one live transfer, seven callbacks', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const officer = officers[round % officers.length]!;
        const put = await first.app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: bearer(officer.token), payload: { status: 'available' } });
        assert.equal(put.statusCode, 200);
        const calls = await Promise.all(agents.map((_, i) => openCall(i)));
        const answers = await Promise.all(agents.map((a, i) => via(i + round).app.inject({
          method: 'POST', url: `/api/v1/contacts/${calls[i]}/escalations`, headers: bearer(a.token),
          payload: { reason: 'The caller needs a pending case explained by Tier 2.', urgency: 'urgent' },
        })));
        assert.ok(answers.every((r) => r.statusCode === 201), answers.map((a) => a.body).join('\n'));
        const transfers = answers.filter((r) => r.json().mode === 'transfer');
        assert.equal(transfers.length, 1, answers.map((a) => a.json().mode).join(' '));
        assert.equal(transfers[0]!.json().toAgentId, officer.agentId);
        assert.equal(answers.filter((r) => r.json().mode === 'callback').length, 7);
        // The officer is busy with that one call; ending it frees them for the next round.
        const presence = await first.app.inject({ method: 'GET', url: '/api/v1/me/presence', headers: bearer(officer.token) });
        assert.equal(presence.json().status, 'busy');
        const transferred = calls[answers.indexOf(transfers[0]!)]!;
        assert.equal((await first.app.inject({ method: 'POST', url: `/api/v1/contacts/${transferred}/end`, headers: bearer(officer.token), payload: { disposition: 'resolved' } })).statusCode, 200);
        await first.app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: bearer(officer.token), payload: { status: 'away' } });
      }
    });

    test('four officers record a failed attempt on one callback at once: two are recorded (it closes as missed), the rest get 409', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const call = await openCall(round);
        const cb = await first.app.inject({ method: 'POST', url: `/api/v1/contacts/${call}/escalations`, headers: bearer(agents[round]!.token), payload: { reason: 'The caller asks about a decided case.', urgency: 'regular' } });
        assert.equal(cb.json().mode, 'callback');
        const id = cb.json().id as string;
        const answers = await Promise.all(officers.map((o, i) => via(i + round).app.inject({ method: 'POST', url: `/api/v1/callbacks/${id}/attempts`, headers: bearer(o.token), payload: { outcome: 'no-answer' } })));
        const recorded = answers.filter((r) => r.statusCode === 201);
        assert.ok(recorded.length >= 1 && recorded.length <= 2, answers.map((a) => a.statusCode).join(' '));
        assert.ok(answers.filter((r) => r.statusCode !== 201).every((r) => r.statusCode === 409), answers.map((a) => a.body).join('\n'));
        // Whatever the interleaving, the log has no gap and no repeat, and the count matches it.
        const attempts = await first.deps.database.db.selectFrom('callback_attempts').select('n').where('escalation_id', '=', id).orderBy('n').execute();
        assert.deepEqual(attempts.map((a) => Number(a.n)), recorded.map((_, i) => i + 1));
        // A second wave finishes it: after it, exactly two failures and missed.
        if (recorded.length < 2) {
          const more = await Promise.all(officers.map((o, i) => via(i).app.inject({ method: 'POST', url: `/api/v1/callbacks/${id}/attempts`, headers: bearer(o.token), payload: { outcome: 'voicemail' } })));
          assert.equal(more.filter((r) => r.statusCode === 201).length, 1, more.map((a) => a.statusCode).join(' '));
        }
        const detail = await first.app.inject({ method: 'GET', url: `/api/v1/callbacks/${id}`, headers: bearer(officers[0]!.token) });
        assert.equal(detail.json().status, 'missed');
        assert.equal(detail.json().attempts, 2);
        const told = await first.deps.database.db.selectFrom('outbox').select('id').where('subject_ref', '=', `escalation:${id}`).where('template', '=', 'callback-missed').execute();
        assert.equal(told.length, 1, 'the caller is told exactly once');
      }
    });
  });
}
