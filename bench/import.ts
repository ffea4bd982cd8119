/**
 * Case-feed import rows/s (NDJSON parsed, validated, hashed, compared and upserted by CaseFeedService, with its
 * audit entries) against raw batched inserts of the same, already-built rows into the same SQLite table, in one run.
 *   BENCH_IMPORT_ROWS=200000 node --import tsx bench/import.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { openDatabase, openSqlite } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { loadAgency } from '../src/platform/reference.ts';
import { AuditService } from '../src/audit/service.ts';
import { CaseFeedService } from '../src/cases/service.ts';
import { checkFeedRecord, feedVocabulary } from '../src/cases/feed-record.ts';
import { ndjsonRecords } from '../src/cases/feed-stream.ts';
import { createGenerator, nextCase } from '../src/cases/seed/generate.ts';
import type { CaseTable } from '../src/platform/db/schema.ts';

async function freshDatabase() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const handle = openDatabase({ databaseUrl: null, dataDir });
  await migrateToLatest(handle);
  return { handle, dataDir, file: path.join(dataDir, 'switchboard.db') };
}

export async function importBench(rows: number) {
  const agency = loadAgency('uscis');
  const vocabulary = feedVocabulary(agency);
  const gen = createGenerator(7, '2026-11-29');
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(JSON.stringify(nextCase(gen)));
  const ndjson = `${lines.join('\n')}\n`;
  const now = new Date().toISOString();
  const built = lines.map((l) => checkFeedRecord(JSON.parse(l), vocabulary, now)).map((c) => (c.ok ? c.row : null)).filter((r): r is CaseTable => r !== null);

  // Baseline: one prepared INSERT, 1,000 rows a transaction, same durability settings.
  const raw = await freshDatabase();
  await raw.handle.close();
  const sqlite = openSqlite(raw.file);
  const columns = Object.keys(built[0]!);
  const insert = sqlite.prepare(`insert into cases (${columns.join(',')}) values (${columns.map((c) => `@${c}`).join(',')})`);
  const insertMany = sqlite.transaction((batch: CaseTable[]) => { for (const r of batch) insert.run(r); });
  let started = performance.now();
  for (let i = 0; i < built.length; i += 1000) insertMany(built.slice(i, i + 1000));
  const rawSeconds = (performance.now() - started) / 1000;
  sqlite.close();

  // Switchboard: the feed as it arrives, through the service.
  const sb = await freshDatabase();
  const feed = new CaseFeedService(sb.handle.db, new AuditService(sb.handle.db), vocabulary, undefined, {}, sb.handle.sqlite);
  started = performance.now();
  const result = await feed.import(ndjsonRecords(Readable.from([ndjson])), { kind: 'cli' });
  const feedSeconds = (performance.now() - started) / 1000;
  // Re-sending the same feed: every record compared, none written.
  started = performance.now();
  const again = await feed.import(ndjsonRecords(Readable.from([ndjson])), { kind: 'cli' });
  const resendSeconds = (performance.now() - started) / 1000;
  await sb.handle.close();
  for (const d of [raw.dataDir, sb.dataDir]) fs.rmSync(d, { recursive: true, force: true });

  if (result.accepted !== rows || again.changed !== 0) throw new Error(`unexpected import result ${JSON.stringify({ accepted: result.accepted, changed: again.changed })}`);
  const rawRate = built.length / rawSeconds;
  const feedRate = rows / feedSeconds;
  return { rows, rawInsertsPerSecond: Math.round(rawRate), feedRowsPerSecond: Math.round(feedRate), ratio: feedRate / rawRate, resendRowsPerSecond: Math.round(rows / resendSeconds) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await importBench(Number(process.env.BENCH_IMPORT_ROWS ?? 200_000)), null, 2));
}
