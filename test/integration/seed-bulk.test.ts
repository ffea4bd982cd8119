/**
 * The bulk seed (src/cases/seed/bulk.ts, contacts.ts): a bulk-seeded case is stored exactly as a fed one (every
 * table compared), the output is the same for the same seed, the indexes and triggers are all back afterwards
 * (also after a load that fails part way), and the synthetic contact year is in proportion and links only
 * seeded cases. On SQLite, and PostgreSQL when TEST_DATABASE_URL is set.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { AuditService } from '../../src/audit/service.ts';
import { loadAgency } from '../../src/platform/reference.ts';
import { CaseFeedService } from '../../src/cases/service.ts';
import { feedVocabulary } from '../../src/cases/feed-record.ts';
import { seedCases } from '../../src/cases/seed/run.ts';
import { bulkSeedCases } from '../../src/cases/seed/bulk.ts';
import { secondaryIndexes, triggers } from '../../src/cases/seed/store.ts';
import { CONTACT_TABLES, seedContactYear } from '../../src/cases/seed/contacts.ts';
import { regenerateFacts } from '../../src/cases/seed/bulk-rows.ts';
import { loadServiceRequestRules } from '../../src/service-requests/policy.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.ts';

const agency = loadAgency('uscis');
const rules = loadServiceRequestRules('uscis', agency);
const vocabulary = feedVocabulary(agency);
const offices = agency.offices.map((o) => o.code);
const CLI = { kind: 'cli' } as const;
const NOW = '2026-11-30T12:00:00.000Z';
const TODAY = '2026-11-30';

async function open(db: TestDatabase): Promise<DatabaseHandle> {
  const h = openDatabase({ databaseUrl: db.env.DATABASE_URL ?? null, dataDir: db.env.DATA_DIR });
  await db.whileNoSchemaIsDropped(() => migrateToLatest(h));
  return h;
}

/** Every user table of the database, but the migrator's own (it stamps when each migration ran). */
async function tables(h: DatabaseHandle): Promise<string[]> {
  const r = h.dialect === 'sqlite'
    ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(h.db)
    : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(h.db);
  return r.rows.map((x) => x.name).filter((n) => !n.startsWith('kysely_migration') && n !== 'schema_migrations');
}

/** A table's rows in a fixed order (every column, as text), and a hash of them. */
async function tableRows(h: DatabaseHandle, table: string): Promise<string[]> {
  const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(h.db);
  return r.rows.map((row) => JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k] === null ? null : String(row[k])]))).sort();
}
const hashOf = (rows: string[]) => createHash('sha256').update(rows.join('\n')).digest('hex');

async function indexNames(h: DatabaseHandle, names: string[]): Promise<string[]> {
  return (await secondaryIndexes(h.db, h.dialect, names)).map((i) => `${i.name}: ${i.sql}`);
}

for (const kind of databaseKinds()) {
  describe(`bulk seed [${kind}]`, () => {
    const dbs: TestDatabase[] = [];
    const handles: DatabaseHandle[] = [];
    const fresh = async () => {
      const db = await createTestDatabase(kind);
      dbs.push(db);
      const h = await open(db);
      handles.push(h);
      return h;
    };
    after(async () => {
      for (const h of handles) await h.close();
      for (const d of dbs) await d.drop();
    });

    test('2,000 cases seeded in bulk are stored exactly as the feed stores them: every table compared', async () => {
      const fed = await fresh();
      const bulk = await fresh();
      const clock = () => new Date(NOW);
      const feed = new CaseFeedService(fed.db, new AuditService(fed.db, clock), vocabulary, clock);
      const viaFeed = await seedCases(feed, { cases: 2000, randomSeed: 9, today: TODAY, batchSize: 500 }, CLI);
      assert.equal(viaFeed.accepted, 2000);
      const viaBulk = await bulkSeedCases(bulk, new AuditService(bulk.db, clock), vocabulary, offices, { cases: 2000, randomSeed: 9, today: TODAY, now: NOW, batchSize: 300, workers: 0 }, CLI);
      assert.equal(viaBulk.accepted, 2000);
      assert.deepEqual(viaBulk.rejected, []);
      assert.deepEqual(viaBulk.samples, viaFeed.samples, 'the same receipt numbers to try');

      const names = await tables(fed);
      assert.deepEqual(await tables(bulk), names);
      assert.ok(names.includes('cases') && names.includes('audit_log'));
      for (const t of names) {
        if (t.startsWith('audit_')) continue; // the trail (and its head) differ by design: see below
        const a = await tableRows(fed, t);
        const b = await tableRows(bulk, t);
        assert.equal(b.length, a.length, `${t}: row count`);
        assert.equal(hashOf(b), hashOf(a), `${t}: the same rows`);
      }
      assert.equal((await tableRows(bulk, 'cases')).length, 2000);
      // The audit trail differs by design: the feed writes an entry per batch, the bulk seed one for the seed.
      const fedAudit = await fed.db.selectFrom('audit_log').select(['action', 'detail']).execute();
      const bulkAudit = await bulk.db.selectFrom('audit_log').select(['action', 'detail']).execute();
      assert.deepEqual(fedAudit.map((e) => e.action), ['case-feed-load', 'case-feed-load', 'case-feed-load', 'case-feed-load']);
      assert.equal(bulkAudit.length, 1);
      assert.equal(bulkAudit[0]!.action, 'seed-bulk-load');
      assert.match(String(bulkAudit[0]!.detail), /"cases":2000/);
    });

    test('the same seed gives the same rows on worker threads as on this thread; the indexes are all back', async () => {
      const a = await fresh();
      const b = await fresh();
      const before = await indexNames(a, ['cases']);
      const beforeB = await indexNames(b, ['cases']);
      assert.equal(before.length, 3, before.join('\n'));
      const ra = await bulkSeedCases(a, new AuditService(a.db), vocabulary, offices, { cases: 5000, randomSeed: 3, today: TODAY, now: NOW, batchSize: 700, workers: 0 }, CLI);
      const rb = await bulkSeedCases(b, new AuditService(b.db), vocabulary, offices, { cases: 5000, randomSeed: 3, today: TODAY, now: NOW, batchSize: 700, workers: 2 }, CLI);
      assert.equal(ra.accepted, 5000);
      assert.equal(rb.accepted, 5000);
      assert.equal(hashOf(await tableRows(b, 'cases')), hashOf(await tableRows(a, 'cases')));
      assert.equal(rb.facts.receipt(4999), ra.facts.receipt(4999));
      assert.deepEqual(rb.samples, ra.samples, "the threads' samples, merged, are the one thread's");
      assert.ok(ra.samples.length >= 3, JSON.stringify(ra.samples));
      assert.deepEqual(await indexNames(a, ['cases']), before);
      assert.deepEqual(await indexNames(b, ['cases']), beforeB);
      if (kind === 'sqlite') {
        const j = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(a.db);
        const s = await sql<{ synchronous: number }>`pragma synchronous`.execute(a.db);
        assert.equal(j.rows[0]!.journal_mode, 'wal', 'durability restored');
        assert.equal(Number(s.rows[0]!.synchronous), 2);
        assert.ok(ra.notes.some((n) => /synchronous=OFF/.test(n) && /seed again/.test(n)));
      }
    });

    test('a load that fails part way leaves no cases and every index in place', async () => {
      const h = await fresh();
      const before = await indexNames(h, ['cases']);
      await assert.rejects(
        bulkSeedCases(h, new AuditService(h.db), vocabulary, offices, { cases: 3000, randomSeed: 4, today: TODAY, batchSize: 500, workers: 0, beforeBatch: (i) => { if (i === 3) throw new Error('disk full (simulated)'); } }, CLI),
        /disk full/,
      );
      assert.equal((await tableRows(h, 'cases')).length, 0);
      assert.deepEqual(await indexNames(h, ['cases']), before);
    });
    test('a contact year: in proportion, linked only to seeded cases, the same for the same seed, indexes and triggers back', async () => {
      const CASES = 8000; // more than the calls draw (without replacement), so repeats are the seed's, not chance
      const CONTACTS = 5000;
      const year = async () => {
        const h = await fresh();
        const cases = await bulkSeedCases(h, new AuditService(h.db), vocabulary, offices, { cases: CASES, randomSeed: 5, today: TODAY, now: NOW, workers: 0 }, CLI);
        const ix = await indexNames(h, [...CONTACT_TABLES]);
        const tr = (await triggers(h.db, h.dialect, [...CONTACT_TABLES])).map((t) => t.name);
        const r = await seedContactYear(h, new AuditService(h.db), rules, cases.facts, { contacts: CONTACTS, randomSeed: 5, today: TODAY, timeZone: agency.timeZone }, CLI);
        if (kind === 'postgres') {
          // The planner's statistics are fresh after the load (autovacuum may be off, as on this project's CI).
          assert.ok(r.notes.some((n) => n.startsWith('PostgreSQL: ANALYZE contacts, contact_cases')), r.notes.join('\n'));
          const { rows } = await sql<{ relname: string; analyzed: boolean }>`select relname, last_analyze is not null as analyzed from pg_stat_user_tables
            where schemaname = current_schema() and relname in ('contacts', 'contact_cases', 'service_requests')`.execute(h.db);
          assert.deepEqual(rows.map((x) => [x.relname, x.analyzed]).sort(), [['contact_cases', true], ['contacts', true], ['service_requests', true]]);
        }
        assert.deepEqual(await indexNames(h, [...CONTACT_TABLES]), ix, 'every index is back');
        assert.deepEqual((await triggers(h.db, h.dialect, [...CONTACT_TABLES])).map((t) => t.name), tr, 'every trigger is back');
        assert.ok(ix.length >= 15, ix.join('\n'));
        return { h, r, facts: cases.facts };
      };
      const { h, r, facts } = await year();
      const again = await year();
      for (const t of CONTACT_TABLES) assert.equal(hashOf(await tableRows(again.h, t)), hashOf(await tableRows(h, t)), `${t}: the same rows for the same seed`);
      // The facts regenerated later (a contact seed after an earlier case seed) are the ones the case seed made.
      const regenerated = regenerateFacts(5, TODAY, CASES, offices);
      assert.deepEqual([0, 1234, CASES - 1].map((i) => regenerated.receipt(i)), [0, 1234, CASES - 1].map((i) => facts.receipt(i)));

      const t = r.tables;
      assert.equal(t.contacts, CONTACTS);
      const within = (x: number, lo: number, hi: number, what: string) => assert.ok(x >= lo && x <= hi, `${what}: ${x} not in [${lo}, ${hi}]`);
      within(t.escalations!, CONTACTS * 0.06, CONTACTS * 0.10, 'escalations');
      within(t.service_requests!, CONTACTS * 2 / 15 * 0.8, CONTACTS * 2 / 15 * 1.1, 'service requests');
      assert.equal(t.call_reviews, 0, 'N/50,000');
      assert.equal(t.case_assistance_requests, 5, 'N/5,000 at each of five statuses');
      assert.equal(t.feedback, 17, 'N/300');

      const rows = await h.db.selectFrom('contacts').select(['tier', 'language', 'source', 'started_at', 'caller_phone']).execute();
      const share = (f: (x: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
      within(share((c) => c.tier === 'tier1'), 0.77, 0.83, 'tier1 share');
      within(share((c) => c.language === 'es'), 0.22, 0.28, 'Spanish share');
      within(share((c) => c.source === 'platform'), 0.25, 0.35, 'platform share');
      const starts = rows.map((c) => c.started_at).sort();
      assert.ok(starts[0]! >= '2025-12-01' && starts.at(-1)! <= '2026-12-01T06', `${starts[0]} … ${starts.at(-1)}`);
      const hours = new Set(rows.map((c) => new Date(c.started_at).getUTCHours()));
      for (const night of [7, 8, 9, 10]) assert.ok(!hours.has(night), `no call at ${night}:00 UTC (the small hours in the agency's zone)`);
      const weekdays = rows.map((c) => new Date(new Date(c.started_at).getTime() - 5 * 3_600_000).getUTCDay());
      assert.ok(!weekdays.includes(0) && !weekdays.includes(6), 'business days only');

      // Repeat callers: the same phone about the same case more than once.
      const links = await h.db.selectFrom('contact_cases').innerJoin('contacts', 'contacts.id', 'contact_cases.contact_id')
        .select(['contacts.caller_phone as phone', 'contact_cases.receipt_number as receipt']).execute();
      const pairs = new Map<string, number>();
      for (const l of links) pairs.set(`${l.phone} ${l.receipt}`, (pairs.get(`${l.phone} ${l.receipt}`) ?? 0) + 1);
      const callers = new Map<string, boolean>();
      for (const [k, n] of pairs) callers.set(k.split(' ')[0]!, (callers.get(k.split(' ')[0]!) ?? false) || n > 1);
      within([...callers.values()].filter(Boolean).length / callers.size, 0.08, 0.18, 'callers calling again about the same case');

      // Referential sanity: every linked receipt, and every service request's case, is a seeded case.
      const orphanLinks = await h.db.selectFrom('contact_cases').leftJoin('cases', 'cases.receipt_number', 'contact_cases.receipt_number')
        .select((eb) => eb.fn.countAll().as('n')).where('cases.receipt_number', 'is', null).executeTakeFirstOrThrow();
      assert.equal(Number(orphanLinks.n), 0);
      const orphanRequests = await h.db.selectFrom('service_requests').leftJoin('cases', 'cases.receipt_number', 'service_requests.receipt_number')
        .select((eb) => eb.fn.countAll().as('n')).where('cases.receipt_number', 'is', null).executeTakeFirstOrThrow();
      assert.equal(Number(orphanRequests.n), 0);
      const srs = await h.db.selectFrom('service_requests').select(['status', 'created_date', 'due_date', 'type', 'office', 'reopen_count']).execute();
      for (const st of ['open', 'answered', 'closed']) assert.ok(srs.some((x) => x.status === st), `a request ${st}`);
      assert.ok(srs.some((x) => x.reopen_count > 0), 'some reopened');
      assert.ok(srs.every((x) => x.due_date > x.created_date && rules.calendarFor(x.office).isBusinessDay(x.due_date)), 'due on a business day of the office');
      const esc = await h.db.selectFrom('escalations').select(['mode', 'status', 'due_at', 'closed_at']).execute();
      assert.ok(esc.some((e) => e.mode === 'transfer') && esc.some((e) => e.mode === 'callback'));
      const cb = esc.filter((e) => e.mode === 'callback');
      assert.ok(cb.some((e) => e.status === 'done' && e.closed_at! <= e.due_at), 'on time');
      assert.ok(cb.some((e) => e.status === 'done' && e.closed_at! > e.due_at), 'late');
      assert.ok(cb.some((e) => e.status === 'missed'), 'missed');
      const audit = await h.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'seed-bulk-load').execute();
      assert.equal(audit.length, 2, 'one entry for the cases, one for the contact year');
    });
  });
}
