/**
 * Idempotency keys on real databases (CONTRACT.md section 3, issue 7 items 3 and 9): a replay answers the first
 * answer and creates nothing twice; another request with the key is 422; a second request while the first runs
 * is 409 (in one process, and on PostgreSQL across instances); a crash before the commit leaves neither the record
 * nor the key; on PostgreSQL several instances racing one key create exactly one record. The work here creates
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
import { findKey } from '../../src/platform/idempotency/store.ts';
import { requestHash } from '../../src/platform/idempotency/key.ts';

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

/**
 * Starts a first request with `request`'s key whose work has created its record and then waits: resolves once it
 * is running, with its answer-to-be and `held.open()` to let it commit.
 */
async function runningFirst(t: TestApp, service: IdempotencyService, request: { scope: string; key: string; requestHash: string }, subject: string) {
  const held = gate();
  const started = gate();
  const first = service.run(request, async (trx) => {
    await t.deps.audit.record(trx, { actor: 'system', action: ACTION, subject, outcome: 'allowed' });
    started.open();
    await held.opened;
    return { status: 201, body: { subject } };
  });
  await started.opened;
  return { first, held };
}

for (const kind of databaseKinds()) {
  describe(`idempotency keys [${kind}]`, () => {
    let t: TestApp;
    let service: IdempotencyService;
    before(async () => {
      t = await startTestApp(kind);
      service = new IdempotencyService(t.deps.database.db, t.deps.database.dialect);
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
      assert.equal(row?.status, 201);
      assert.equal(row?.response_body, first.body);
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
      const request = { scope: 'staff:1', key, requestHash: hashOf({ x: 1 }) };
      const { first, held } = await runningFirst(t, service, request, subject);
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

    test('housekeeping deletes keys older than the retention period (48 hours), never younger ones', async () => {
      const key = freshKey();
      const t0 = Date.parse('2026-01-01T00:00:00.000Z');
      const { work } = creator(t, `thing:${key}`);
      await new IdempotencyService(t.deps.database.db, t.deps.database.dialect, { clock: () => new Date(t0) }).run({ scope: 'staff:prune', key, requestHash: hashOf({}) }, work);
      assert.equal(await new IdempotencyService(t.deps.database.db, t.deps.database.dialect, { clock: () => new Date(t0 + 47 * 3_600_000) }).prune(), 0);
      assert.ok(await findKey(t.deps.database.db, 'staff:prune', key));
      assert.ok(await new IdempotencyService(t.deps.database.db, t.deps.database.dialect, { clock: () => new Date(t0 + 49 * 3_600_000) }).prune() >= 1);
      assert.equal(await findKey(t.deps.database.db, 'staff:prune', key), undefined);
    });

    if (kind === 'postgres') {
      test('several instances on one database racing one key create exactly one record', async () => {
        const others = await Promise.all([1, 2, 3].map(() => startTestApp(kind, { sharing: t })));
        try {
          const instances = [t, ...others].map((app) => new IdempotencyService(app.deps.database.db, 'postgres'));
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

      test('another instance: 409 at once while the first runs (its transaction holds the key\'s advisory lock), then the first answer replayed', async () => {
        const other = await startTestApp(kind, { sharing: t });
        try {
          const key = freshKey();
          const subject = `thing:${key}`;
          const request = { scope: 'staff:1', key, requestHash: hashOf({ w: 1 }) };
          const { first, held } = await runningFirst(t, service, request, subject);
          const { calls, work } = creator(other, subject);
          const elsewhere = new IdempotencyService(other.deps.database.db, 'postgres');
          const t0 = Date.now();
          assert.equal(await refusal(elsewhere.run(request, work)), 'conflict');
          assert.ok(Date.now() - t0 < 2000, 'answered without waiting for the first');
          // A different request with the key is refused as conflict too while it runs (its row is not committed yet).
          held.open();
          assert.equal((await first).replayed, false);
          assert.equal((await elsewhere.run(request, work)).replayed, true);
          assert.equal(await refusal(elsewhere.run({ ...request, requestHash: hashOf({ w: 2 }) }, work)), 'idempotency-key-reused');
          assert.equal(calls.n, 0);
          assert.equal(await created(t, subject), 1);
        } finally {
          await other.close();
        }
      });
    }
  });
}
