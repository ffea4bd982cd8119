/**
 * All SQL of the bulk seed: the secondary indexes of the tables it loads (read from the database, so none is
 * forgotten), dropping and re-creating them, SQLite's load-time durability settings, multi-row INSERTs of flat
 * values with their SQL text built once per table and row count, and the few reads the seed checks itself with.
 * Every statement runs on SQLite and PostgreSQL.
 */
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { SQLITE_CACHE_KIB, type DialectName } from '../../platform/db/database.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A secondary index as the database describes it: its name, table and the statement that creates it. */
export interface IndexDefinition {
  name: string;
  table: string;
  sql: string;
}

/**
 * The indexes of `tables` that can be dropped and re-created: on SQLite every index with SQL text (not the
 * automatic ones behind PRIMARY KEY and UNIQUE constraints); on PostgreSQL every index of the current schema
 * that backs no constraint. Sorted by name.
 */
export async function secondaryIndexes(db: Executor, dialect: DialectName, tables: readonly string[]): Promise<IndexDefinition[]> {
  if (tables.length === 0) return [];
  if (dialect === 'sqlite') {
    const r = await sql<IndexDefinition>`select name, tbl_name as "table", sql from sqlite_master
      where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)}) order by name`.execute(db);
    return r.rows;
  }
  const r = await sql<IndexDefinition>`select i.indexname as name, i.tablename as "table", i.indexdef as sql from pg_indexes i
    where i.schemaname = current_schema() and i.tablename in (${sql.join(tables)})
      and not exists (select 1 from pg_constraint c join pg_class ic on ic.oid = c.conindid
        where ic.relname = i.indexname and c.connamespace = (select oid from pg_namespace where nspname = current_schema()))
    order by i.indexname`.execute(db);
  return r.rows;
}

export async function dropIndex(db: Executor, name: string): Promise<void> {
  await sql`drop index ${sql.id(name)}`.execute(db);
}

/** Runs an index's own CREATE statement, as read by secondaryIndexes. */
export async function createIndex(db: Executor, definition: IndexDefinition): Promise<void> {
  await db.executeQuery(CompiledQuery.raw(definition.sql));
}

/** SQLite's journal mode and synchronous setting, to put back after a load. */
export async function sqliteDurability(db: Executor): Promise<{ journalMode: string; synchronous: number }> {
  const j = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
  const s = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
  return { journalMode: j.rows[0]!.journal_mode, synchronous: Number(s.rows[0]!.synchronous) };
}

/**
 * Load-time settings on SQLite: the rollback journal in memory and no fsync (a crash during the load can leave
 * the file unusable; the seed only does this on a database it can be re-run into from scratch). Returns the
 * journal mode now in force (WAL stays when another connection holds the file).
 */
export async function setSqliteFastLoad(db: Executor): Promise<string> {
  await sql`pragma synchronous = OFF`.execute(db);
  // A 1 GiB page cache for the load (the primary key's index takes random inserts: ~250 MB at 10 M cases).
  await sql`pragma cache_size = -1048576`.execute(db);
  try {
    const j = await sql<{ journal_mode: string }>`pragma journal_mode = MEMORY`.execute(db);
    return j.rows[0]!.journal_mode;
  } catch {
    // Another connection has the file open (a running server): leaving WAL needs it alone, so WAL stays.
    const j = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    return j.rows[0]!.journal_mode;
  }
}

/** Puts SQLite's durability back (WAL and synchronous=FULL as src/platform/db/database.ts opens it). */
export async function restoreSqliteDurability(db: Executor, before: { journalMode: string; synchronous: number }): Promise<void> {
  await db.executeQuery(CompiledQuery.raw(`pragma journal_mode = ${/^[a-z]+$/i.test(before.journalMode) ? before.journalMode : 'WAL'}`));
  await db.executeQuery(CompiledQuery.raw(`pragma synchronous = ${Number.isInteger(before.synchronous) ? before.synchronous : 2}`));
  await sql`pragma cache_size = ${sql.raw(String(SQLITE_CACHE_KIB))}`.execute(db);
}

/** PostgreSQL: commits of this transaction need not wait for the WAL flush (never unsafe, only less durable until the next flush). */
export async function pgAsyncCommit(trx: Executor): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(trx);
}

/** PostgreSQL: fresh planner statistics for these tables (after a bulk load). */
export async function analyze(db: Executor, tables: readonly string[]): Promise<void> {
  await sql.raw(`analyze ${tables.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ')}`).execute(db);
}

const insertSql = new WeakMap<object, Map<string, string>>();

/**
 * Inserts `values.length / columns.length` rows of flat values (row after row, in `columns` order) into `table`
 * with one multi-row INSERT; the SQL text is built by Kysely once per table, columns and row count.
 */
export async function insertValues(db: Executor, table: keyof Database & string, columns: readonly string[], values: unknown[]): Promise<void> {
  const rows = values.length / columns.length;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError('insertValues takes whole rows');
  const adapter = db.getExecutor().adapter;
  const bySql = insertSql.get(adapter) ?? new Map<string, string>();
  insertSql.set(adapter, bySql);
  const key = `${table}|${columns.join(',')}|${rows}`;
  let text = bySql.get(key);
  if (text === undefined) {
    const shape = Array.from({ length: rows }, () => Object.fromEntries(columns.map((c) => [c, null])));
    text = db.insertInto(table).values(shape as never).compile().sql;
    bySql.set(key, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, values));
}

export const countRows = async (db: Executor, table: keyof Database & string) =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow() as { n: number | string | bigint }).n);

/** Which of these receipt numbers are stored (the contact seed checks that it links cases that exist). */
export async function storedReceipts(db: Executor, receiptNumbers: string[]): Promise<Set<string>> {
  if (receiptNumbers.length === 0) return new Set();
  const rows = await db.selectFrom('cases').select('receipt_number').where('receipt_number', 'in', receiptNumbers).execute();
  return new Set(rows.map((r) => r.receipt_number));
}

/** A trigger on a loaded table (the report's rollup markers fire per row: the bulk seed drops them for the load). */
export type TriggerDefinition = IndexDefinition;

/** The triggers on `tables` (not PostgreSQL's internal ones behind constraints), with the statements that create them. */
export async function triggers(db: Executor, dialect: DialectName, tables: readonly string[]): Promise<TriggerDefinition[]> {
  if (tables.length === 0) return [];
  if (dialect === 'sqlite') {
    const r = await sql<TriggerDefinition>`select name, tbl_name as "table", sql from sqlite_master
      where type = 'trigger' and tbl_name in (${sql.join(tables)}) order by name`.execute(db);
    return r.rows;
  }
  const r = await sql<TriggerDefinition>`select t.tgname as name, c.relname as "table", pg_get_triggerdef(t.oid) as sql
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and n.nspname = current_schema() and c.relname in (${sql.join(tables)}) order by t.tgname`.execute(db);
  return r.rows;
}

export async function dropTrigger(db: Executor, dialect: DialectName, t: TriggerDefinition): Promise<void> {
  if (dialect === 'sqlite') await sql`drop trigger ${sql.id(t.name)}`.execute(db);
  else await sql`drop trigger ${sql.id(t.name)} on ${sql.table(t.table)}`.execute(db);
}

export async function createTrigger(db: Executor, t: TriggerDefinition): Promise<void> {
  await db.executeQuery(CompiledQuery.raw(t.sql));
}

/** Creates any of `list` that is not there (after a failed load). */
export async function restoreMissingTriggers(db: Executor, dialect: DialectName, list: readonly TriggerDefinition[]): Promise<string[]> {
  if (list.length === 0) return [];
  const present = new Set((await triggers(db, dialect, [...new Set(list.map((t) => t.table))])).map((t) => t.name));
  const missing = list.filter((t) => !present.has(t.name));
  for (const t of missing) await createTrigger(db, t);
  return missing.map((t) => t.name);
}
