/**
 * Idempotency keys on real databases (CONTRACT.md section 3, issue 7 items 3 and 9): a replay answers the first
 * answer and creates nothing twice; another request with the key is 422; a second request while the first runs
 * is 409; an abandoned reservation's lease runs out and is taken over; a crash before the commit leaves nothing
 * created; on PostgreSQL several instances racing one key create exactly one record. The work here creates
 * audit entries (action "idempotency-test"), a real table written in the work's transaction.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from 'kysely';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Database } from '../../src/platform/db/schema.ts';
import { AppError } from '../../src/platform/errors/catalogue.ts';
import { IdempotencyService, type IdempotentAnswer } from '../../src/platform/idempotency/service.ts';
import { findKey, insertReservation } from '../../src/platform/idempotency/store.ts';
import { requestHash } from '../../src/platform/idempotency/key.ts';
import { LEASE_MS } from '../../src/platform/idempotency/policy.ts';

const ACTION = 'idempotency-test';
let n = 0;
const freshKey = () => `key-${++n}-${Math.random().toString(36).slice(2)}`;
const hashOf = (body: unknown) => requestHash({ method: 'POST', route: '/api/v1/things', body });

async function created(t: TestApp, subject: string): Promise<number> {
  const r = await t.deps.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', ACTION).where('subject', '=', subject).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Work that creates one audit entry for `subject` and answers 201 with it; counts its calls. */
function creator(t: TestApp, subject: string) {
  const calls = { n: 0 };
  const work = async (trx: Transaction<Database>) => {
    calls.n++;
    await t.deps.audit.record(trx, { actor: 'system', action: ACTION, subject, outcome: 'allowed' });
    return { status: 201, body: { subject, attempt: calls.n, note: 'é ✓' } };
  };
  return { calls, work };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => null, (e: unknown) => e);
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  return err.code;
}

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

for (const kind of databaseKinds()) {
  describe(`idempotency keys [${kind}]`, () => {
    let t: TestApp;
    let service: IdempotencyService;
    before(async () => {
      t = await startTestApp(kind);
      service = new IdempotencyService(t.deps.database.db);
    });
    after(async () => { await t.close(); });

    test('the same key and request: the first answer again, byte for byte, and nothing created twice', async () => {
      const key = freshKey();
      const { calls, work } = creator(t, `thing:${key}`);
      const request = { scope: 'staff:1', key, requestHash: hashOf({ a: 1, b: [1, 2] }) };
      const first = await service.run(request, work);
      assert.deepEqual(first, { status: 201, body: JSON.stringify({ subject: `thing:${key}`, attempt: 1, note: 'é ✓' }), replayed: false });
      // Same body in another key order is the same request.
      const again = await service.run({ ...request, requestHash: hashOf({ b: [1, 2], a: 1 }) }, work);
      assert.deepEqual(again, { ...first, replayed: true });
      assert.equal(calls.n, 1);
      assert.equal(await created(t, `thing:${key}`), 1);
      const row = await findKey(t.deps.database.db, 'staff:1', key);
      assert.equal(row?.state, 'done');
      assert.equal(row?.status, 201);
    });

    test('the same key with a different request: 422 idempotency-key-reused, nothing created', async () => {
      const key = freshKey();
      const { calls, work } = creator(t, `thing:${key}`);
      await service.run({ scope: 'staff:1', key, requestHash: hashOf({ a: 1 }) }, work);
      assert.equal(await refusal(service.run({ scope: 'staff:1', key, requestHash: hashOf({ a: 2 }) }, work)), 'idempotency-key-reused');
      assert.equal(calls.n, 1);
      assert.equal(await created(t, `thing:${key}`), 1);
    });

    test('keys are per caller: another scope with the same key runs its own request', async () => {
      const key = freshKey();
      const { calls, work } = creator(t, `thing:${key}`);
      const a = await service.run({ scope: 'staff:1', key, requestHash: hashOf({}) }, work);
      const b = await service.run({ scope: 'client:9', key, requestHash: hashOf({}) }, work);
      assert.equal(a.replayed || b.replayed, false);
      assert.equal(calls.n, 2);
      assert.equal(await created(t, `thing:${key}`), 2);
    });

    test('without a key the work simply runs each time', async () => {
      const subject = `thing:${freshKey()}`;
      const { work } = creator(t, subject);
      await service.run({ scope: 'staff:1', key: null, requestHash: hashOf({}) }, work);
      await service.run({ scope: 'staff:1', key: null, requestHash: hashOf({}) }, work);
      assert.equal(await created(t, subject), 2);
    });

    test('a second request while the first is still running: 409 conflict; afterwards the first answer is replayed', async () => {
      const key = freshKey();
      const subject = `thing:${key}`;
      const held = gate();
      const started = gate();
      const request = { scope: 'staff:1', key, requestHash: hashOf({ x: 1 }) };
      const first = service.run(request, async (trx) => {
        await t.deps.audit.record(trx, { actor: 'system', action: ACTION, subject, outcome: 'allowed' });
        started.open();
        await held.opened;
        return { status: 201, body: { subject } };
      });
      await started.opened;
      const { calls, work } = creator(t, subject);
      assert.equal(await refusal(service.run(request, work)), 'conflict');
      held.open();
      assert.equal((await first).replayed, false);
      assert.equal((await service.run(request, work)).replayed, true);
      assert.equal(calls.n, 0);
      assert.equal(await created(t, subject), 1);
    });

    test('a crash inside the work (a throw) keeps nothing it wrote and gives the key back: a retry creates it once', async () => {
      const key = freshKey();
      const subject = `thing:${key}`;
      const request = { scope: 'staff:1', key, requestHash: hashOf({ y: 1 }) };
      await assert.rejects(service.run(request, async (trx) => {
        await t.deps.audit.record(trx, { actor: 'system', action: ACTION, subject, outcome: 'allowed' });
        throw new Error('the process died here');
      }), /the process died here/);
      assert.equal(await created(t, subject), 0);
      assert.equal(await findKey(t.deps.database.db, 'staff:1', key), undefined);
      const { calls, work } = creator(t, subject);
      assert.equal((await service.run(request, work)).replayed, false);
      assert.equal(calls.n, 1);
      assert.equal(await created(t, subject), 1);
    });

    test('an abandoned reservation (a process killed between reserve and commit): 409 until its lease runs out, then taken over', async () => {
      const key = freshKey();
      const subject = `thing:${key}`;
      const requestHashValue = hashOf({ z: 1 });
      const t0 = Date.now();
      // What a killed process leaves behind: its running row, nothing created.
      await insertReservation(t.deps.database.db, { scope: 'staff:1', key, request_hash: requestHashValue, lease_id: 'dead-attempt', locked_until: new Date(t0 + LEASE_MS).toISOString(), created_at: new Date(t0).toISOString() });
      const { calls, work } = creator(t, subject);
      const request = { scope: 'staff:1', key, requestHash: requestHashValue };
      assert.equal(await refusal(new IdempotencyService(t.deps.database.db, { clock: () => new Date(t0 + LEASE_MS - 1000) }).run(request, work)), 'conflict');
      // A different request with the key is still refused as reuse, even while it is running.
      assert.equal(await refusal(service.run({ ...request, requestHash: hashOf({ z: 2 }) }, work)), 'idempotency-key-reused');
      const later = new IdempotencyService(t.deps.database.db, { clock: () => new Date(t0 + LEASE_MS + 1000) });
      const answer = await later.run(request, work);
      assert.equal(answer.replayed, false);
      assert.equal(calls.n, 1);
      assert.equal(await created(t, subject), 1);
      assert.equal((await later.run(request, work)).replayed, true);
      assert.equal((await findKey(t.deps.database.db, 'staff:1', key))?.lease_id === 'dead-attempt', false);
    });

    test('housekeeping deletes keys older than the retention period (48 hours), never younger ones', async () => {
      const key = freshKey();
      const t0 = Date.parse('2026-01-01T00:00:00.000Z');
      const { work } = creator(t, `thing:${key}`);
      await new IdempotencyService(t.deps.database.db, { clock: () => new Date(t0) }).run({ scope: 'staff:prune', key, requestHash: hashOf({}) }, work);
      assert.equal(await new IdempotencyService(t.deps.database.db, { clock: () => new Date(t0 + 47 * 3_600_000) }).prune(), 0);
      assert.ok(await findKey(t.deps.database.db, 'staff:prune', key));
      assert.ok(await new IdempotencyService(t.deps.database.db, { clock: () => new Date(t0 + 49 * 3_600_000) }).prune() >= 1);
      assert.equal(await findKey(t.deps.database.db, 'staff:prune', key), undefined);
    });

    if (kind === 'postgres') {
      test('several instances on one database racing one key create exactly one record', async () => {
        const others = await Promise.all([1, 2, 3].map(() => startTestApp(kind, { sharing: t })));
        try {
          const instances = [t, ...others].map((app) => new IdempotencyService(app.deps.database.db));
          for (let round = 0; round < 5; round++) {
            const key = freshKey();
            const subject = `thing:${key}`;
            const request = { scope: 'client:race', key, requestHash: hashOf({ round }) };
            const outcomes = await Promise.all(instances.flatMap((s) => [1, 2].map(() => s.run(request, creator(t, subject).work)
              .then((a: IdempotentAnswer) => (a.replayed ? 'replayed' : 'created'), (e: unknown) => (e instanceof AppError ? e.code : `unexpected ${String(e)}`)))));
            assert.equal(outcomes.filter((o) => o === 'created').length, 1, outcomes.join(' '));
            assert.deepEqual(outcomes.filter((o) => o !== 'created' && o !== 'replayed' && o !== 'conflict'), []);
            assert.equal(await created(t, subject), 1);
            // Once it is done, every instance replays it.
            for (const s of instances) assert.equal((await s.run(request, creator(t, subject).work)).replayed, true);
          }
        } finally {
          for (const o of others) await o.close();
        }
      });

      test('another instance: 409 while the first runs; after its lease, a take-over waits for the running transaction and replays', async () => {
        const other = await startTestApp(kind, { sharing: t });
        try {
          const key = freshKey();
          const subject = `thing:${key}`;
          const request = { scope: 'staff:1', key, requestHash: hashOf({ w: 1 }) };
          const held = gate();
          const started = gate();
          const first = service.run(request, async (trx) => {
            await t.deps.audit.record(trx, { actor: 'system', action: ACTION, subject, outcome: 'allowed' });
            started.open();
            await held.opened;
            return { status: 201, body: { subject } };
          });
          await started.opened;
          const { calls, work } = creator(other, subject);
          assert.equal(await refusal(new IdempotencyService(other.deps.database.db).run(request, work)), 'conflict');
          // As if the first had hung past its lease: the take-over blocks on the first's row lock, then finds it done.
          const late = new IdempotencyService(other.deps.database.db, { clock: () => new Date(Date.now() + 2 * LEASE_MS) }).run(request, work);
          await new Promise((r) => setTimeout(r, 200));
          held.open();
          assert.equal((await first).replayed, false);
          assert.equal((await late).replayed, true);
          assert.equal(calls.n, 0);
          assert.equal(await created(t, subject), 1);
        } finally {
          await other.close();
        }
      });
    }
  });
}
