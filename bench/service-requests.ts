/**
 * Service requests (issue 7 item 10), each figure against a baseline measured in the same run on the same kind of
 * database:
 *  - creation through ServiceRequestService.create (rules, Idempotency-Key reservation, the request, its first
 *    history event and its audit entry, committed together) against raw durable single-row commits: SQLite, a
 *    better-sqlite3 file in WAL mode with synchronous=FULL, one INSERT of a row as wide as a request per transaction;
 *    PostgreSQL, one INSERT per transaction over pg. Also through HTTP (POST /api/v1/service-requests on a
 *    listening server), and claim + respond (the answer, its outbox mail, events and audit entries).
 *  - an office queue page with 100,000 open requests in the office (and 100,000 more elsewhere or finished):
 *    p50/p95/p99 of the service call and of GET /api/v1/offices/VSC/service-requests, plus the parts of the
 *    store's query measured apart (the page alone, the count alone, a keyset page) and their query plans.
 *   node --import tsx bench/service-requests.ts                              SQLite
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/service-requests.ts   both
 *   BENCH_SR_CREATES=2000  creations per creation figure      BENCH_SR_QUEUE=100000  open requests in the office
 *   BENCH_SR_CALLS=500     calls per queue figure             BENCH_SR_DATABASES=sqlite,postgres
 *   BENCH_SR_PARTS=creation,queue   which halves to run       BENCH_PLANS=1  print the query plans
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CompiledQuery, sql } from 'kysely';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase, openSqlite, type Db } from '../src/platform/db/database.ts';
import { createDeps, type Deps } from '../src/wiring.ts';
import { buildApp } from '../src/app.ts';
import type { Actor, StaffUser } from '../src/platform/actor.ts';
import { idempotencyScope, requestHash } from '../src/platform/idempotency/key.ts';
import { seedCases } from '../src/cases/seed/run.ts';
import { insertRequests, type ServiceRequestRow } from '../src/service-requests/store.ts';
import { newReferralNumber } from '../src/domain/referral-number.ts';
import type { ServiceRequestStatus } from '../src/platform/db/schema.ts';
import { fmt } from './harness.ts';

type Kind = 'sqlite' | 'postgres';
const PASSWORD = 'bench horse battery staple';
const ROUTE = '/api/v1/service-requests';

export interface Latency { p50: number; p95: number; p99: number; mean: number; max: number }

function summarise(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: round(s.reduce((a, b) => a + b, 0) / s.length), max: round(s[s.length - 1]!) };
}
const round = (n: number) => Math.round(n * 100) / 100;

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i); // warm-up: statement caches, JIT
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return summarise(ms);
}

/** Runs `n` calls of `fn`, `concurrency` at a time; returns calls per second. */
async function rate(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) await fn(i);
  }));
  return n / ((performance.now() - started) / 1000);
}

interface Env {
  kind: Kind;
  deps: Deps;
  dataDir: string;
  /** The schema's URL on PostgreSQL (search_path set), for the raw baseline. */
  pgUrl?: string;
  drop(): Promise<void>;
}

async function freshEnvironment(kind: Kind, baseUrl: string | undefined): Promise<Env> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-sr-'));
  let url: string | undefined;
  let schema: string | undefined;
  if (kind === 'postgres') {
    if (!baseUrl) throw new Error('PostgreSQL needs BENCH_DATABASE_URL');
    schema = `bench_sr_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(baseUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
  }
  const config = loadConfig({ DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}), SEED: 'none', LOG_LEVEL: 'warn', PASSWORD_MEMORY_KIB: '1024' });
  const deps = await createDeps(config, { database: openDatabase(config) });
  return {
    kind, deps, dataDir, ...(url ? { pgUrl: url } : {}),
    async drop() {
      await deps.database.close();
      if (schema) {
        const admin = new pg.Client({ connectionString: baseUrl });
        await admin.connect();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function staffActor(deps: Deps, role: 'tier1' | 'office', office?: string): Promise<{ actor: Actor & { kind: 'staff' }; user: StaffUser; email: string }> {
  const email = `bench.${role}.${office ?? 'x'}.${randomBytes(3).toString('hex')}@agency.test`;
  const user = await deps.staff.addUser({ email, name: `Bench ${role} ${office ?? ''}`.trim(), role, office, password: PASSWORD }, { kind: 'cli' });
  return { actor: { kind: 'staff', user, sessionId: 'bench' }, user, email };
}

/** A request row as wide as the service's (all its columns), for the raw baseline. */
function rawRow(i: number) {
  const now = new Date().toISOString();
  return {
    referral_number: `${newReferralNumber()}${i}`, receipt_number: `EAC26${String(90000000 + i)}`, type: 'other', status: 'open', active: 1,
    open_slot: `EAC26${String(90000000 + i)} other`, office: 'VSC', priority: 'normal', created_at: now, created_date: now.slice(0, 10),
    due_date: '2026-12-24', creator: 'tier1', created_by: 'staff:01JBENCHBENCHBENCHBENCHBEN', contact_id: null, lang: 'en',
    fields: JSON.stringify({ details: `Caller asks about the case (bench ${i}); wants to know what happens next.` }),
    claimed_by: null, claimed_at: null, response: null, answered_by: null, answered_at: null, overdue: 0, overdue_at: null,
    reopen_count: 0, reopened_at: null, closed_at: null, form_letter_flag: 0, updated_at: now,
  };
}
const RAW_COLUMNS = Object.keys(rawRow(0));
const RAW_TABLE = `create table raw_requests (${RAW_COLUMNS.map((c) => `${c} ${['active', 'overdue', 'reopen_count', 'form_letter_flag'].includes(c) ? 'integer' : 'text'}${c === 'referral_number' ? ' primary key' : ''}`).join(', ')})`;

/** Raw durable single-row commits on SQLite: WAL, synchronous=FULL (openSqlite), one INSERT per transaction. */
function sqliteBaseline(dir: string, n: number): number {
  const db = openSqlite(path.join(dir, 'raw.db'));
  db.exec(RAW_TABLE);
  const insert = db.prepare(`insert into raw_requests (${RAW_COLUMNS.join(',')}) values (${RAW_COLUMNS.map((c) => `@${c}`).join(',')})`);
  const rows = Array.from({ length: n + 50 }, (_, i) => rawRow(i));
  for (let i = 0; i < 50; i++) insert.run(rows[i]); // warm-up
  const started = performance.now();
  for (let i = 50; i < rows.length; i++) insert.run(rows[i]); // autocommit: each its own transaction, fsynced
  const perSecond = n / ((performance.now() - started) / 1000);
  db.close();
  return perSecond;
}

/** Raw durable single-row commits on PostgreSQL: one INSERT per transaction over pg, `concurrency` connections. */
async function pgBaseline(url: string, n: number, concurrency: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query(`${RAW_TABLE.replace('create table raw_requests', 'create table if not exists raw_requests')}`);
  const text = `insert into raw_requests (${RAW_COLUMNS.join(',')}) values (${RAW_COLUMNS.map((_, i) => `$${i + 1}`).join(',')})`;
  const base = concurrency * 1_000_000;
  const rows = Array.from({ length: n + 50 }, (_, i) => Object.values(rawRow(base + i)));
  for (let i = 0; i < 50; i++) await pool.query({ name: 'raw-insert', text, values: rows[i]! });
  const perSecond = await rate(n, concurrency, (i) => pool.query({ name: 'raw-insert', text, values: rows[50 + i]! }));
  await pool.end();
  return perSecond;
}

interface Server { url: string; close(): Promise<void> }
async function listen(deps: Deps): Promise<Server> {
  const app = await buildApp(deps);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, close: () => app.close() };
}

async function signIn(server: Server, email: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

// ── creation ─────────────────────────────────────────────────────────────────────────────────────────────

export async function creationBench(kind: Kind, options: { creates: number; cases: number; baseUrl?: string | undefined }) {
  const env = await freshEnvironment(kind, options.baseUrl);
  const { deps } = env;
  try {
    const today = new Date().toISOString().slice(0, 10);
    const seeded = await seedCases(deps.feed, { cases: options.cases, randomSeed: 3, today }, { kind: 'cli' });
    const cases = await deps.database.db.selectFrom('cases').select(['receipt_number', 'office']).execute();
    cases.sort(() => Math.random() - 0.5);
    const n = options.creates;
    if (cases.length < 3.5 * n + 200) throw new Error(`need ${3.5 * n + 200} cases for the creation figures, have ${cases.length}`);
    const agent = await staffActor(deps, 'tier1');
    const scope = idempotencyScope(agent.actor, 'POST', ROUTE);
    let used = 0;
    const nextCase = () => cases[used++]!;
    const input = (receiptNumber: string, i: number) => ({ receiptNumber, type: 'other', details: `Caller asks what is happening with the case and when to expect news (bench ${i}).` });
    const created: Array<{ referral: string; office: string }> = [];
    const createOne = async (i: number, keep = false, withKey = true) => {
      const c = nextCase();
      const body = input(c.receipt_number, i);
      const answer = await deps.serviceRequests.create(agent.actor, body, { scope, key: withKey ? `bench-${i}-${randomBytes(4).toString('hex')}` : null, requestHash: requestHash({ method: 'POST', route: ROUTE, body }) }, { traceId: `bench-${i}` });
      if (answer.status !== 201) throw new Error(`create answered ${answer.status}: ${answer.body}`);
      if (keep) created.push({ referral: (JSON.parse(answer.body) as { referralNumber: string }).referralNumber, office: c.office });
    };

    // Baselines and the service alternate (baseline, service, baseline) so drift on a noisy machine shows.
    const baseline = async (concurrency: number) => (kind === 'sqlite' ? sqliteBaseline(fs.mkdtempSync(path.join(env.dataDir, 'raw-')), n) : pgBaseline(env.pgUrl!, n, concurrency));
    for (let i = 0; i < 50; i++) await createOne(-1 - i); // warm-up
    const rawBefore = await baseline(1);
    let cpu = process.cpuUsage();
    const sequential = await rate(n, 1, (i) => createOne(i, true));
    cpu = process.cpuUsage(cpu);
    const cpuMsPerCreate = round((cpu.user + cpu.system) / 1000 / n);
    const rawAfter = await baseline(1);
    // Without an Idempotency-Key: the work's transaction alone (one commit instead of the reservation's and the work's).
    const noKeyN = Math.round(n / 2);
    const noKey = await rate(noKeyN, 1, (i) => createOne(3 * n + i, false, false));
    const concurrent = await rate(n, 8, (i) => createOne(n + i));
    const rawConcurrent = kind === 'postgres' ? await baseline(8) : null;

    // Through HTTP: POST /api/v1/service-requests with a bearer token and an Idempotency-Key, one at a time.
    const server = await listen(deps);
    let http: number;
    let httpLatency: Latency;
    try {
      const token = await signIn(server, agent.email);
      const post = async (i: number) => {
        const c = nextCase();
        const res = await fetch(`${server.url}${ROUTE}`, {
          method: 'POST', body: JSON.stringify(input(c.receipt_number, i)),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `bench-http-${i}-${randomBytes(4).toString('hex')}` },
        });
        if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      };
      const httpN = Math.min(n, cases.length - used - 100);
      const ms: number[] = [];
      const started = performance.now();
      for (let i = 0; i < httpN; i++) {
        const t = performance.now();
        await post(2 * n + i);
        ms.push(performance.now() - t);
      }
      http = httpN / ((performance.now() - started) / 1000);
      httpLatency = summarise(ms);
    } finally {
      await server.close();
    }

    // Claim + respond (the answer and its outbox mail commit together) on the sequentially created requests.
    const officeActors = new Map<string, Actor>();
    for (const office of new Set(created.map((c) => c.office))) officeActors.set(office, (await staffActor(deps, 'office', office)).actor);
    const outboxBefore = Number((await deps.database.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const answer = 'We looked at the case today. It is with an officer now; we will mail a notice when a decision is made.';
    const respondN = Math.min(created.length, n);
    const respond = await rate(respondN, 1, async (i) => {
      const r = created[i]!;
      const office = officeActors.get(r.office)!;
      await deps.serviceRequests.claim(office, r.referral, `bench-claim-${i}`);
      await deps.serviceRequests.respond(office, r.referral, answer, `bench-respond-${i}`);
    });
    const mailed = Number((await deps.database.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) - outboxBefore;

    const raw = (rawBefore + rawAfter) / 2;
    return {
      kind, cases: seeded.accepted, creates: n,
      rawCommitsPerSecond: { before: Math.round(rawBefore), after: Math.round(rawAfter), ...(rawConcurrent ? { concurrency8: Math.round(rawConcurrent) } : {}) },
      createPerSecond: Math.round(sequential), ratio: round(sequential / raw), cpuMsPerCreate,
      createWithoutKeyPerSecond: Math.round(noKey), ratioWithoutKey: round(noKey / raw),
      createConcurrency8PerSecond: Math.round(concurrent), ratioConcurrency8: round(concurrent / (rawConcurrent ?? raw)),
      httpCreatePerSecond: Math.round(http), httpRatio: round(http / raw), httpLatencyMs: httpLatency,
      claimAndRespondPerSecond: Math.round(respond), respondRatio: round(respond / raw), respondsWithMail: mailed, responds: respondN,
    };
  } finally {
    await env.drop();
  }
}

// ── the office queue ─────────────────────────────────────────────────────────────────────────────────────

/** Seven of the agency's kinds, in turn (so `type=expedite` is 1 in 7). */
const KINDS = ['outside-normal-processing-time', 'expedite', 'other', 'notice-not-received', 'card-not-received', 'change-of-address', 'typographical-error'];

function queueRows(count: number, office: string, statuses: readonly ServiceRequestStatus[], today: string, claimant: string, seq: { n: number }, mineShare: number): ServiceRequestRow[] {
  const rows: ServiceRequestRow[] = [];
  const day = Date.parse(`${today}T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    const k = seq.n++;
    const status = statuses[k % statuses.length]!;
    const active = status === 'open' || status === 'claimed' || status === 'reopened' ? 1 : 0;
    const due = new Date(day + ((k * 7919) % 90 - 30) * 86_400_000).toISOString().slice(0, 10); // 30 days ago … 60 ahead
    const created = new Date(day - ((k * 104729) % (60 * 86_400)) * 1000).toISOString();
    const receipt = `IOE09${String(10_000_000 + k).padStart(8, '0')}`;
    const type = KINDS[k % KINDS.length]!;
    const claimed = status === 'claimed' || (active && (k % 1000) < mineShare * 1000);
    rows.push({
      referral_number: newReferralNumber(), receipt_number: receipt, type, status: claimed && status === 'open' ? 'claimed' : status, active,
      open_slot: active ? `${receipt} ${type}` : null, office, priority: k % 10 === 0 ? 'high' : 'normal', created_at: created, created_date: created.slice(0, 10),
      due_date: due, creator: 'tier1', created_by: 'staff:bench', contact_id: null, lang: 'en', fields: JSON.stringify({ details: `Bench request ${k}: the caller asks about the case.` }),
      claimed_by: claimed ? claimant : null, claimed_at: claimed ? created : null,
      response: active ? null : 'We looked at the case and mailed the person what happens next.', answered_by: active ? null : claimant, answered_at: active ? null : created,
      overdue: active && due < today ? 1 : 0, overdue_at: active && due < today ? created : null, reopen_count: status === 'reopened' ? 1 : 0, reopened_at: null,
      closed_at: status === 'closed' ? created : null, form_letter_flag: 0, updated_at: created,
    });
  }
  return rows;
}

/** The store's queue query (listRequests), rebuilt here to time its two halves apart and read their plans. */
function queueQuery(db: Db, filter: { type?: string; overdue?: boolean; claimedBy?: string }) {
  let q = db.selectFrom('service_requests').where('office', '=', 'VSC').where('active', '=', 1);
  if (filter.type !== undefined) q = q.where('type', '=', filter.type);
  if (filter.overdue !== undefined) q = q.where('overdue', '=', filter.overdue ? 1 : 0);
  if (filter.claimedBy !== undefined) q = q.where('claimed_by', '=', filter.claimedBy);
  return q;
}

async function plan(db: Db, kind: Kind, compiled: CompiledQuery): Promise<string[]> {
  const prefix = kind === 'sqlite' ? 'explain query plan ' : 'explain (analyze, buffers, costs off) ';
  const res = await db.executeQuery(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
  return (res.rows as Array<Record<string, unknown>>).map((r) => String(kind === 'sqlite' ? r.detail : r['QUERY PLAN']));
}

export async function queueBench(kind: Kind, options: { open: number; calls: number; baseUrl?: string | undefined }) {
  const env = await freshEnvironment(kind, options.baseUrl);
  const { deps } = env;
  const db = deps.database.db;
  try {
    const today = new Date().toISOString().slice(0, 10);
    const worker = await staffActor(deps, 'office', 'VSC');
    const other = await staffActor(deps, 'office', 'VSC');
    const seq = { n: 0 };
    let started = performance.now();
    // 100,000 active in VSC (2 % claimed by the worker, some by a colleague, some reopened), and as many elsewhere:
    // active in other offices, and answered or closed in VSC and elsewhere.
    const vsc = queueRows(options.open, 'VSC', ['open', 'open', 'open', 'open', 'open', 'open', 'open', 'open', 'claimed', 'reopened'], today, other.user.id, seq, 0);
    for (let i = 0; i < vsc.length; i += 50) if (vsc[i]!.status === 'open') Object.assign(vsc[i]!, { status: 'claimed', claimed_by: worker.user.id, claimed_at: vsc[i]!.created_at });
    await insertRequests(db, vsc);
    const offices = deps.agency.offices.map((o) => o.code).filter((c) => c !== 'VSC');
    for (const office of offices) await insertRequests(db, queueRows(Math.round(options.open / 2 / offices.length), office, ['open', 'claimed', 'reopened'], today, other.user.id, seq, 0));
    for (const office of ['VSC', ...offices]) await insertRequests(db, queueRows(Math.round(options.open / 2 / (offices.length + 1)), office, ['answered', 'closed'], today, other.user.id, seq, 0));
    const loadSeconds = (performance.now() - started) / 1000;
    // PostgreSQL: VACUUM too, as autovacuum would soon after a load this size (its insert threshold), so the
    // visibility map lets counts read the index alone; without it a fresh bulk load counts by scanning the table.
    if (kind === 'postgres') await sql`vacuum analyze service_requests`.execute(db);
    else await sql`analyze`.execute(db);
    const total = Number((await db.selectFrom('service_requests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const sr = deps.serviceRequests;
    const lastPage = Math.ceil(options.open / 50);
    const mid = Math.min(1000, Math.max(1, Math.floor(lastPage / 2)));

    const figures: Record<string, Latency & { total: number }> = {};
    const cases: Array<[string, { type?: string; overdue?: boolean; mine?: boolean }, number]> = [
      ['page 1', {}, 1], [`page ${mid}`, {}, mid], [`page ${lastPage} (last)`, {}, lastPage],
      ['type=expedite, page 1', { type: 'expedite' }, 1], ['overdue, page 1', { overdue: true }, 1], ['claimedBy=me, page 1', { mine: true }, 1],
    ];
    for (const [name, filter, page] of cases) {
      process.stderr.write(`  … ${kind} service ${name}\n`);
      let t = 0;
      const l = await timed(options.calls, async () => { t = (await sr.queue(worker.actor, 'VSC', filter, page, 50)).total; });
      figures[name] = { ...l, total: t };
    }

    // The two halves of listRequests apart, a keyset page instead of OFFSET, and the plans.
    const order = <Q extends ReturnType<typeof queueQuery>>(q: Q) => q.selectAll().orderBy('due_date').orderBy('created_at').orderBy('referral_number');
    const parts: Record<string, Latency> = {};
    const plans: Record<string, string[]> = {};
    const variants: Array<[string, { type?: string; overdue?: boolean; claimedBy?: string }, number]> = [
      ['page 1', {}, 1], [`page ${mid}`, {}, mid], ['type=expedite', { type: 'expedite' }, 1], ['overdue', { overdue: true }, 1], ['claimedBy=me', { claimedBy: worker.user.id }, 1],
    ];
    for (const [name, filter, page] of variants) {
      process.stderr.write(`  … ${kind} SQL ${name}\n`);
      const rows = order(queueQuery(db, filter)).limit(50).offset((page - 1) * 50);
      const count = queueQuery(db, filter).select((eb) => eb.fn.countAll().as('n'));
      parts[`${name}: rows only`] = await timed(options.calls, () => rows.execute());
      parts[`${name}: count only`] = await timed(options.calls, () => count.executeTakeFirstOrThrow());
      plans[`${name}: rows`] = await plan(db, kind, rows.compile());
      plans[`${name}: count`] = await plan(db, kind, count.compile());
    }
    // Keyset ("after this row") for the middle page: the page before's last row as the cursor.
    const before = await order(queueQuery(db, {})).limit(1).offset((mid - 1) * 50 - 1).executeTakeFirstOrThrow();
    const keyset = order(queueQuery(db, {})).where(sql<boolean>`(due_date, created_at, referral_number) > (${before.due_date}, ${before.created_at}, ${before.referral_number})`).limit(50);
    const offsetRows = await order(queueQuery(db, {})).limit(50).offset((mid - 1) * 50).execute();
    const keysetRows = await keyset.execute();
    if (keysetRows.map((r) => r.referral_number).join() !== offsetRows.map((r) => r.referral_number).join()) throw new Error('keyset page differs from the OFFSET page');
    parts[`page ${mid}: keyset rows (same rows)`] = await timed(options.calls, () => keyset.execute());
    plans[`page ${mid}: keyset`] = await plan(db, kind, keyset.compile());

    // Alternatives (not what the store does today): a capped count ("1,000+"), and the filter column in the index.
    const capped = (filter: { type?: string; overdue?: boolean; claimedBy?: string }) =>
      db.selectFrom(queueQuery(db, filter).select(sql<number>`1`.as('one')).limit(1001).as('m')).select((eb) => eb.fn.countAll().as('n'));
    parts['page 1: count capped at 1,001'] = await timed(options.calls, () => capped({}).executeTakeFirstOrThrow());
    parts['claimedBy=me: count capped at 1,001'] = await timed(options.calls, () => capped({ claimedBy: worker.user.id }).executeTakeFirstOrThrow());
    for (const [column, filter] of [['type', { type: 'expedite' }], ['overdue', { overdue: true }], ['claimed_by', { claimedBy: worker.user.id }]] as const) {
      const index = `bench_queue_${column}`;
      await sql`create index ${sql.raw(index)} on service_requests (office, active, ${sql.raw(column)}, due_date, created_at, referral_number)`.execute(db);
      if (kind === 'postgres') await sql`analyze service_requests`.execute(db);
      const rows = order(queueQuery(db, filter)).limit(50);
      const count = queueQuery(db, filter).select((eb) => eb.fn.countAll().as('n'));
      parts[`${column} index: rows`] = await timed(options.calls, () => rows.execute());
      parts[`${column} index: count`] = await timed(options.calls, () => count.executeTakeFirstOrThrow());
      plans[`${column} index: count`] = await plan(db, kind, count.compile());
      await sql`drop index ${sql.raw(index)}`.execute(db);
    }

    // Through HTTP: GET /api/v1/offices/VSC/service-requests with the worker's bearer token, one at a time.
    const server = await listen(deps);
    const httpFigures: Record<string, Latency> = {};
    try {
      const token = await signIn(server, worker.email);
      for (const [name, query] of [['page 1', 'page=1'], [`page ${mid}`, `page=${mid}`], ['overdue, page 1', 'overdue=true'], ['claimedBy=me, page 1', 'claimedBy=me']] as const) {
        httpFigures[name] = await timed(options.calls, async () => {
          const res = await fetch(`${server.url}/api/v1/offices/VSC/service-requests?pageSize=50&${query}`, { headers: { authorization: `Bearer ${token}` } });
          if (res.status !== 200) throw new Error(`queue answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        });
      }
    } finally {
      await server.close();
    }
    return { kind, requests: total, openInOffice: figures['page 1']!.total, loadSeconds: round(loadSeconds), calls: options.calls, service: figures, http: httpFigures, parts, plans };
  } finally {
    await env.drop();
  }
}

export function printCreation(r: Awaited<ReturnType<typeof creationBench>>): void {
  console.log(`service-request creation on ${r.kind} (${fmt(r.cases)} cases, ${fmt(r.creates)} creations a figure):`);
  console.log(`  raw single-row commits  ${fmt(r.rawCommitsPerSecond.before)} / ${fmt(r.rawCommitsPerSecond.after)} a second (before / after)${r.rawCommitsPerSecond.concurrency8 ? `, ${fmt(r.rawCommitsPerSecond.concurrency8)} with 8 connections` : ''}`);
  console.log(`  create (service)        ${fmt(r.createPerSecond)} a second, ratio ${fmt(r.ratio, 2)}; 8 at a time ${fmt(r.createConcurrency8PerSecond)}, ratio ${fmt(r.ratioConcurrency8, 2)}`);
  console.log(`  create, no key          ${fmt(r.createWithoutKeyPerSecond)} a second, ratio ${fmt(r.ratioWithoutKey, 2)} (no key row to read and write); with a key ${r.cpuMsPerCreate} ms of this process's CPU a creation`);
  console.log(`  create (HTTP POST)      ${fmt(r.httpCreatePerSecond)} a second, ratio ${fmt(r.httpRatio, 2)}; p50 ${r.httpLatencyMs.p50} ms, p99 ${r.httpLatencyMs.p99} ms`);
  console.log(`  claim + respond         ${fmt(r.claimAndRespondPerSecond)} a second, ratio ${fmt(r.respondRatio, 2)} (${fmt(r.respondsWithMail)} of ${fmt(r.responds)} with an outbox mail)`);
}

export function printQueue(r: Awaited<ReturnType<typeof queueBench>>): void {
  console.log(`office queue on ${r.kind} (${fmt(r.openInOffice)} active in VSC, ${fmt(r.requests)} requests in all, loaded in ${r.loadSeconds} s; ${r.calls} calls a figure, ms):`);
  const line = (name: string, l: Latency, extra = '') => console.log(`  ${name.padEnd(40)} p50 ${String(l.p50).padStart(7)}  p95 ${String(l.p95).padStart(7)}  p99 ${String(l.p99).padStart(7)}${extra}`);
  for (const [name, l] of Object.entries(r.service)) line(`service ${name}`, l, `  (total ${fmt(l.total)})`);
  for (const [name, l] of Object.entries(r.http)) line(`HTTP ${name}`, l);
  for (const [name, l] of Object.entries(r.parts)) line(`SQL ${name}`, l);
  if (process.env.BENCH_PLANS === '1') for (const [name, p] of Object.entries(r.plans)) console.log(`  plan ${name}:\n    ${p.join('\n    ')}`);
}

export function benchDatabases(): Kind[] {
  const wanted = (process.env.BENCH_SR_DATABASES ?? (process.env.BENCH_DATABASE_URL ? 'sqlite,postgres' : 'sqlite')).split(',').map((s) => s.trim());
  return wanted.filter((k): k is Kind => k === 'sqlite' || k === 'postgres');
}

export async function serviceRequestBench(print = true) {
  const creates = Number(process.env.BENCH_SR_CREATES ?? 2000);
  const open = Number(process.env.BENCH_SR_QUEUE ?? 100_000);
  const calls = Number(process.env.BENCH_SR_CALLS ?? 500);
  const baseUrl = process.env.BENCH_DATABASE_URL;
  const out = [];
  const parts = (process.env.BENCH_SR_PARTS ?? 'creation,queue').split(',');
  for (const kind of benchDatabases()) {
    const c = parts.includes('creation') ? await creationBench(kind, { creates, cases: Math.max(20_000, 4 * creates + 1000), baseUrl }) : null;
    if (print && c) printCreation(c);
    const q = parts.includes('queue') ? await queueBench(kind, { open, calls, baseUrl }) : null;
    if (print && q) printQueue(q);
    out.push({ creation: c, queue: q });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  const results = await serviceRequestBench(true);
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
}
