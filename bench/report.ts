/**
 * The contact center report over a synthetic year (issue 10 item 8), for the 366 days that end today: `switchboard seed --cases C --contacts N`
 * (service requests, callbacks, call reviews, case assistance requests and feedback in proportion) into a database
 * kept in bench-data/ and reused, then, in the same run on the same data:
 *  - baseline: one hand-written SQL aggregate through the bare driver (better-sqlite3 / pg), the calls of the
 *    fiscal year by tier and language: `SELECT tier, language, count(*) FROM contacts WHERE started_at >= ? AND
 *    started_at < ? GROUP BY tier, language`;
 *  - the report through ReportService (the same call the API and page make) for the fiscal year: with nothing
 *    left to sum, and after a live hour's writes (500 calls, their case links, 40 escalations and 60 service
 *    requests in the current hour, which the report sums before reading);
 *  - the report aggregated from the rows (`source: 'raw'`, the design before ADR 0014), for comparison;
 *  - `switchboard reports rebuild` (every hour summed again).
 * Each figure is the median of BENCH_REPORT_RUNS (3) runs.
 *   BENCH_YEAR_CASES=10000000 BENCH_YEAR_CONTACTS=15000000 node --import tsx bench/report.ts          SQLite
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres ... bench/report.ts                  PostgreSQL too
 *     (a database `switchboard_bench_year_<cases>_<contacts>` is created on that server once and reused)
 *   BENCH_REPORT_DATABASES=sqlite,postgres   BENCH_REPORT_RAW=0 skips the raw-rows report (slow at 15 M)
 *   BENCH_REPORT_REBUILD=0 skips the rebuild (rollups built by an earlier run): the reads alone
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { createDeps, type Deps } from '../src/wiring.ts';
import type { Actor } from '../src/platform/actor.ts';
import { dateOrInstantToInstant, todayIn } from '../src/domain/calendar.ts';
import { fmt } from './harness.ts';
import * as reportStore from '../src/reports/store.ts';

type Kind = 'sqlite' | 'postgres';
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/switchboard.mjs');
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timeIt(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export interface ReportBenchResult {
  kind: Kind; contacts: number; serviceRequests: number; cases: number; seedSeconds: number | null;
  baselineMs: number; reportMs: number; reportAfterWritesMs: number; rawReportMs: number | null; rebuildSeconds: number;
  ratio: number; calls: number;
  /** Each statement of the report alone (median of RUNS), over the same fiscal-year range. */
  statements: Record<string, number>;
}

async function environment(kind: Kind, cases: number, contacts: number, today: string) {
  const dataDir = path.join(root, 'bench-data', `year-${cases}-${contacts}${kind === 'postgres' ? '-pg' : ''}`);
  fs.mkdirSync(dataDir, { recursive: true });
  let url: string | undefined;
  if (kind === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL;
    if (!base) throw new Error('PostgreSQL needs BENCH_DATABASE_URL');
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    const name = `switchboard_bench_year_${cases}_${contacts}`;
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
    if (!exists) await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const env = { DATA_DIR: dataDir, SEED: 'none', LOG_LEVEL: 'warn', ...(url ? { DATABASE_URL: url } : {}) };
  const marker = path.join(dataDir, 'seeded.json');
  let seedSeconds: number | null = null;
  if (!fs.existsSync(marker)) {
    console.log(`seeding ${fmt(cases)} cases and ${fmt(contacts)} contacts (${kind}) into ${url ?? dataDir} (once; reused by later runs)…`);
    const t = performance.now();
    execFileSync(process.execPath, [bin, 'seed', '--cases', String(cases), '--contacts', String(contacts), '--random-seed', '1', '--today', today],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    seedSeconds = (performance.now() - t) / 1000;
    fs.writeFileSync(marker, JSON.stringify({ cases, contacts, today, seedSeconds }));
  }
  const config = loadConfig({ ...env, PASSWORD_MEMORY_KIB: '1024' });
  const deps = await createDeps(config, { database: openDatabase(config) });
  return { deps, dataDir, url, seedSeconds, env };
}

/** One hand-written aggregate through the bare driver: the fiscal year's calls by tier and language. */
async function baseline(kind: Kind, dataDir: string, url: string | undefined, start: string, end: string): Promise<{ ms: number; calls: number }> {
  const q = 'select tier, language, count(*) as n from contacts where started_at >= $1 and started_at < $2 group by tier, language';
  let calls = 0;
  if (kind === 'sqlite') {
    const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true });
    const stmt = db.prepare(q.replace('$1', '?').replace('$2', '?'));
    const ms = await timeIt(async () => { calls = (stmt.all(start, end) as Array<{ n: number }>).reduce((a, r) => a + r.n, 0); });
    db.close();
    return { ms, calls };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ms = await timeIt(async () => { calls = (await client.query(q, [start, end])).rows.reduce((a: number, r: { n: string }) => a + Number(r.n), 0); });
  await client.end();
  return { ms, calls };
}

/** A live hour: calls with case links, escalations and service requests written now, straight into the tables. */
async function liveHour(deps: Deps): Promise<void> {
  const db = deps.database.db;
  const now = new Date();
  const iso = (i: number) => new Date(now.getTime() - (i % 3_000) * 1000).toISOString();
  const receipts = (await db.selectFrom('cases').select(['receipt_number', 'office']).limit(200).execute());
  const contacts = Array.from({ length: 500 }, (_, i) => ({
    id: randomUUID(), reference: `7${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`, source: 'platform' as const, external_id: `bench-live-${randomUUID()}`,
    channel: 'phone', caller_phone: `+1202555${String(i % 300).padStart(4, '0')}`, language: i % 4 ? 'en' : 'es', tier: i % 5 ? 'tier1' : 'tier2',
    agent_staff_id: null, agent_id: null, escalated_to: null, callback_id: null, started_at: iso(i), ended_at: iso(i), disposition: null, end_notes: null, recording_uri: null, created_at: iso(i),
  }));
  for (let i = 0; i < contacts.length; i += 100) await db.insertInto('contacts').values(contacts.slice(i, i + 100)).execute();
  await db.insertInto('contact_cases').values(contacts.map((c, i) => ({ contact_id: c.id, receipt_number: receipts[i % receipts.length]!.receipt_number, verified: 1, linked_at: c.started_at }))).execute();
  for (let i = 0; i < 40; i++) {
    await db.insertInto('escalations').values({
      id: randomUUID(), contact_id: contacts[i]!.id, mode: 'callback', reason: 'bench', urgency: 'urgent', receipt_number: null, language: 'en', skills: '[]', skill_key: 'en',
      phone: null, call_window: null, window_start: null, due_at: new Date(now.getTime() + 72 * 3_600_000).toISOString(), status: 'open', attempts: 0, failed_attempts: 0,
      last_attempt_at: null, to_staff_id: null, reached_contact_id: null, notify_channel: null, notify_address: null, created_by: 'bench', created_at: iso(i), closed_at: null, updated_at: iso(i),
    } as never).execute();
  }
  for (let i = 0; i < 60; i++) {
    const r = receipts[i % receipts.length]!;
    await db.insertInto('service_requests').values({
      referral_number: `9${String(Math.floor(Math.random() * 1e14)).padStart(14, '0')}`, receipt_number: r.receipt_number, type: 'other', status: 'open', active: 1, open_slot: null,
      office: r.office ?? 'VSC', priority: 'normal', created_at: iso(i), created_date: iso(i).slice(0, 10), due_date: iso(i).slice(0, 10), creator: 'tier1', created_by: 'bench', contact_id: null,
      lang: 'en', fields: '{}', claimed_by: null, claimed_at: null, response: null, answered_by: null, answered_at: null, overdue: 0, overdue_at: null, reopen_count: 0,
      reopened_at: null, closed_at: null, form_letter_flag: 0, updated_at: iso(i),
    } as never).execute();
  }
}

export async function reportBench(kind: Kind, cases: number, contacts: number): Promise<ReportBenchResult> {
  const today = todayIn('America/New_York');
  const e = await environment(kind, cases, contacts, today);
  try {
    const deps = e.deps;
    const supervisor = await deps.staff.addUser({ email: `bench.report.${randomUUID().slice(0, 8)}@agency.test`, name: 'Bench supervisor', role: 'supervisor', password: 'bench horse battery staple' }, { kind: 'cli' });
    const actor: Actor = { kind: 'staff', user: supervisor, sessionId: 'bench' };
    // The whole seeded year: the 366 days that end today.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const query = { from: day(Date.parse(today) - 365 * 86_400_000), to: today };
    const zone = deps.agency.timeZone;
    const startWide = dateOrInstantToInstant(query.from, zone, 'start')!;
    const endWide = dateOrInstantToInstant(day(Date.parse(today) + 86_400_000), zone, 'start')!;

    // BENCH_REPORT_REBUILD=0: the rollups are already built (an earlier run of this bench); time only the reads.
    let t = performance.now();
    if (process.env.BENCH_REPORT_REBUILD !== '0') await deps.reports.rebuild();
    const rebuildSeconds = process.env.BENCH_REPORT_REBUILD === '0' ? Number.NaN : (performance.now() - t) / 1000;
    const base = await baseline(kind, e.dataDir, e.url, startWide, endWide);
    const reportMs = await timeIt(() => deps.reports.contactCenter(actor, query));
    const first = (await deps.reports.contactCenter(actor, query)).report;
    if (first.calls.total !== base.calls) throw new Error(`the report counts ${first.calls.total} calls, the baseline ${base.calls}`);
    const afterWrites: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await liveHour(deps);
      t = performance.now();
      await deps.reports.contactCenter(actor, query);
      afterWrites.push(performance.now() - t);
    }
    const db = deps.database.db;
    const range = { start: startWide, end: endWide };
    const nowIso = new Date().toISOString();
    const statements: Record<string, number> = {
      'refresh, nothing marked': await timeIt(() => deps.reports.refresh()),
      'rollup sums (days and edge hours)': await timeIt(() => reportStore.rollupSums(db, range)),
      'repeat callers (COUNT over ordered rows)': await timeIt(() => reportStore.rollupRepeatCallers(db, range)),
      'open callbacks past due': await timeIt(() => reportStore.openLateCallbacks(db, range, nowIso)),
      'call reviews': await timeIt(() => reportStore.callReviewCount(db, range)),
      'case assistance requests': await timeIt(() => reportStore.caseAssistanceCount(db, range)),
      'feedback': await timeIt(() => reportStore.feedbackCounts(db, range)),
      'alerts': await timeIt(() => reportStore.alertCounts(db, range)),
    };
    const rawReportMs = process.env.BENCH_REPORT_RAW === '0' ? null : await timeIt(() => deps.reports.contactCenter(actor, query, { source: 'raw' }), 1);
    const srs = Number((await deps.database.db.selectFrom('service_requests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      kind, contacts, cases, serviceRequests: srs, seedSeconds: e.seedSeconds, baselineMs: base.ms, reportMs, reportAfterWritesMs: median(afterWrites),
      rawReportMs, rebuildSeconds, ratio: reportMs / base.ms, calls: base.calls, statements,
    };
  } finally {
    await e.deps.database.close();
  }
}

export function printReportBench(r: ReportBenchResult): void {
  console.log(`report over a year on ${r.kind}: ${fmt(r.calls)} calls in the period (${fmt(r.contacts)} contacts, ${fmt(r.serviceRequests)} service requests, ${fmt(r.cases)} cases)${r.seedSeconds ? `; seeded in ${r.seedSeconds.toFixed(0)} s` : ''}`);
  console.log(`  one hand-written aggregate (bare driver)   ${r.baselineMs.toFixed(0)} ms`);
  console.log(`  the report, nothing left to sum            ${r.reportMs.toFixed(0)} ms   ratio ${fmt(r.ratio, 2)} of the aggregate`);
  console.log(`  the report after a live hour's writes      ${r.reportAfterWritesMs.toFixed(0)} ms   ratio ${fmt(r.reportAfterWritesMs / r.baselineMs, 2)}`);
  if (r.rawReportMs !== null) console.log(`  the report from the rows (before ADR 0014) ${r.rawReportMs.toFixed(0)} ms   ratio ${fmt(r.rawReportMs / r.baselineMs, 2)}`);
  console.log(`  switchboard reports rebuild                ${Number.isNaN(r.rebuildSeconds) ? 'not run (BENCH_REPORT_REBUILD=0)' : `${r.rebuildSeconds.toFixed(1)} s`}`);
  console.log('  the report\'s statements, each alone:');
  for (const [name, ms] of Object.entries(r.statements)) console.log(`    ${name.padEnd(42)} ${ms.toFixed(1)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = Number(process.env.BENCH_YEAR_CASES ?? 1_000_000);
  const contacts = Number(process.env.BENCH_YEAR_CONTACTS ?? 1_500_000);
  const kinds = (process.env.BENCH_REPORT_DATABASES ?? (process.env.BENCH_DATABASE_URL ? 'sqlite,postgres' : 'sqlite')).split(',') as Kind[];
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  for (const kind of kinds) printReportBench(await reportBench(kind, cases, contacts));
}
