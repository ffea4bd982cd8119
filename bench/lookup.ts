/**
 * Status lookup through the agency-compatible JSON API (GET /case-status/{rn}) on N seeded cases, against a
 * bare node:http server answering a same-size JSON body, in the same run. Reports requests/s, p50/p99 and the ratio.
 *   BENCH_CASES=1000000 BENCH_SECONDS=15 node --import tsx bench/lookup.ts
 * BENCH_CONNECTIONS (default 50, issue 11's figure: p99 at 50 connections <= 20 ms) sets the load generator's connections.
 * BENCH_DATABASE_URL=postgres://…  the same on PostgreSQL: the cases seeded once into schema bench_lookup_N of that
 *                                  database (reused by later runs), the server started with DATABASE_URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import pg from 'pg';
import { fmt, load, startChild } from './harness.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/switchboard.mjs');

/** Where the bench's cases live: a SQLite file under bench-data/, or a schema of BENCH_DATABASE_URL's database. */
function benchStore(cases: number, databaseUrl: string | undefined) {
  if (databaseUrl) {
    const schema = `bench_lookup_${cases}`;
    const url = new URL(databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const query = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query(`create schema if not exists ${schema}`);
        await c.query(`set search_path = ${schema}`);
        return (await c.query(text, params)).rows as T[];
      } finally {
        await c.end();
      }
    };
    return {
      kind: 'postgres' as const, where: `schema ${schema}`, env: { DATABASE_URL: url.toString() },
      count: async () => Number((await query<{ n: string }>("select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = 'cases'"))[0]!.n) === 0
        ? 0 : Number((await query<{ n: string }>('select count(*) as n from cases'))[0]!.n),
      receipts: async (step: number) => (await query<{ receipt_number: string }>('select receipt_number from (select receipt_number, row_number() over (order by receipt_number) as i from cases) x where i % $1 = 0 limit 20000', [step])).map((r) => r.receipt_number),
    };
  }
  const dataDir = path.join(root, 'bench-data', `cases-${cases}`);
  const dbFile = path.join(dataDir, 'switchboard.db');
  return {
    kind: 'sqlite' as const, where: dataDir, env: { DATA_DIR: dataDir },
    count: async () => (fs.existsSync(dbFile) ? (new Database(dbFile, { readonly: true }).prepare('select count(*) as n from cases').get() as { n: number }).n : 0),
    receipts: async (step: number) => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return (db.prepare('select receipt_number from cases where rowid % ? = 0 limit 20000').all(step) as Array<{ receipt_number: string }>).map((r) => r.receipt_number);
      } finally {
        db.close();
      }
    },
  };
}

export async function lookupBench(cases: number, seconds: number, connections = Number(process.env.BENCH_CONNECTIONS ?? 50), databaseUrl = process.env.BENCH_DATABASE_URL) {
  const where = benchStore(cases, databaseUrl);
  const env = { ...where.env, SEED: 'none', LOG_LEVEL: 'warn', PUBLIC_RATE_LIMIT: '1000000' };
  if ((await where.count()) < cases) {
    console.log(`seeding ${fmt(cases)} cases into ${where.where} (once; reused by later runs)…`);
    execFileSync(process.execPath, [bin, 'seed', '--cases', String(cases), '--random-seed', '1'], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const client = JSON.parse(execFileSync(process.execPath, [bin, 'client', 'add', '--name', `bench-${Date.now()}`, '--scopes', 'case-status', '--per-second', '0', '--per-day', '0'], { env: { ...process.env, ...env } }).toString());

  // 20,000 receipt numbers spread over the table, in random order.
  const receipts = await where.receipts(Math.max(1, Math.floor(cases / 20_000)));
  receipts.sort(() => Math.random() - 0.5);
  const paths = receipts.map((r) => `/case-status/${r}`);

  const app = await startChild([bin, 'serve'], { ...env, PORT: '0' }, /serving http:\/\/[^:]+:(\d+)/);
  try {
    const tokenRes = await fetch(`http://127.0.0.1:${app.port}/oauth/accesstoken`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=${encodeURIComponent(client.client_secret)}`,
    });
    const token = (await tokenRes.json()).access_token as string;
    const headers = { authorization: `Bearer ${token}` };
    const sample = await fetch(`http://127.0.0.1:${app.port}${paths[0]}`, { headers });
    if (sample.status !== 200) throw new Error(`lookup answered ${sample.status}: ${await sample.text()}`);
    const body = await sample.text();

    const bare = await startChild(['--import', 'tsx', path.join(root, 'bench/bare-server.ts')], { BARE_BODY: body }, /listening (\d+)/);
    try {
      // Warm-up: every receipt number read once before measuring (the file's pages in memory), then both servers.
      for (let i = 0; i < paths.length; i += 200) await Promise.all(paths.slice(i, i + 200).map((p) => fetch(`http://127.0.0.1:${app.port}${p}`, { headers }).then((r) => r.arrayBuffer())));
      await load(bare.port, paths, headers, 3);
      await load(app.port, paths, headers, 3);
      const baseline = await load(bare.port, paths, headers, seconds, connections, bare.process.pid);
      const switchboard = await load(app.port, paths, headers, seconds, connections, app.process.pid);
      // The same lookups with a trailing slash: not the fast path's form, so Fastify's route answers them (the
      // framework's share of the cost, in the same run).
      const routed = await load(app.port, paths.map((p) => `${p}/`), headers, seconds, connections, app.process.pid);
      const health = await load(app.port, ['/healthz'], {}, Math.max(3, Math.round(seconds / 3)), connections, app.process.pid);
      return {
        cases, database: where.kind, connections, bodyBytes: body.length, baseline, switchboard, routed, healthz: health,
        routedRatio: routed.requestsPerSecond / baseline.requestsPerSecond,
        ratio: switchboard.requestsPerSecond / baseline.requestsPerSecond,
        cpuRatio: baseline.cpuMicrosPerRequest / switchboard.cpuMicrosPerRequest,
      };
    } finally {
      await bare.stop();
    }
  } finally {
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await lookupBench(Number(process.env.BENCH_CASES ?? 1_000_000), Number(process.env.BENCH_SECONDS ?? 15));
  console.log(JSON.stringify(r, null, 2));
}
