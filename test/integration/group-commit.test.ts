/**
 * Group commit (src/platform/db/group-commit.ts) on real databases: units that arrive together share one SQLite
 * transaction and commit together; a unit that throws is undone alone; later units see earlier ones; every answer
 * comes after the commit. On PostgreSQL each unit is its own transaction.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { CommitGroup } from '../../src/platform/db/group-commit.ts';

for (const kind of databaseKinds()) {
  describe(`group commit [${kind}]`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(kind); });
    after(() => t.close());

    const count = async (key: string) => Number((await t.deps.database.db.selectFrom('settings').select((eb) => eb.fn.countAll().as('n')).where('key', 'like', `${key}%`).executeTakeFirstOrThrow()).n);

    test('units arriving together: each answered after its writes are committed; a failing one is undone alone, with its own error', async () => {
      const group = new CommitGroup(t.deps.database.db, t.deps.database.dialect);
      const seen: number[] = [];
      const units = Array.from({ length: 20 }, (_, i) => group.run(async (trx) => {
        await trx.insertInto('settings').values({ key: `gc-${i}`, value: String(i) }).execute();
        // Each unit sees what the earlier units of its group wrote, never a failed one's.
        seen.push(Number((await trx.selectFrom('settings').select((eb) => eb.fn.countAll().as('n')).where('key', 'like', 'gc-%').executeTakeFirstOrThrow()).n));
        if (i % 5 === 3) throw new Error(`unit ${i} refused`);
        return i;
      }));
      const outcomes = await Promise.allSettled(units);
      for (const [i, o] of outcomes.entries()) {
        if (i % 5 === 3) assert.equal(o.status === 'rejected' && (o.reason as Error).message, `unit ${i} refused`);
        else assert.deepEqual(o, { status: 'fulfilled', value: i });
      }
      assert.equal(await count('gc-'), 16, 'the 16 that succeeded, none of the 4 that threw');
      if (kind === 'sqlite') {
        assert.ok(group.stats.transactions < 20, `shared transactions: ${JSON.stringify(group.stats)}`);
        assert.deepEqual(seen.slice(0, 5), [1, 2, 3, 4, 4], 'a failed unit\'s row is gone before the next unit runs');
      }
      assert.equal(group.stats.units, 20);
    });

    test('one unit alone commits at once, and a group can follow it', async () => {
      const group = new CommitGroup(t.deps.database.db, t.deps.database.dialect);
      assert.equal(await group.run(async (trx) => { await trx.insertInto('settings').values({ key: 'solo-1', value: 'x' }).execute(); return 'done'; }), 'done');
      assert.equal(await count('solo-'), 1);
      await Promise.all([2, 3, 4].map((i) => group.run((trx) => trx.insertInto('settings').values({ key: `solo-${i}`, value: 'x' }).execute())));
      assert.equal(await count('solo-'), 4);
    });

    test('a unique violation inside a unit is that unit\'s error only (the group goes on)', async () => {
      const group = new CommitGroup(t.deps.database.db, t.deps.database.dialect);
      const results = await Promise.allSettled(['dup', 'dup', 'other'].map((k, i) => group.run((trx) => trx.insertInto('settings').values({ key: `uv-${k}`, value: String(i) }).execute())));
      // On SQLite the units run in order; on PostgreSQL, as separate transactions at once, either may lose.
      if (kind === 'sqlite') assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      else assert.deepEqual([results.filter((r) => r.status === 'rejected').length, results[2]!.status], [1, 'fulfilled']);
      assert.equal(await count('uv-'), 2);
    });
  });
}
