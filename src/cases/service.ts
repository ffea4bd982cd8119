/**
 * The case feed: records upserted by receipt number in batches, each batch one transaction with its audit entry.
 * Valid records are always kept; a bad one is reported by line and reason; an unchanged re-sent record writes nothing.
 */
import type SQLite from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import type { CaseTable, Database } from '../platform/db/schema.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import type { FeedVocabulary } from './feed-record.ts';
import { checkedRecords, type CheckerOptions } from './feed-checker.ts';
import { statusColumns } from '../case-status/document.ts';
import type { FeedItem } from './feed-stream.ts';
import * as store from './store.ts';

export interface RejectedLine {
  line: number;
  receiptNumber?: string;
  code: string;
  detail: string;
}

export interface ImportResult {
  accepted: number;
  /** Records written because they were new or changed. */
  changed: number;
  rejected: RejectedLine[];
  /** Total rejections, when more happened than `rejected` lists. */
  rejectedTotal: number;
}

export interface ImportOptions {
  batchSize?: number;
  /** At most this many rejections are listed (all are counted). */
  maxListedRejections?: number;
  onBatch?: (progress: { accepted: number; rejected: number }) => void;
  traceId?: string;
  /** Where records are checked (feed-checker.ts); by default a worker thread takes over a large NDJSON feed. */
  checker?: CheckerOptions;
}

/** A case the feed moved to another office (its open service requests move with it, in the same transaction). */
export interface CaseMove {
  receiptNumber: string;
  from: string;
  to: string;
}

/** A known case whose status the feed changed (a new case is not a change). */
export interface CaseStatusChange {
  receiptNumber: string;
  formType: string;
  office: string;
  previousStatus: string;
  status: string;
  statusDate: string;
}

export interface CaseFeedHooks {
  /** Called inside the batch's transaction with the cases it moved; returns how many dependent records moved. */
  onMoves?: (trx: Transaction<Database>, moves: CaseMove[], actor: Actor, traceId?: string) => Promise<number>;
  /** Called inside the batch's transaction with the known cases whose status it changed (webhooks out); returns how many deliveries. */
  onStatusChanges?: (trx: Transaction<Database>, changes: CaseStatusChange[]) => Promise<number>;
  /**
   * Called inside the batch's transaction, after the upsert, with the receipt numbers of the cases it wrote (new or
   * changed); the listener decides whose public status changed (status-change alerts). Returns how many messages.
   */
  onWritten?: (trx: Transaction<Database>, receiptNumbers: string[], actor: Actor, traceId?: string) => Promise<number>;
}

export class CaseFeedService {
  private readonly writes: store.FeedWrites;

  /** `sqlite`: the SQLite connection under `db`, when it is one (DatabaseHandle.sqlite), for the batch writes' prepared statements. */
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly vocabulary: FeedVocabulary,
    private readonly clock: () => Date = () => new Date(),
    private readonly hooks: CaseFeedHooks = {},
    sqlite?: SQLite.Database,
  ) {
    this.writes = store.feedWrites(db, sqlite);
  }

  /** Imports every record of a feed; returns counts and the rejected lines. */
  async import(items: AsyncIterable<FeedItem>, actor: Actor, options: ImportOptions = {}): Promise<ImportResult> {
    const batchSize = options.batchSize ?? 1000;
    const maxListed = options.maxListedRejections ?? 10_000;
    const result: ImportResult = { accepted: 0, changed: 0, rejected: [], rejectedTotal: 0 };
    const reject = (r: RejectedLine) => {
      result.rejectedTotal++;
      if (result.rejected.length < maxListed) result.rejected.push(r);
    };
    let batch: Array<{ line: number; row: CaseTable }> = [];
    const flush = async () => {
      if (batch.length) {
        result.changed += await this.writeBatch(batch, actor, options.traceId);
        result.accepted += batch.length;
        batch = [];
      }
      options.onBatch?.({ accepted: result.accepted, rejected: result.rejectedTotal });
    };

    const now = this.clock().toISOString();
    for await (const item of checkedRecords(items, this.vocabulary, now, options.checker)) {
      if ('error' in item) {
        reject({ line: item.line, code: 'invalid-request', detail: item.error });
        continue;
      }
      const checked = item.checked;
      if (!checked.ok) {
        reject({ line: item.line, ...checked.rejection });
        continue;
      }
      batch.push({ line: item.line, row: checked.row });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return result;
  }

  /** Writes one batch in one transaction; returns how many records changed. */
  private async writeBatch(batch: Array<{ line: number; row: CaseTable }>, actor: Actor, traceId?: string): Promise<number> {
    // A receipt number repeated within a batch: the later line wins, as it would across batches.
    const latest = new Map<string, CaseTable>();
    for (const { row } of batch) latest.set(row.receipt_number, row);
    return this.db.transaction().execute(async (trx) => {
      const before = await this.writes.existingKeys(trx, [...latest.keys()]);
      const changed = [...latest.values()].filter((r) => before.get(r.receipt_number)?.feed_hash !== r.feed_hash);
      if (changed.length === 0) return 0;
      // A case with entries of Switchboard's own: its status document shows them too (the upsert keeps it only
      // if that local history is still the stored one when it runs; see store.ts).
      for (const [i, r] of changed.entries()) {
        const local = before.get(r.receipt_number)?.local_history;
        if (local && local !== '[]' && this.vocabulary.presentation) {
          changed[i] = { ...r, local_history: local, ...statusColumns({ ...r, local_history: local }, this.vocabulary.presentation) };
        }
      }
      await this.writes.upsertCases(trx, changed);
      const groups = changed.flatMap((r) => {
        const old = before.get(r.receipt_number);
        return old ? [r, old] : [r];
      });
      await store.invalidateProcessingTimes(trx, groups);
      const moves: CaseMove[] = [];
      for (const r of changed) {
        const old = before.get(r.receipt_number);
        if (old && old.office !== r.office) moves.push({ receiptNumber: r.receipt_number, from: old.office, to: r.office });
      }
      const movedRequests = moves.length && this.hooks.onMoves ? await this.hooks.onMoves(trx, moves, actor, traceId) : 0;
      const alerts = this.hooks.onWritten ? await this.hooks.onWritten(trx, changed.map((r) => r.receipt_number), actor, traceId) : 0;
      if (this.hooks.onStatusChanges) {
        const statusChanges: CaseStatusChange[] = [];
        for (const r of changed) {
          const old = before.get(r.receipt_number);
          if (old && old.status !== r.status) statusChanges.push({ receiptNumber: r.receipt_number, formType: r.form_type, office: r.office, previousStatus: old.status, status: r.status, statusDate: r.status_date });
        }
        if (statusChanges.length) await this.hooks.onStatusChanges(trx, statusChanges);
      }
      await this.audit.record(trx, {
        actor: actorLabel(actor), action: 'case-feed-load', outcome: 'allowed', traceId,
        detail: { changed: changed.length, created: changed.length - changed.filter((r) => before.has(r.receipt_number)).length, transfers: moves.length, movedRequests, ...(alerts ? { alerts } : {}) },
      });
      return changed.length;
    });
  }
}
