/**
 * The report's rollups (migration 0640, ADR 0014) against the rows themselves, on SQLite and PostgreSQL: random
 * calls, case links (some made out of order, so a call's "previous call" changes after it was summed),
 * escalations and service requests written straight into the tables, as a bulk load or another writer would, then
 * changed (callbacks settled, requests answered and reopened, an office move, calls purged); after every step the
 * report read from the rollups equals the report aggregated from the rows, for a month, a fiscal year, one day and
 * the default period. Also: two refreshes at once sum each hour right; a rebuild gives the same; a marked hour is
 * summed by the next report.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import prand from 'pure-rand';
import { sql } from 'kysely';
import { databaseKinds } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { Actor } from '../../src/platform/actor.ts';

const OFFICES = ['VSC', 'CSC', 'NSC'];
const TYPES = ['case-outside-normal-processing-time', 'non-delivery-of-notice', 'typographical-error'];

for (const kind of databaseKinds()) {
  describe(`report rollups equal the rows [${kind}]`, () => {
    let t: TestApp;
    let actor: Actor;
    let rng = prand.xoroshiro128plus(20261202);
    const int = (lo: number, hi: number) => { const [v, next] = prand.uniformIntDistribution(lo, hi, rng); rng = next; return v; };
    const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
    /** An instant between 2026-02-20 and 2026-04-10, on a minute. */
    const instant = () => new Date(Date.UTC(2026, 1, 20) + int(0, 49 * 24 * 60) * 60_000).toISOString();
    const contactIds: string[] = [];
    let made = 0;

    const db = () => t.deps.database.db;
    const reports = () => t.deps.reports.withClock(() => new Date('2026-04-15T15:00:00Z'));
    const compare = async (label: string) => {
      for (const query of [{ from: '2026-03-01', to: '2026-03-31' }, { fiscalYear: '2026' }, { from: '2026-03-09', to: '2026-03-09' }, {}]) {
        const raw = await reports().contactCenter(actor, query, { source: 'raw' });
        const rolled = await reports().contactCenter(actor, query);
        assert.deepEqual(rolled.report, raw.report, `${label}: ${JSON.stringify(query)}`);
      }
      // Each UTC day's row in report_daily is the sum of that day's hours (the month and year read them).
      const key = (r: { day: string; metric: string; dimension: string; value: unknown }) => `${r.day} ${r.metric} ${r.dimension} ${Number(r.value)}`;
      const daily = (await db().selectFrom('report_daily').selectAll().execute()).map(key).sort();
      const fromHours = (await db().selectFrom('report_hourly').select((eb) => [sql<string>`substr(hour, 1, 10)`.as('day'), 'metric', 'dimension', eb.fn.sum('value').as('value')])
        .groupBy([sql`substr(hour, 1, 10)`, 'metric', 'dimension']).execute()).map((r) => key(r as never)).sort();
      assert.deepEqual(daily, fromHours, `${label}: report_daily`);
      assert.ok(daily.length > 0, `${label}: report_daily has rows`);
    };

    const addContacts = async (count: number) => {
      const rows = [];
      for (let i = 0; i < count; i++) {
        const id = randomUUID();
        contactIds.push(id);
        const started = instant();
        rows.push({
          id, reference: `8${String(++made).padStart(11, '0')}`, source: 'platform' as const, external_id: `ext-${id}`, channel: 'phone',
          caller_phone: `+1202555${String(int(0, 40)).padStart(4, '0')}`, language: pick(['en', 'es']), tier: pick(['tier1', 'tier2', null]),
          agent_staff_id: null, agent_id: null, escalated_to: null, callback_id: null, started_at: started, ended_at: started,
          disposition: null, end_notes: null, recording_uri: null, created_at: started,
        });
      }
      for (let i = 0; i < rows.length; i += 200) await db().insertInto('contacts').values(rows.slice(i, i + 200)).execute();
    };
    const addLinks = async (count: number) => {
      for (let i = 0; i < count; i++) {
        await db().insertInto('contact_cases').values({ contact_id: pick(contactIds), receipt_number: `EAC26900${String(int(0, 9)).padStart(5, '0')}`, verified: 1, linked_at: instant() })
          .onConflict((oc) => oc.columns(['contact_id', 'receipt_number']).doNothing()).execute();
      }
    };
    const addEscalations = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const created = instant();
        const due = new Date(Date.parse(created) + int(1, 96) * 3_600_000).toISOString();
        const status = pick(['open', 'done', 'missed', 'transferred'] as const);
        await db().insertInto('escalations').values({
          id: randomUUID(), contact_id: pick(contactIds), mode: status === 'transferred' ? 'transfer' : 'callback', reason: 'r', urgency: 'urgent', receipt_number: null,
          language: 'en', skills: '[]', skill_key: 'en', phone: null, call_window: null, window_start: null, due_at: due,
          status: status === 'transferred' ? 'done' : status, attempts: 0, failed_attempts: 0, last_attempt_at: null, to_staff_id: null, reached_contact_id: null,
          notify_channel: null, notify_address: null, created_by: 'test', created_at: created,
          closed_at: status === 'done' || status === 'transferred' ? new Date(Date.parse(created) + int(0, 120) * 3_600_000).toISOString() : null, updated_at: created,
        } as never).execute();
      }
    };
    const addRequests = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const created = instant();
        const answered = int(0, 2) > 0;
        const referral = `${kind === 'sqlite' ? 1 : 2}${String(int(0, 1e9)).padStart(14, '0')}`;
        await db().insertInto('service_requests').values({
          referral_number: referral, receipt_number: 'EAC2690000001', type: pick(TYPES), status: answered ? pick(['answered', 'closed'] as const) : 'open',
          active: 1, open_slot: null, office: pick(OFFICES), priority: 'normal', created_at: created, created_date: created.slice(0, 10),
          due_date: new Date(Date.parse(created) + int(3, 25) * 86_400_000).toISOString().slice(0, 10), creator: 'tier1', created_by: 'test', contact_id: null, lang: 'en',
          fields: '{}', claimed_by: null, claimed_at: null, response: null, answered_by: null,
          answered_at: answered ? new Date(Date.parse(created) + int(1, 40 * 24) * 3_600_000).toISOString() : null,
          overdue: 0, overdue_at: null, reopen_count: int(0, 5) === 0 ? 1 : 0, reopened_at: null, closed_at: null, form_letter_flag: 0, updated_at: created,
        } as never).onConflict((oc) => oc.column('referral_number').doNothing()).execute();
      }
    };

    before(async () => {
      t = await startTestApp(kind);
      const s = await t.signIn('supervisor', { email: `rollups.${kind}@agency.test` });
      actor = { kind: 'staff', sessionId: 'test', user: { id: s.id, email: `rollups.${kind}@agency.test`, name: 'Sup', role: 'supervisor', office: null, agentId: s.agentId } };
    });
    after(() => t?.close());

    test('random rows loaded directly: the same figures from the rollups as from the rows', async () => {
      await addContacts(600);
      await addLinks(500);
      await addEscalations(120);
      await addRequests(200);
      await compare('loaded');
      const r = await reports().contactCenter(actor, { fiscalYear: '2026' });
      assert.ok(r.report.calls.total === 600 && r.report.repeatCallers > 0 && r.report.serviceRequests.total > 150, JSON.stringify(r.report));
    });

    test('after changes: late links, settled callbacks, answers, reopenings, an office move, purged calls', async () => {
      await addLinks(150);
      await db().updateTable('escalations').set({ status: 'done', closed_at: '2026-03-20T12:00:00.000Z' }).where('status', '=', 'open').where('created_at', '<', '2026-03-15').execute();
      await db().updateTable('service_requests').set({ status: 'answered', answered_at: '2026-04-01T14:30:00.000Z' }).where('status', '=', 'open').where('office', '=', 'VSC').execute();
      await db().updateTable('service_requests').set({ reopen_count: 1, status: 'reopened' as never }).where('status', '=', 'answered').where('office', '=', 'CSC').execute();
      await db().updateTable('service_requests').set({ office: 'TSC' }).where('office', '=', 'NSC').where('type', '=', TYPES[0]!).execute();
      const gone = contactIds.splice(0, 50);
      await db().deleteFrom('contact_cases').where('contact_id', 'in', gone).execute();
      await db().deleteFrom('contacts').where('id', 'in', gone).execute();
      await addContacts(100);
      await addLinks(100);
      await compare('changed');
    });

    test('writers of the same hours in opposite orders at once: no deadlock, every row counted', async () => {
      const rowsIn = (hours: string[]) => hours.flatMap((h) => Array.from({ length: 5 }, () => {
        const id = randomUUID();
        return {
          id, reference: `8${String(++made).padStart(11, '0')}`, source: 'platform' as const, external_id: `ext-${id}`, channel: 'phone', caller_phone: '+12025550999',
          language: 'en', tier: 'tier1', agent_staff_id: null, agent_id: null, escalated_to: null, callback_id: null, started_at: `${h}:30:00.000Z`, ended_at: null,
          disposition: null, end_notes: null, recording_uri: null, created_at: `${h}:30:00.000Z`,
        };
      }));
      const before = (await reports().contactCenter(actor, { from: '2026-03-10', to: '2026-03-10' })).report.calls.total;
      for (let i = 0; i < 10; i++) {
        const a = rowsIn(['2026-03-10T14', '2026-03-10T15', '2026-03-10T16']);
        const b = rowsIn(['2026-03-10T16', '2026-03-10T15', '2026-03-10T14']);
        await Promise.all([a, b].map((rows) => db().transaction().execute(async (trx) => {
          for (const row of rows) await trx.insertInto('contacts').values(row).execute();
        })));
      }
      const after = (await reports().contactCenter(actor, { from: '2026-03-10', to: '2026-03-10' })).report.calls.total;
      assert.equal(after - before, 300);
      await compare('concurrent writers');
    });

    test('two refreshes at once, then a rebuild: still the same figures', async () => {
      await addContacts(200);
      await addLinks(150);
      await addRequests(50);
      const [a, b] = await Promise.all([reports().refresh(), reports().refresh()]);
      assert.ok(a + b > 0);
      assert.equal((await db().selectFrom('report_dirty_hours').select('hour').execute()).length, 0);
      await compare('refreshed twice');
      // The rebuild derives the repeat calls in one pass (a window over every link); the refreshes derived them
      // range by range (a lookup per link) and ordered the changed phones: the same rows either way.
      const repeatRows = async () => (await db().selectFrom('report_repeat_calls').selectAll().execute())
        .map((r) => `${r.caller_phone} ${r.at} ${r.previous_at} ${r.hour} ${r.blocked_until ?? '-'}`).sort();
      const incremental = await repeatRows();
      assert.ok(incremental.length > 50 && incremental.some((r) => !r.endsWith(' -')), `repeat rows: ${incremental.length}`);
      await db().deleteFrom('report_hourly').execute();
      await db().deleteFrom('report_daily').execute();
      await db().updateTable('report_repeat_calls').set({ blocked_until: null }).execute();
      await db().insertInto('report_repeat_calls').values({ hour: '2026-03-01T10', caller_phone: '+12025550000', at: '2026-03-01T10:00:00.000Z', previous_at: '2026-03-01T09:00:00.000Z', blocked_until: null }).execute();
      const hours = await reports().rebuild();
      assert.ok(hours > 100, String(hours));
      assert.deepEqual(await repeatRows(), incremental);
      await compare('rebuilt');
    });
  });
}
