/**
 * The contact center report's daily rollups (ADR 0014, revised): `report_daily` holds, per UTC day, the sum of that
 * day's `report_hourly` rows, written in the same transaction as the hours it sums. A year's report then reads
 * ~366 days of rows plus the hours at its two ends (a period starts and ends at local midnight, a whole UTC hour),
 * instead of ~8,800 hours of rows.
 * Also a partial index on the callbacks still open, which the report counts live (late now): a few rows, not a
 * year of escalations.
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
  await sql`create index escalations_open_callbacks on escalations (created_at, due_at) where mode = 'callback' and status = 'open'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
