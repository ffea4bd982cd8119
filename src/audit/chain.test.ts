import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRun, entryHash, GENESIS_HASH, type ChainedEntry } from './chain.ts';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = { seq, at: `2026-01-01T00:00:0${seq}.000Z`, actor: 'staff:a', action: 'sign-in', subject: `staff:${seq}`, outcome: 'allowed' as const, purpose: null, traceId: 't', detail: null };
    const hash = entryHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

test('an intact chain checks out and ends at its last entry', () => {
  const c = chain(5);
  const r = checkRun(c, { seq: 0, hash: GENESIS_HASH });
  assert.deepEqual(r, { ok: true, next: { seq: 5, hash: c[4]!.hash } });
});

test('an altered field is named by its entry', () => {
  const c = chain(5);
  c[2] = { ...c[2]!, actor: 'staff:mallory' };
  const r = checkRun(c, { seq: 0, hash: GENESIS_HASH });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && { seq: r.fault.seq, problem: r.fault.problem }, { seq: 3, problem: 'altered' });
});

test('a removed entry is found at the entry after the gap', () => {
  const c = chain(5);
  c.splice(1, 1);
  const r = checkRun(c, { seq: 0, hash: GENESIS_HASH });
  assert.equal(!r.ok && r.fault.seq, 3);
  assert.equal(!r.ok && r.fault.problem, 'missing-before');
});

test('two entries swapped (contents and sequence numbers) break the chain at the first', () => {
  const c = chain(5);
  const a = c[1]!; const b = c[2]!;
  c[1] = { ...b, seq: 2 }; c[2] = { ...a, seq: 3 };
  const r = checkRun(c, { seq: 0, hash: GENESIS_HASH });
  assert.equal(!r.ok && r.fault.seq, 2);
});

test('a hash recomputed to hide an edit still breaks the link to the next entry', () => {
  const c = chain(4);
  const edited = { ...c[1]!, action: 'delete-everything' };
  edited.hash = entryHash(edited.prevHash, edited);
  c[1] = edited;
  const r = checkRun(c, { seq: 0, hash: GENESIS_HASH });
  assert.equal(!r.ok && r.fault.seq, 3);
});
