/**
 * The bulk seed (issue 11 item 3) against raw inserts of the same rows, in one run: (a) `switchboard seed --cases N`
 * into a fresh SQLite file, timed from outside (process start included: what a person waits for); (b) the same N
 * rows, already built, inserted through one prepared better-sqlite3 statement in one transaction with the seed's own
 * load settings and indexes re-created after (the least any load of these rows can cost on this machine).
 *   BENCH_SEED_CASES=200000 node --import tsx bench/seed.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { loadAgency } from '../src/platform/reference.ts';
import { checkFeedRecord, feedVocabulary } from '../src/cases/feed-record.ts';
import { CASE_COLUMNS } from '../src/cases/store.ts';
import { createGenerator, nextCase } from '../src/cases/seed/generate.ts';
import * as seedStore from '../src/cases/seed/store.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/switchboard.mjs');

export async function seedBench(cases: number) {
  const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-seed-'));
  let started = performance.now();
  const out = execFileSync(process.execPath, [bin, 'seed', '--cases', String(cases), '--random-seed', '1'], { env: { ...process.env, DATA_DIR: seedDir, LOG_LEVEL: 'warn' } }).toString();
  const seedSeconds = (performance.now() - started) / 1000;
  const bytes = fs.statSync(path.join(seedDir, 'switchboard.db')).size;
  fs.rmSync(seedDir, { recursive: true, force: true });
  if (!out.startsWith(`Seeded ${cases.toLocaleString('en-US')} cases`)) throw new Error(`unexpected seed output: ${out.slice(0, 200)}`);

  // The same rows, built before the clock starts (the generator's records through the feed's mapping).
  const vocabulary = feedVocabulary(loadAgency('uscis'));
  const gen = createGenerator(1, new Date().toISOString().slice(0, 10));
  const now = new Date().toISOString();
  const rows: unknown[][] = [];
  for (let i = 0; i < cases; i++) {
    const c = checkFeedRecord(nextCase(gen), vocabulary, now);
    if (c.ok) rows.push(CASE_COLUMNS.map((k) => c.row[k]));
  }
  const rawDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-seed-raw-'));
  const handle = openDatabase({ databaseUrl: null, dataDir: rawDir });
  await migrateToLatest(handle);
  await seedStore.setSqliteFastLoad(handle.db);
  const indexes = await seedStore.secondaryIndexes(handle.db, 'sqlite', ['cases']);
  const sqlite = handle.sqlite!;
  started = performance.now();
  sqlite.exec('begin');
  for (const ix of indexes) sqlite.exec(`drop index ${ix.name}`);
  const insert = sqlite.prepare(`insert into cases (${CASE_COLUMNS.join(',')}) values (${CASE_COLUMNS.map(() => '?').join(',')})`);
  for (const r of rows) insert.run(r);
  for (const ix of indexes) sqlite.exec(ix.sql);
  sqlite.exec('commit');
  const rawSeconds = (performance.now() - started) / 1000;
  await handle.close();
  fs.rmSync(rawDir, { recursive: true, force: true });
  return {
    cases, seedSeconds, seedPerSecond: Math.round(cases / seedSeconds), rawSeconds, rawPerSecond: Math.round(rows.length / rawSeconds),
    ratio: rawSeconds / seedSeconds, bytesPerCase: Math.round(bytes / cases),
    /** At this rate, 10 million cases would take (minutes). */
    tenMillionMinutes: (10_000_000 / (cases / seedSeconds)) / 60,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await seedBench(Number(process.env.BENCH_SEED_CASES ?? 200_000)), null, 2));
}
