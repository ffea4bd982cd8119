/**
 * Loading synthetic cases: the generator's records streamed through the same case feed as any other
 * (CaseFeedService.import: validation, batched upserts, audit), so seeded data is data the feed accepts.
 */
import type { Actor } from '../../platform/actor.ts';
import type { Status } from '../../platform/reference.ts';
import type { CaseFeedService, RejectedLine } from '../service.ts';
import { createGenerator, seedFeed } from './generate.ts';
import { SampleCollector, type Sample } from './samples.ts';

/** The largest seed the receipt-number space is sized for (CONTRACT.md: 10 million cases must work). */
export const MAX_SEED_CASES = 10_000_000;
export const DEFAULT_RANDOM_SEED = 1;
export const SEED_BATCH_SIZE = 2000;

export interface SeedOptions {
  cases: number;
  randomSeed: number;
  /** YYYY-MM-DD: receipts spread over the three years before it; nothing happens after it. */
  today: string;
  batchSize?: number;
  /** Called after each batch with the number of records loaded so far. */
  onProgress?: (done: number) => void;
}

export interface SeedResult {
  accepted: number;
  changed: number;
  /** Always empty unless the generator and the feed disagree (a bug). */
  rejected: RejectedLine[];
  seconds: number;
  samples: Sample[];
}

/** Generates and loads `cases` records; returns counts, elapsed seconds and receipt numbers to try. */
export async function seedCases(feed: CaseFeedService, options: SeedOptions, actor: Actor): Promise<SeedResult> {
  const started = performance.now();
  const state = createGenerator(options.randomSeed, options.today);
  const collector = new SampleCollector(options.today);
  const r = await feed.import(seedFeed(state, options.cases, (rec) => collector.observe(rec)), actor, {
    batchSize: options.batchSize ?? SEED_BATCH_SIZE,
    onBatch: (p) => options.onProgress?.(p.accepted + p.rejected),
  });
  return { accepted: r.accepted, changed: r.changed, rejected: r.rejected, seconds: (performance.now() - started) / 1000, samples: collector.samples() };
}

/** Lines naming the receipt numbers to try, with their current status titles. */
export function formatSamples(samples: readonly Sample[], statuses: readonly Status[]): string[] {
  const titles = new Map(statuses.map((s) => [s.code, s.title.en]));
  return samples.map((s) => `  ${s.receiptNumber}  ${s.formType.padEnd(6)}  ${titles.get(s.status) ?? s.status}: ${s.why}`);
}

/** "25,000 cases in 3.1 s (8,100 a second)". */
export function formatRate(count: number, seconds: number): string {
  const rate = seconds > 0 ? Math.round(count / seconds) : count;
  return `${count.toLocaleString('en-US')} cases in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} a second)`;
}
