/**
 * The contact center report's rollups (src/reports, ADR 0014): what a year's report reads, prepared ahead so a
 * report over 15 million calls reads thousands of rows, not millions.
 * - `report_hourly`: per UTC hour of a record's creation instant, each figure the report sums (metric, dimension,
 *   value). Agency and office zones are whole hours from UTC, so every local day's bounds fall on an hour.
 * - `report_repeat_calls`: per call linked to a case, when the same phone had last called about that case; a
 *   period's repeat callers are the distinct phones of rows whose previous call is in the period too.
 * - `report_dirty_hours`: the hours whose rows changed since they were summed. Triggers mark them, so no write path
 *   (the desk, the telephony platform's records, the case feed's moves, a purge, a bulk seed) can forget to.
 *   On PostgreSQL the marks are an append-only log written by statement-level triggers (one row per hour a
 *   statement touched, from its transition tables): concurrent writers never wait for each other or deadlock,
 *   and a writer's mark commits with its rows, so a refresh that removes the marks it saw and then sums misses
 *   nothing (a mark committed later stays for the next refresh). On SQLite one writer at a time upserts one row
 *   per hour.
 */
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

/** The tables whose rows the rollups sum, the instant that places a row in an hour, and the columns that matter. */
const WATCHED = [
  { table: 'contacts', at: 'started_at', columns: ['started_at', 'tier', 'language', 'caller_phone'] },
  { table: 'escalations', at: 'created_at', columns: ['created_at', 'mode', 'status', 'closed_at', 'due_at'] },
  { table: 'service_requests', at: 'created_at', columns: ['created_at', 'type', 'office', 'reopen_count', 'status', 'answered_at', 'created_date', 'due_date'] },
] as const;

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
  // Summing an hour reads its rows by creation instant; these cover what the sums read.
  await db.schema.createIndex('contacts_report').on('contacts').columns(['started_at', 'tier', 'language']).execute();
  await db.schema.createIndex('escalations_report').on('escalations').columns(['created_at', 'mode', 'status', 'due_at', 'closed_at']).execute();
  await db.schema.createIndex('service_requests_report').on('service_requests').columns(['created_at', 'type', 'office', 'reopen_count', 'status', 'answered_at', 'created_date', 'due_date']).execute();
  const dirty = db.schema.createTable('report_dirty_hours')
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('marks', sql.raw(int), (c) => c.notNull());
  if (postgres) {
    await dirty.execute();
    await db.schema.createIndex('report_dirty_hours_hour').on('report_dirty_hours').columns(['hour']).execute();
    await postgresTriggers(db);
  } else {
    await dirty.addPrimaryKeyConstraint('report_dirty_hours_pk', ['hour']).execute();
    await sqliteTriggers(db);
  }
}

/**
 * A link to a case marks its call's hour and the hour of the same phone's next call about that case (whose
 * "previous call" a link made late changes): `links` is the inserted or deleted contact_cases rows.
 */
const linkHours = (links: string) => `
  select substr(c.started_at, 1, 13) as h from ${links} l join contacts c on c.id = l.contact_id
  union
  select substr(min(c2.started_at), 1, 13) from ${links} l
    join contacts c on c.id = l.contact_id
    join contact_cases cc2 on cc2.receipt_number = l.receipt_number
    join contacts c2 on c2.id = cc2.contact_id and c2.caller_phone = c.caller_phone and c2.started_at > c.started_at
  group by l.contact_id, l.receipt_number`;

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const log = (select: string) => `insert into report_dirty_hours (hour, marks) select distinct h, 1 from (${select}) marked where h is not null;`;
  const fn = async (name: string, body: string) => {
    await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`).execute(db);
  };
  for (const w of WATCHED) {
    const hours = (rows: string) => `select substr(${w.at}, 1, 13) as h from ${rows}`;
    await fn(`${w.table}_report_inserted`, log(hours('new_rows')));
    await fn(`${w.table}_report_updated`, log(`${hours('old_rows')} union ${hours('new_rows')}`));
    await fn(`${w.table}_report_deleted`, log(hours('old_rows')));
    await sql.raw(`create trigger ${w.table}_report_inserted after insert on ${w.table} referencing new table as new_rows for each statement execute function ${w.table}_report_inserted()`).execute(db);
    await sql.raw(`create trigger ${w.table}_report_updated after update on ${w.table} referencing old table as old_rows new table as new_rows for each statement execute function ${w.table}_report_updated()`).execute(db);
    await sql.raw(`create trigger ${w.table}_report_deleted after delete on ${w.table} referencing old table as old_rows for each statement execute function ${w.table}_report_deleted()`).execute(db);
  }
  await fn('contact_cases_report_inserted', log(linkHours('new_rows')));
  await fn('contact_cases_report_deleted', log(linkHours('old_rows')));
  await sql.raw(`create trigger contact_cases_report_inserted after insert on contact_cases referencing new table as new_rows for each statement execute function contact_cases_report_inserted()`).execute(db);
  await sql.raw(`create trigger contact_cases_report_deleted after delete on contact_cases referencing old table as old_rows for each statement execute function contact_cases_report_deleted()`).execute(db);
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const mark = (select: string) => `insert into report_dirty_hours (hour, marks) select h, 1 from (${select}) as marked where h is not null
      on conflict (hour) do update set marks = marks + 1;`;
  for (const w of WATCHED) {
    await sql.raw(`create trigger ${w.table}_report_mark_insert after insert on ${w.table} begin ${mark(`select substr(NEW.${w.at}, 1, 13) as h`)} end`).execute(db);
    await sql.raw(`create trigger ${w.table}_report_mark_delete after delete on ${w.table} begin ${mark(`select substr(OLD.${w.at}, 1, 13) as h`)} end`).execute(db);
    await sql.raw(`create trigger ${w.table}_report_mark_update after update of ${w.columns.join(', ')} on ${w.table}
      begin ${mark(`select substr(OLD.${w.at}, 1, 13) as h union select substr(NEW.${w.at}, 1, 13)`)} end`).execute(db);
  }
  const one = (link: 'NEW' | 'OLD') => linkHours(`(select ${link}.contact_id as contact_id, ${link}.receipt_number as receipt_number)`);
  await sql.raw(`create trigger contact_cases_report_mark_insert after insert on contact_cases begin ${mark(one('NEW'))} end`).execute(db);
  await sql.raw(`create trigger contact_cases_report_mark_delete after delete on contact_cases begin ${mark(one('OLD'))} end`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
