/** The audit chain's arithmetic: how an entry's hash is computed and how a run of entries is checked. Pure. */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an entry that its hash covers. */
export interface ChainedFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  outcome: 'allowed' | 'denied';
  purpose: string | null;
  traceId: string | null;
  detail: string | null;
}

export interface ChainedEntry extends ChainedFields {
  prevHash: string;
  hash: string;
}

/** SHA-256 over the previous hash and the entry's fields in a fixed order. */
export function entryHash(prevHash: string, e: ChainedFields): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject, e.outcome, e.purpose, e.traceId, e.detail]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** The first problem found in a chain, naming the entry by its sequence number. */
export interface ChainFault {
  seq: number;
  problem: 'altered' | 'missing-before' | 'out-of-order' | 'tail-missing';
  message: string;
}

/**
 * Checks entries (in stored order) continuing from `expected` (the previous entry's seq and hash).
 * Returns the next expectation, or the first fault.
 */
export function checkRun(entries: readonly ChainedEntry[], expected: { seq: number; hash: string }): { ok: true; next: { seq: number; hash: string } } | { ok: false; fault: ChainFault } {
  let prev = expected;
  for (const e of entries) {
    if (e.seq !== prev.seq + 1) {
      const problem = e.seq > prev.seq + 1 ? 'missing-before' : 'out-of-order';
      const message = problem === 'missing-before'
        ? `entry ${e.seq}: entries ${prev.seq + 1}–${e.seq - 1} before it are missing`
        : `entry ${e.seq}: out of order after entry ${prev.seq}`;
      return { ok: false, fault: { seq: e.seq, problem, message } };
    }
    if (e.prevHash !== prev.hash) {
      return { ok: false, fault: { seq: e.seq, problem: 'out-of-order', message: `entry ${e.seq}: does not follow entry ${prev.seq} (the chain link differs; an entry was removed, re-ordered or altered)` } };
    }
    if (entryHash(e.prevHash, e) !== e.hash) {
      return { ok: false, fault: { seq: e.seq, problem: 'altered', message: `entry ${e.seq}: its contents do not match its hash (altered)` } };
    }
    prev = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, next: prev };
}
