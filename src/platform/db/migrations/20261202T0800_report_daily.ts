/**
 * The contact center report's daily rollups (ADR 0014, revised): `report_daily` holds, per UTC day, the sum of that
 * day's `report_hourly` rows, written in the same transaction as the hours it sums. A year's report then reads
 * ~366 days of rows plus the hours at its two ends (a period starts and ends at local midnight, a whole UTC hour),
 * instead of ~8,800 hours of rows.
 * Also a partial index on the callbacks still open, which the report counts live (late now): a few rows, not a
 * year of escalations.
 *
 * Repeat callers become a COUNT instead of a COUNT(DISTINCT phone) over every repeat call of the period.
 * `report_repeat_calls` is rebuilt as one row per (phone, call instant `at`, previous call about the same case
 * `previous_at`), ordered per phone by (at, previous_at), with `blocked_until` = the latest previous_at among that
 * phone's earlier rows (NULL if none). For a period [s, e), a phone counts iff some row has s <= previous_at and
 * at < e; among those rows exactly one, the first in the order, has blocked_until < s (every row before it has
 * previous_at < s; every row after it follows one with previous_at >= s). So the period's repeat callers are
 * `count(*) where hour in [s, e) and previous_at >= s and (blocked_until is null or blocked_until < s)`.
 * `report_repeat_dirty_phones` lists the phones whose rows a refresh replaced, whose `blocked_until` it
 * recomputes (a window over each such phone's rows) before it returns. The old rows have no `at`: they are
 * removed and their hours marked, so the next refresh (or `switchboard reports rebuild`) derives them again.
 */
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.createTable('report_daily')
    .addColumn('day', 'text', (c) => c.notNull()) // 'YYYY-MM-DD', UTC
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', sql.raw(postgres ? 'bigint' : 'integer'), (c) => c.notNull())
    .addPrimaryKeyConstraint('report_daily_pk', ['day', 'metric', 'dimension'])
    .execute();
  await sql`insert into report_daily (day, metric, dimension, value)
    select substr(hour, 1, 10), metric, dimension, sum(value) from report_hourly group by substr(hour, 1, 10), metric, dimension`.execute(db);
  await db.schema.dropTable('report_repeat_calls').execute();
  await db.schema.createTable('report_repeat_calls')
    .addColumn('hour', 'text', (c) => c.notNull()) // 'YYYY-MM-DDTHH' of at
    .addColumn('caller_phone', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('previous_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .addPrimaryKeyConstraint('report_repeat_calls_pk', ['caller_phone', 'at', 'previous_at'])
    .execute();
  await db.schema.createIndex('report_repeat_calls_count').on('report_repeat_calls').columns(['hour', 'previous_at', 'blocked_until']).execute();
  await db.schema.createTable('report_repeat_dirty_phones').addColumn('caller_phone', 'text', (c) => c.notNull()).execute();
  // Every hour with a linked call is summed again (its repeat rows derived in the new shape).
  await sql`insert into report_dirty_hours (hour, marks)
    select distinct substr(c.started_at, 1, 13), 1 from contacts c join contact_cases cc on cc.contact_id = c.id
    where c.caller_phone is not null and not exists (select 1 from report_dirty_hours d where d.hour = substr(c.started_at, 1, 13))`.execute(db);
  await sql`create index escalations_open_callbacks on escalations (created_at, due_at) where mode = 'callback' and status = 'open'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
