/**
 * The contact center report's rollups (src/reports, ADR 0014): what a year's report reads, prepared ahead so a
 * report over 15 million calls reads thousands of rows, not millions.
 * - `report_hourly`: per UTC hour of a record's creation instant, each figure the report sums (metric, dimension,
 *   value). Agency and office zones are whole hours from UTC, so every local day's bounds fall on an hour.
 * - `report_repeat_calls`: per call linked to a case, when the same phone had last called about that case; a
 *   period's repeat callers are the distinct phones of rows whose previous call is in the period too.
 * - `report_dirty_hours`: the hours whose rows changed since they were summed. Triggers mark them, so no write path
 *   (the desk, the telephony platform's records, the case feed's moves, a purge, a bulk seed) can forget to. A
 *   writer's upsert locks its marker row until it commits, so a refresh that deletes the marker first and then
 *   sums always sees that writer's rows; `shard` spreads concurrent writers of one hour over 8 rows.
 */
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

/** The tables whose rows the rollups sum, the instant that places a row in an hour, and the columns that matter. */
const WATCHED = [
  { table: 'contacts', at: 'started_at', columns: ['started_at', 'tier', 'language', 'caller_phone'] },
  { table: 'escalations', at: 'created_at', columns: ['created_at', 'mode', 'status', 'closed_at', 'due_at'] },
  { table: 'service_requests', at: 'created_at', columns: ['created_at', 'type', 'office', 'reopen_count', 'status', 'answered_at', 'created_date', 'due_date'] },
] as const;
export const DIRTY_SHARDS = 8;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const int = postgres ? 'bigint' : 'integer';
  await db.schema.createTable('report_hourly')
    .addColumn('hour', 'text', (c) => c.notNull()) // 'YYYY-MM-DDTHH', UTC
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', sql.raw(int), (c) => c.notNull())
    .addPrimaryKeyConstraint('report_hourly_pk', ['hour', 'metric', 'dimension'])
    .execute();
  await db.schema.createTable('report_repeat_calls')
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('caller_phone', 'text', (c) => c.notNull())
    .addColumn('previous_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_repeat_calls_hour').on('report_repeat_calls').columns(['hour', 'previous_at', 'caller_phone']).execute();
  await db.schema.createTable('report_dirty_hours')
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('marks', sql.raw(int), (c) => c.notNull())
    .addPrimaryKeyConstraint('report_dirty_hours_pk', ['hour', 'shard'])
    .execute();

  // A call's links to cases: its own hour, and the hour of the same phone's next call about that case (whose
  // "previous call" a link made late may change).
  const nextPairHour = (link: 'NEW' | 'OLD') => `(select substr(min(c2.started_at), 1, 13) from contact_cases cc2 join contacts c2 on c2.id = cc2.contact_id
      where cc2.receipt_number = ${link}.receipt_number and c2.caller_phone = (select caller_phone from contacts where id = ${link}.contact_id)
        and c2.started_at > (select started_at from contacts where id = ${link}.contact_id))`;
  const ownHour = (link: 'NEW' | 'OLD') => `(select substr(started_at, 1, 13) from contacts where id = ${link}.contact_id)`;

  if (postgres) {
    await sql.raw(`create function report_mark(h text) returns void language sql as $$
      insert into report_dirty_hours (hour, shard, marks) values (h, floor(random() * ${DIRTY_SHARDS})::int, 1)
      on conflict (hour, shard) do update set marks = report_dirty_hours.marks + 1 $$`).execute(db);
    await sql.raw(`create function report_mark_row() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' and (to_jsonb(old) ->> tg_argv[0]) is not null then perform report_mark(substr(to_jsonb(old) ->> tg_argv[0], 1, 13)); end if;
        if tg_op <> 'DELETE' and (to_jsonb(new) ->> tg_argv[0]) is not null then perform report_mark(substr(to_jsonb(new) ->> tg_argv[0], 1, 13)); end if;
        return null;
      end $$`).execute(db);
    for (const w of WATCHED) {
      await sql.raw(`create trigger ${w.table}_report_mark after insert or delete or update of ${w.columns.join(', ')} on ${w.table}
        for each row execute function report_mark_row('${w.at}')`).execute(db);
    }
    await sql.raw(`create function report_mark_link() returns trigger language plpgsql as $$
      declare h text; n text;
      begin
        if tg_op = 'DELETE' then h := ${ownHour('OLD')}; n := ${nextPairHour('OLD')};
        else h := ${ownHour('NEW')}; n := ${nextPairHour('NEW')}; end if;
        if h is not null then perform report_mark(h); end if;
        if n is not null then perform report_mark(n); end if;
        return null;
      end $$`).execute(db);
    await sql.raw(`create trigger contact_cases_report_mark after insert or delete on contact_cases for each row execute function report_mark_link()`).execute(db);
    return;
  }

  const mark = (hourExpr: string) => `insert into report_dirty_hours (hour, shard, marks) select h, abs(random()) % ${DIRTY_SHARDS}, 1 from (select ${hourExpr} as h) where h is not null
      on conflict (hour, shard) do update set marks = marks + 1;`;
  for (const w of WATCHED) {
    await sql.raw(`create trigger ${w.table}_report_mark_insert after insert on ${w.table} begin ${mark(`substr(NEW.${w.at}, 1, 13)`)} end`).execute(db);
    await sql.raw(`create trigger ${w.table}_report_mark_delete after delete on ${w.table} begin ${mark(`substr(OLD.${w.at}, 1, 13)`)} end`).execute(db);
    await sql.raw(`create trigger ${w.table}_report_mark_update after update of ${w.columns.join(', ')} on ${w.table}
      begin ${mark(`substr(OLD.${w.at}, 1, 13)`)} ${mark(`substr(NEW.${w.at}, 1, 13)`)} end`).execute(db);
  }
  await sql.raw(`create trigger contact_cases_report_mark_insert after insert on contact_cases begin ${mark(ownHour('NEW'))} ${mark(nextPairHour('NEW'))} end`).execute(db);
  await sql.raw(`create trigger contact_cases_report_mark_delete after delete on contact_cases begin ${mark(ownHour('OLD'))} ${mark(nextPairHour('OLD'))} end`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
