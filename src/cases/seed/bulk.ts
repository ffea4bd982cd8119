/**
 * Seeding at bulk speed: the generator's records built into rows by the feed's own mapping (bulk-rows.ts), on two
 * worker threads for large seeds, and written with the feed's own multi-row upsert inside one transaction, with
 * the secondary indexes dropped before and re-created after (their definitions read from the database). A
 * bulk-seeded case is stored exactly as a fed one (test/integration/seed-bulk.test.ts compares every table).
 * One audit entry for the seed. On SQLite, a database with no cases yet is loaded with the rollback journal in
 * memory and no fsync (a crash mid-load can leave the file unusable: delete it and seed again), and WAL with
 * synchronous=FULL is put back after, whatever happens.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { AuditService } from '../../audit/service.ts';
import { actorLabel, type Actor } from '../../platform/actor.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { startTypeScriptWorker } from '../../platform/worker-thread.ts';
import type { FeedVocabulary } from '../feed-record.ts';
import * as caseStore from '../store.ts';
import { CaseFacts, produceRows, type ProducerOptions, type RowBatch } from './bulk-rows.ts';
import { SampleCollector, type CollectorState, type Sample } from './samples.ts';
import * as store from './store.ts';

export interface BulkSeedOptions {
  cases: number;
  randomSeed: number;
  today: string;
  /** updated_at of every row; the feed stamps its clock's now. */
  now?: string;
  batchSize?: number;
  /** Worker threads building rows (0: this thread). Default: 2 from 200,000 cases (starting a thread costs seconds), on a machine with 2 cores or more. */
  workers?: number;
  onProgress?: (done: number) => void;
  /** Tests: called with each batch's number before it is written (a throw fails the load part way). */
  beforeBatch?: (index: number) => void;
}

export interface BulkSeedResult {
  accepted: number;
  rejected: RowBatch['rejected'];
  seconds: number;
  samples: Sample[];
  /** What the contact seed needs of each case, in generator order. */
  facts: CaseFacts;
  /** Secondary indexes dropped and re-created. */
  indexes: string[];
  /** Seconds spent re-creating them (part of `seconds`). */
  indexSeconds: number;
  /** Lines saying how durability was handled, for the command's output. */
  notes: string[];
}

export const BULK_BATCH_SIZE = 2000;
const WORKER_THRESHOLD = 200_000;

/**
 * SQLite: the fast settings for a fresh load (with a note saying so), the old ones put back after `work` whatever
 * happens. PostgreSQL: `tables` are ANALYZEd after the load, so the planner does not plan a 15-million-row table
 * as an empty one (autovacuum may be off, and is late after a bulk load anyway: the report's first rebuild ran
 * hash joins over whole tables each week without it).
 */
export async function withLoadSettings<T>(handle: DatabaseHandle, fresh: boolean, notes: string[], work: () => Promise<T>, tables: readonly string[] = []): Promise<T> {
  if (handle.dialect === 'postgres') {
    notes.push('PostgreSQL: the load commits with synchronous_commit=off (durable at the next WAL flush, never corrupt).');
    const result = await work();
    if (tables.length) {
      await store.analyze(handle.db, tables);
      notes.push(`PostgreSQL: ANALYZE ${tables.join(', ')} after the load.`);
    }
    return result;
  }
  if (!fresh) return work();
  const before = await store.sqliteDurability(handle.db);
  const mode = await store.setSqliteFastLoad(handle.db);
  notes.push(`SQLite: loaded with journal_mode=${mode.toUpperCase()} and synchronous=OFF (if the load is interrupted, delete ${handle.location} and seed again); restored journal_mode=${before.journalMode.toUpperCase()}, synchronous=${before.synchronous === 2 ? 'FULL' : before.synchronous}.`);
  try {
    return await work();
  } finally {
    await store.restoreSqliteDurability(handle.db, before);
  }
}

/** Loads `cases` generated cases at bulk speed into `handle`. */
export async function bulkSeedCases(handle: DatabaseHandle, audit: AuditService, vocabulary: FeedVocabulary, offices: readonly string[], options: BulkSeedOptions, actor: Actor): Promise<BulkSeedResult> {
  const started = performance.now();
  const db = handle.db;
  const batchSize = options.batchSize ?? BULK_BATCH_SIZE;
  const workers = options.workers ?? (options.cases >= WORKER_THRESHOLD && os.availableParallelism() >= 2 ? 2 : 0);
  const now = options.now ?? new Date().toISOString();
  const fresh = (await store.countRows(db, 'cases')) === 0;
  const facts = new CaseFacts(options.cases, offices);
  const notes: string[] = [];
  const indexes = await store.secondaryIndexes(db, handle.dialect, ['cases']);
  const rejected: RowBatch['rejected'] = [];
  let samples: Sample[] = [];
  let done = 0;
  let indexSeconds = 0;
  const producer: Omit<ProducerOptions, 'part' | 'of' | 'samples'> = { randomSeed: options.randomSeed, today: options.today, cases: options.cases, batchSize, now, vocabulary, offices };

  await withLoadSettings(handle, fresh, notes, async () => {
    try {
      await db.transaction().execute(async (trx) => {
        if (handle.dialect === 'postgres') await store.pgAsyncCommit(trx);
        for (const ix of indexes) await store.dropIndex(trx, ix.name);
        const write = async (b: RowBatch) => {
          options.beforeBatch?.(b.index);
          facts.add(b.index * batchSize, b.facts);
          if (b.rejected.length) rejected.push(...b.rejected);
          else {
            const width = caseStore.CASE_COLUMNS.length;
            const step = caseStore.UPSERT_CHUNK * width;
            for (let i = 0; i < b.values.length; i += step) await caseStore.upsertCaseValues(trx, b.values.slice(i, i + step));
          }
          done += b.count;
          options.onProgress?.(done);
        };
        const seen = workers > 0
          ? await fromWorkers(producer, workers, write)
          : [await produceRows({ ...producer, part: 0, of: 1, samples: true }, write)];
        const collector = new SampleCollector(options.today);
        for (const state of seen) if (state) collector.absorb(state);
        samples = collector.samples();
        if (rejected.length) throw new GeneratorDisagrees(rejected);
        await caseStore.invalidateAllProcessingTimes(trx);
        const indexing = performance.now();
        for (const ix of indexes) await store.createIndex(trx, ix);
        indexSeconds = (performance.now() - indexing) / 1000;
        await audit.record(trx, {
          actor: actorLabel(actor), action: 'seed-bulk-load', outcome: 'allowed',
          detail: { table: 'cases', cases: options.cases, randomSeed: options.randomSeed, today: options.today, indexesRebuilt: indexes.length, workers },
        });
      });
    } catch (err) {
      if (err instanceof GeneratorDisagrees) return;
      throw err;
    } finally {
      await restoreMissingIndexes(handle, indexes);
    }
  }, ['cases']);
  return { accepted: rejected.length ? 0 : done, rejected, seconds: (performance.now() - started) / 1000, samples, facts, indexes: indexes.map((i) => i.name), indexSeconds, notes };
}

/** The generator made a record the feed refuses (a defect): the load is rolled back and the lines reported. */
class GeneratorDisagrees extends Error {
  constructor(readonly lines: RowBatch['rejected']) {
    super(`${lines.length} generated records were refused by the feed's checks`);
  }
}

/** Re-creates any of `indexes` that is not there (after a failed load whose rollback did not bring it back). */
export async function restoreMissingIndexes(handle: DatabaseHandle, indexes: readonly store.IndexDefinition[]): Promise<string[]> {
  if (indexes.length === 0) return [];
  const tables = [...new Set(indexes.map((i) => i.table))];
  const present = new Set((await store.secondaryIndexes(handle.db, handle.dialect, tables)).map((i) => i.name));
  const missing = indexes.filter((i) => !present.has(i.name));
  for (const ix of missing) await store.createIndex(handle.db, ix);
  return missing.map((i) => i.name);
}

/** The module the worker threads run. */
const startWorker = (data: ProducerOptions): Worker => startTypeScriptWorker(new URL('./bulk-worker.ts', import.meta.url), data);

/** Runs `of` producers on worker threads and hands their batches to `write` in batch order. */
async function fromWorkers(producer: Omit<ProducerOptions, 'part' | 'of' | 'samples'>, of: number, write: (b: RowBatch) => Promise<void>): Promise<Array<CollectorState | null>> {
  type Msg = { batch?: RowBatch; done?: true; samples?: CollectorState | null; error?: string };
  const queues: Msg[][] = [];
  const waiting: Array<(() => void) | null> = [];
  const threads: Worker[] = [];
  let failure: Error | null = null;
  for (let part = 0; part < of; part++) {
    queues.push([]);
    waiting.push(null);
    const w = startWorker({ ...producer, part, of, samples: true });
    const wakeUp = () => {
      const f = waiting[part];
      waiting[part] = null;
      f?.();
    };
    w.on('message', (m: Msg) => {
      queues[part]!.push(m);
      wakeUp();
    });
    w.on('error', (e) => {
      failure ??= e;
      for (let p = 0; p < of; p++) waiting[p]?.();
    });
    w.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`a seed worker exited with code ${code}`);
      queues[part]!.push({ error: failure?.message ?? 'a seed worker ended early' });
      wakeUp();
    });
    threads.push(w);
  }
  const next = async (part: number): Promise<Msg> => {
    for (;;) {
      if (failure) throw failure;
      const m = queues[part]!.shift();
      if (m) return m;
      await new Promise<void>((resolve) => { waiting[part] = resolve; });
    }
  };
  try {
    const batches = Math.ceil(producer.cases / producer.batchSize);
    for (let index = 0; index < batches; index++) {
      const part = index % of;
      const m = await next(part);
      if (m.error) throw new Error(`seed worker: ${m.error}`);
      if (!m.batch || m.batch.index !== index) throw new Error(`seed worker ${part} sent batch ${m.batch?.index ?? 'none'}, expected ${index}`);
      threads[part]!.postMessage({ taken: 1 });
      await write(m.batch);
    }
    const states: Array<CollectorState | null> = [];
    for (let part = 0; part < of; part++) {
      const m = await next(part);
      if (m.error) throw new Error(`seed worker: ${m.error}`);
      states.push(m.samples ?? null);
    }
    return states;
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
