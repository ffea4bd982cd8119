/** All SQL of the audit trail. Appends are chained through the audit_head row, in the caller's transaction. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import { entryHash, type ChainedEntry, type ChainedFields } from './chain.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Appends one entry after the current head. Must run inside a transaction: the head update serialises appenders. */
export async function appendEntry(trx: Transaction<Database>, fields: Omit<ChainedFields, 'seq'>): Promise<ChainedEntry> {
  // UPDATE … RETURNING takes the head row's lock (PostgreSQL) and reads the previous hash in one statement.
  const head = await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1)
    .returning(['seq', 'hash']).executeTakeFirstOrThrow();
  const seq = Number(head.seq);
  const entry = { ...fields, seq };
  const hash = entryHash(head.hash, entry);
  await trx.insertInto('audit_log').values({
    seq, at: entry.at, actor: entry.actor, action: entry.action, subject: entry.subject, outcome: entry.outcome,
    purpose: entry.purpose, trace_id: entry.traceId, detail: entry.detail, prev_hash: head.hash, hash,
  }).execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  return { ...entry, prevHash: head.hash, hash };
}

/** Reads a batch of entries in sequence order, starting after `afterSeq`, in stored order. */
export async function readBatch(db: Executor, afterSeq: number, limit: number): Promise<ChainedEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({
    seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, outcome: r.outcome,
    purpose: r.purpose, traceId: r.trace_id, detail: r.detail, prevHash: r.prev_hash, hash: r.hash,
  }));
}

export async function readHead(db: Executor): Promise<{ seq: number; hash: string }> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

export interface AuditFilter {
  actor?: string | undefined;
  subject?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function filtered(db: Executor, f: AuditFilter) {
  let q = db.selectFrom('audit_log');
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.subject) q = q.where('subject', '=', f.subject);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return q;
}

/** One page of entries, newest first, and the total matching. */
export async function listEntries(db: Executor, f: AuditFilter, page: number, pageSize: number) {
  const [rows, count] = await Promise.all([
    filtered(db, f).select(['seq', 'at', 'actor', 'action', 'subject', 'outcome', 'purpose', 'trace_id'])
      .orderBy('seq', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    filtered(db, f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
