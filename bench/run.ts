/**
 * `npm run bench`: the case-feed import against raw batched inserts, and the Case Status API lookup against a
 * bare node:http server, each pair measured in the same run. Figures and how to read them: docs/performance.md.
 *   BENCH_CASES=1000000,10000000  lookup on these seeded sizes (seeded once into bench-data/, reused)
 *   BENCH_SECONDS=15              load duration per measurement
 *   BENCH_IMPORT_ROWS=200000      records in the import comparison
 *   BENCH_SR=0                    skip the service-request benches (bench/service-requests.ts: creation, office queue;
 *                                 on PostgreSQL too when BENCH_DATABASE_URL is set)
 *   bench/seed.ts                 the bulk seed against raw inserts of its rows (BENCH_SEED_CASES)
 *   bench/measure-all.sh          the whole picture in one sitting (docs/performance.md)
 * `npm run bench -- --quick`: the regression guard (issue 11 item 5; CI does not run it). Each hot path at a small
 * size on SQLite, each against its same-run baseline, in about two minutes once bench-data/ holds its seeds (the
 * first run seeds them), ending with one table of ratios: a change that slows a hot path shows as a smaller ratio.
 * The sizes are too small for the targets' own figures (docs/performance.md has those); compare ratios run to run.
 */
import { importBench } from './import.ts';
import { lookupBench } from './lookup.ts';
import { fmt } from './harness.ts';
import { creationBench, serviceRequestBench } from './service-requests.ts';
import { reportBench } from './report.ts';
import { seedBench } from './seed.ts';

if (process.argv.includes('--quick')) {
  await quick();
  process.exit(0);
}

const sizes = (process.env.BENCH_CASES ?? '1000000').split(',').map(Number).filter((n) => n > 0);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);

console.log(`node ${process.version}, ${new Date().toISOString()}`);
const imp = await importBench(Number(process.env.BENCH_IMPORT_ROWS ?? 200_000));
console.log(`import: ${fmt(imp.rows)} records — feed ${fmt(imp.feedRowsPerSecond)} rows/s, raw inserts ${fmt(imp.rawInsertsPerSecond)} rows/s, ratio ${fmt(imp.ratio, 2)}; re-sent unchanged ${fmt(imp.resendRowsPerSecond)} rows/s`);
for (const cases of sizes) {
  const r = await lookupBench(cases, seconds);
  console.log(`lookup on ${fmt(cases)} cases (${r.bodyBytes}-byte answers):`);
  console.log(`  bare node:http  ${fmt(r.baseline.requestsPerSecond)} req/s, p99 ${r.baseline.p99Ms} ms, ${r.baseline.cpuMicrosPerRequest} µs CPU/request`);
  console.log(`  switchboard     ${fmt(r.switchboard.requestsPerSecond)} req/s, p99 ${r.switchboard.p99Ms} ms, ${r.switchboard.cpuMicrosPerRequest} µs CPU/request (non-2xx ${r.switchboard.non2xx})`);
  console.log(`  /healthz        ${fmt(r.healthz.requestsPerSecond)} req/s, ${r.healthz.cpuMicrosPerRequest} µs CPU/request (the framework and hooks alone)`);
  console.log(`  ratio: ${fmt(r.ratio, 2)} of the bare server's requests/s; ${fmt(r.cpuRatio, 2)} by CPU per request`);
}
if (process.env.BENCH_SR !== '0') await serviceRequestBench(true);

/** The regression guard: small sizes, SQLite, one table of ratios (higher is better in every row). */
async function quick(): Promise<void> {
  const started = performance.now();
  console.log(`node ${process.version}, ${new Date().toISOString()}; npm run bench -- --quick (SQLite, small sizes)`);
  const rows: Array<[string, string, string, number, string]> = [];
  const imp = await importBench(20_000);
  rows.push(['case feed import, 20,000 records', `${fmt(imp.feedRowsPerSecond)} rows/s`, `raw batched inserts ${fmt(imp.rawInsertsPerSecond)} rows/s`, imp.ratio, '≥ 0.50']);
  const look = await lookupBench(50_000, 3);
  rows.push(['status lookup, 50,000 cases, 50 connections', `${fmt(look.switchboard.requestsPerSecond)} req/s, p99 ${look.switchboard.p99Ms} ms`, `bare node:http ${fmt(look.baseline.requestsPerSecond)} req/s`, look.ratio, '≥ 0.60']);
  const seed = await seedBench(200_000);
  rows.push(['bulk seed, 200,000 cases (process start included)', `${fmt(seed.seedPerSecond)} cases/s (10 M: ${fmt(seed.tenMillionMinutes, 1)} min)`, `raw inserts of the rows ${fmt(seed.rawPerSecond)}/s`, seed.ratio, '10 M < 10 min']);
  const sr = await creationBench('sqlite', { creates: 300, cases: 20_000 });
  rows.push(['service request creation (service, with a key)', `${fmt(sr.createPerSecond)}/s`, `raw durable commits ${fmt(Math.round((sr.rawCommitsPerSecond.before + sr.rawCommitsPerSecond.after) / 2))}/s`, sr.ratio, '']);
  const rep = await reportBench('sqlite', 20_000, 200_000);
  // Inverted so that higher is better here too: the aggregate's time over the report's.
  rows.push(['contact center report, a year of 200,000 calls', `${fmt(rep.reportMs, 0)} ms`, `one aggregate ${fmt(rep.baselineMs, 0)} ms`, rep.baselineMs / rep.reportMs, '≥ 0.67 (report ≤ 1.5x)']);
  const w = [0, 0, 0];
  const cells = rows.map(([a, b, c, r, t]) => [a, b, c, fmt(r, 2), t] as const);
  for (const c of cells) for (let i = 0; i < 3; i++) w[i] = Math.max(w[i]!, c[i]!.length);
  console.log('');
  console.log(`${'hot path'.padEnd(w[0]!)}  ${'switchboard'.padEnd(w[1]!)}  ${'baseline (same run)'.padEnd(w[2]!)}  ratio  target at full size`);
  for (const c of cells) console.log(`${c[0].padEnd(w[0]!)}  ${c[1].padEnd(w[1]!)}  ${c[2].padEnd(w[2]!)}  ${c[3].padStart(5)}  ${c[4]}`);
  console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);
}
