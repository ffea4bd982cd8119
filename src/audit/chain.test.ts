import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRun, entryHash, GENESIS_HASH, type ChainedEntry, type ChainedFields } from './chain.ts';

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

// Known answers, computed outside this code: SHA-256 of the previous hash, "\n", and the JSON array of the
// fields in order, e.g. printf '%s\n%s' "$(printf '0%.0s' $(seq 64))" '[1,"2026-11-29T14:03:07.512Z",…,null]' | sha256sum
const FIRST: ChainedFields = {
  seq: 1, at: '2026-11-29T14:03:07.512Z', actor: 'staff:ada', action: 'case.view', subject: 'case:EAC2612345678',
  outcome: 'allowed', purpose: 'caller asked about status', traceId: '0123456789abcdef', detail: null,
};
const FIRST_HASH = '137b66a0e333916d179d30dcae7cb4ce3f9504568cb07726e05508cb104b6503';
const SECOND: ChainedFields = {
  seq: 2, at: '2026-11-29T14:05:00.000Z', actor: 'staff:ada', action: 'staff.disable', subject: null,
  outcome: 'denied', purpose: null, traceId: null, detail: 'Café "Zoë" – reason:\nnone',
};
const SECOND_HASH = 'b8a4c607de0e38bd91ab151a60ca923e6ea7800bbceb783286beb887096ceb2d';

test('the genesis hash is 64 zeros, and entry hashes match SHA-256 known answers', () => {
  assert.equal(GENESIS_HASH, '0000000000000000000000000000000000000000000000000000000000000000');
  assert.equal(entryHash(GENESIS_HASH, FIRST), FIRST_HASH);
  assert.equal(entryHash(FIRST_HASH, SECOND), SECOND_HASH, 'nulls, quotes, a newline and non-ASCII text (UTF-8)');
  const stored: ChainedEntry[] = [{ ...FIRST, prevHash: GENESIS_HASH, hash: FIRST_HASH }, { ...SECOND, prevHash: FIRST_HASH, hash: SECOND_HASH }];
  assert.deepEqual(checkRun(stored, { seq: 0, hash: GENESIS_HASH }), { ok: true, next: { seq: 2, hash: SECOND_HASH } });
});

test('the hash covers every field and the previous hash: changing any one changes it', () => {
  const changed: [string, Partial<ChainedFields>][] = [
    ['seq', { seq: 2 }], ['at', { at: '2026-11-29T14:03:07.513Z' }], ['actor', { actor: 'staff:bob' }],
    ['action', { action: 'case.edit' }], ['subject', { subject: null }], ['outcome', { outcome: 'denied' }],
    ['purpose', { purpose: null }], ['traceId', { traceId: 'fedcba9876543210' }], ['detail', { detail: 'x' }],
  ];
  for (const [field, change] of changed) assert.notEqual(entryHash(GENESIS_HASH, { ...FIRST, ...change }), FIRST_HASH, field);
  assert.notEqual(entryHash('1'.repeat(64), FIRST), FIRST_HASH, 'previous hash');
  // Fields are not simply concatenated: moving text from one field to the next is a different entry.
  assert.notEqual(entryHash(GENESIS_HASH, { ...FIRST, actor: 'staff:adacase.view', action: '' }), FIRST_HASH);
});

test('each fault is named by its entry, with its own problem and message', () => {
  const c = chain(5);
  const start = { seq: 0, hash: GENESIS_HASH };
  const cases: [string, ChainedEntry[], { seq: number; hash: string }, unknown][] = [
    ['a gap of two', [c[0]!, c[3]!], start,
      { seq: 4, problem: 'missing-before', message: 'entry 4: entries 2–3 before it are missing' }],
    ['a gap of one', [c[0]!, c[2]!], start,
      { seq: 3, problem: 'missing-before', message: 'entry 3: entries 2–2 before it are missing' }],
    ['the first entry missing', [c[1]!], start,
      { seq: 2, problem: 'missing-before', message: 'entry 2: entries 1–1 before it are missing' }],
    ['a sequence number repeated', [c[0]!, c[1]!, c[1]!], start,
      { seq: 2, problem: 'out-of-order', message: 'entry 2: out of order after entry 2' }],
    ['a sequence number going back', [c[0]!, c[1]!, c[2]!, c[0]!], start,
      { seq: 1, problem: 'out-of-order', message: 'entry 1: out of order after entry 3' }],
    ['a link to the wrong previous entry', [c[0]!, { ...c[1]!, prevHash: c[0]!.prevHash }], start,
      { seq: 2, problem: 'out-of-order', message: 'entry 2: does not follow entry 1 (the chain link differs; an entry was removed, re-ordered or altered)' }],
    ['altered contents', [c[0]!, { ...c[1]!, detail: 'edited' }], start,
      { seq: 2, problem: 'altered', message: 'entry 2: its contents do not match its hash (altered)' }],
    ['a run that does not continue the expected hash', [c[2]!], { seq: 2, hash: GENESIS_HASH },
      { seq: 3, problem: 'out-of-order', message: 'entry 3: does not follow entry 2 (the chain link differs; an entry was removed, re-ordered or altered)' }],
  ];
  for (const [name, entries, expected, fault] of cases) assert.deepEqual(checkRun(entries, expected), { ok: false, fault }, name);
});

test('a run continues from the previous run, and an empty run changes nothing', () => {
  const c = chain(5);
  const first = checkRun(c.slice(0, 2), { seq: 0, hash: GENESIS_HASH });
  assert.deepEqual(first, { ok: true, next: { seq: 2, hash: c[1]!.hash } });
  assert.deepEqual(first.ok && checkRun(c.slice(2), first.next), { ok: true, next: { seq: 5, hash: c[4]!.hash } });
  assert.deepEqual(checkRun([], { seq: 7, hash: 'abc' }), { ok: true, next: { seq: 7, hash: 'abc' } });
});
