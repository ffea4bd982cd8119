/**
 * `npm run bench`: the case-feed import against raw batched inserts, and the Case Status API lookup against a
 * bare node:http server, each pair measured in the same run. Figures and how to read them: docs/performance.md.
 *   BENCH_CASES=1000000,10000000  lookup on these seeded sizes (seeded once into bench-data/, reused)
 *   BENCH_SECONDS=15              load duration per measurement
 *   BENCH_IMPORT_ROWS=200000      records in the import comparison
 *   BENCH_SR=0                    skip the service-request benches (bench/service-requests.ts: creation, office queue;
 *                                 on PostgreSQL too when BENCH_DATABASE_URL is set)
 */
import { importBench } from './import.ts';
import { lookupBench } from './lookup.ts';
import { fmt } from './harness.ts';
import { serviceRequestBench } from './service-requests.ts';

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
