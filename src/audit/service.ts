/** The audit trail: who did what to which record, why, with what outcome. Never the PII itself. */
import type { Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import type { Db } from '../platform/db/database.ts';
import { GENESIS_HASH, checkRun, type ChainFault } from './chain.ts';
import { appendEntry, listEntries, readBatch, readHead, type AuditFilter } from './store.ts';

export interface AuditEvent {
  /** "staff:<id>", "client:<id>", "anonymous", "cli" or "system". */
  actor: string;
  /** A verb phrase in kebab-case: "sign-in", "user-add", "read-audit". */
  action: string;
  /** The record acted on, by identifier ("staff:<id>"), never by name or other PII. */
  subject?: string | null;
  outcome: 'allowed' | 'denied';
  /** Why: a contact or work-item ID, or a short reason code. */
  purpose?: string | null;
  traceId?: string | null;
  /** Non-PII facts worth keeping (a role change's old and new role, a denial's reason code). */
  detail?: Record<string, string | number | boolean | null>;
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; fault: ChainFault };

export class AuditService {
  constructor(private readonly db: Db, private readonly clock: () => Date = () => new Date()) {}

  /** Records an event inside the caller's transaction, so the entry commits (or not) with the change. */
  async record(trx: Transaction<Database>, e: AuditEvent): Promise<void> {
    await appendEntry(trx, {
      at: this.clock().toISOString(), actor: e.actor, action: e.action, subject: e.subject ?? null, outcome: e.outcome,
      purpose: e.purpose ?? null, traceId: e.traceId ?? null, detail: e.detail ? JSON.stringify(e.detail) : null,
    });
  }

  /** Records an event in a transaction of its own (denials and reads, which change nothing else). */
  async recordNow(e: AuditEvent): Promise<void> {
    await this.db.transaction().execute((trx) => this.record(trx, e));
  }

  /** Walks the whole chain in batches; reports the first altered, removed or re-ordered entry. */
  async verify(batchSize = 5000): Promise<VerifyResult> {
    let expected = { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    for (;;) {
      const batch = await readBatch(this.db, expected.seq === 0 ? -1 : expected.seq, batchSize);
      if (batch.length === 0) break;
      const r = checkRun(batch, expected);
      if (!r.ok) return { ok: false, entries: count, fault: r.fault };
      count += batch.length;
      expected = r.next;
    }
    const head = await readHead(this.db);
    if (head.seq !== expected.seq || head.hash !== expected.hash) {
      const seq = expected.seq + 1;
      return { ok: false, entries: count, fault: { seq, problem: 'tail-missing', message: `entry ${seq}: missing (the chain ends at entry ${expected.seq} but its head records entry ${head.seq})` } };
    }
    return { ok: true, entries: count };
  }

  /** Entries newest first, in the shape of the contract's GET /api/v1/audit. */
  async list(filter: AuditFilter, page: number, pageSize: number) {
    const { rows, total } = await listEntries(this.db, filter, page, pageSize);
    const items = rows.map((r) => ({
      id: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, outcome: r.outcome, purpose: r.purpose, traceId: r.trace_id,
    }));
    return { items, page, pageSize, total };
  }
}
