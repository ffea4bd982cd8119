/**
 * A feed's records checked in line order (feed-record.ts), for CaseFeedService.import. Small feeds are checked on
 * this thread. A large NDJSON feed is handed, after its first `workerAfter` lines, to one worker thread
 * (feed-worker.ts) that parses and checks chunks of lines while this thread writes the batches before them: on two
 * cores the two halves overlap (docs/performance.md). What comes out is the same either way: the same rows, the
 * same rejections, in the same order.
 */
import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../platform/worker-thread.ts';
import { checkFeedRecord, type Checked, type FeedVocabulary } from './feed-record.ts';
import { parseFeedLine, type FeedItem } from './feed-stream.ts';

export type CheckedItem = { line: number; checked: Checked } | { line: number; error: string };

export interface CheckerOptions {
  /** Lines checked here before a worker thread takes over (Infinity: never; starting one costs ~0.3 s). */
  workerAfter?: number;
  /** Lines a message to the worker carries. */
  chunk?: number;
  /** Called once when the worker thread takes over (for logs and tests). */
  onWorker?: () => void;
}

/** Lines after which a feed is large enough for a worker thread: HTTP batches of a few thousand never start one. */
export const WORKER_AFTER = 5000;
const CHUNK = 1000;
/** Chunks sent and not yet taken back: the worker keeps this far ahead of the writer. */
const AHEAD = 3;

/** Checks one item (the one definition of an item's outcome, used here and on the worker). */
export function checkItem(item: FeedItem, v: FeedVocabulary, now: string): CheckedItem {
  if ('error' in item) return item;
  if ('text' in item) {
    const parsed = parseFeedLine(item.text);
    if ('error' in parsed) return { line: item.line, error: parsed.error };
    return { line: item.line, checked: checkFeedRecord(parsed.value, v, now) };
  }
  return { line: item.line, checked: checkFeedRecord(item.value, v, now) };
}

/** Every item of `items`, checked, in order. */
export async function* checkedRecords(items: AsyncIterable<FeedItem>, v: FeedVocabulary, now: string, options: CheckerOptions = {}): AsyncGenerator<CheckedItem> {
  const workerAfter = options.workerAfter ?? WORKER_AFTER;
  const chunkSize = options.chunk ?? CHUNK;
  let inline = 0;
  let starting: FeedWorker | null = null;
  let worker: FeedWorker | null = null;
  let chunk: Array<{ line: number; text: string }> = [];
  const sent: Array<Promise<CheckedItem[]>> = [];
  try {
    for await (const item of items) {
      if (worker && 'text' in item) {
        chunk.push(item);
        if (chunk.length >= chunkSize) {
          sent.push(worker.check(chunk));
          chunk = [];
          if (sent.length >= AHEAD) yield* await sent.shift()!;
        }
        continue;
      }
      // Checked here: whatever was sent before comes out first.
      if (chunk.length) sent.push(worker!.check(chunk));
      chunk = [];
      while (sent.length) yield* await sent.shift()!;
      yield checkItem(item, v, now);
      if ('text' in item && ++inline >= workerAfter) {
        starting ??= new FeedWorker(v, now);
        // The thread starts while this one goes on; a turn of the event loop every chunk lets its "ready" in.
        if (inline % chunkSize === 0) await new Promise((resolve) => setImmediate(resolve));
        // A thread that could not start leaves the feed to this one.
        if (starting.ready && !starting.failed) {
          worker = starting;
          options.onWorker?.();
        }
      }
    }
    if (chunk.length) sent.push(worker!.check(chunk));
    while (sent.length) yield* await sent.shift()!;
  } finally {
    // On an early end (a failed write) the results still in flight are dropped with the thread.
    for (const p of sent) p.catch(() => {});
    await starting?.close();
  }
}

/** The worker thread and the chunks it has been given, answered in order. */
class FeedWorker {
  ready = false;
  private readonly thread: Worker;
  private readonly waiting = new Map<number, { resolve: (r: CheckedItem[]) => void; reject: (e: Error) => void }>();
  private next = 0;
  private error: Error | null = null;
  private closing = false;

  constructor(v: FeedVocabulary, now: string) {
    this.thread = startTypeScriptWorker(new URL('./feed-worker.ts', import.meta.url), { vocabulary: v, now });
    this.thread.on('message', (m: { ready?: true; id?: number; results?: CheckedItem[]; error?: string }) => {
      if (m.ready) this.ready = true;
      else if (m.error !== undefined) this.fail(new Error(`case-feed worker: ${m.error}`));
      else this.take(m.id!)?.resolve(m.results!);
    });
    this.thread.on('error', (e) => this.fail(e));
    this.thread.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the case-feed worker ended (exit code ${code})`));
    });
  }

  get failed(): boolean {
    return this.error !== null;
  }

  check(lines: Array<{ line: number; text: string }>): Promise<CheckedItem[]> {
    if (this.error) return Promise.reject(this.error);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.thread.postMessage({ id, lines });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.thread.terminate();
  }

  private take(id: number) {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    return w;
  }

  private fail(e: Error): void {
    this.error ??= e;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(this.error);
    }
  }
}
