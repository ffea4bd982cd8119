/** All SQL of case data: batched upserts from the feed, single-case reads, and processing-time cache invalidation. */
import type SQLite from 'better-sqlite3';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { CaseTable, Database } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Columns the feed owns; local_history is Switchboard's own and survives a re-sent record. */
const FEED_COLUMNS = [
  'form_type', 'form_category', 'office', 'field_office', 'received_date', 'decided_date', 'decision_days', 'status', 'status_date',
  'status_at', 'priority_date', 'preference_category', 'chargeability', 'military', 'protected_category', 'premium_eligible', 'a_number',
  'applicant', 'representative', 'history', 'notices', 'rfes', 'feed_hash', 'updated_at',
] as const satisfies ReadonlyArray<keyof CaseTable>;

/** What the store knew of a case before a batch: enough to skip an unchanged record and see a transfer. */
export type KnownCase = Pick<CaseTable, 'receipt_number' | 'feed_hash' | 'office' | 'form_type' | 'form_category' | 'status' | 'local_history'>;
const KNOWN_COLUMNS = ['receipt_number', 'feed_hash', 'office', 'form_type', 'form_category', 'status', 'local_history'] as const satisfies ReadonlyArray<keyof CaseTable>;

/** What the store knew of each case before a batch, by receipt number. */
export async function existingKeys(db: Executor, receiptNumbers: string[]): Promise<Map<string, KnownCase>> {
  if (receiptNumbers.length === 0) return new Map();
  const rows = await db.selectFrom('cases').select(KNOWN_COLUMNS).where('receipt_number', 'in', receiptNumbers).execute();
  return new Map(rows.map((r) => [r.receipt_number, r]));
}

/** Every column of a case row, in the order the upsert binds them. */
/**
 * The public status document's columns (case-status/document.ts): rendered with the local history the feed read
 * before the batch, so a re-sent record keeps them only while that local history is still the stored one (a
 * duplicate notice committed in between leaves them NULL, presented from the row until re-rendered).
 */
const STATUS_COLUMNS = ['status_vocabulary', 'status_api', 'status_document'] as const satisfies ReadonlyArray<keyof CaseTable>;
const ALL_COLUMNS = ['receipt_number', 'local_history', ...FEED_COLUMNS, ...STATUS_COLUMNS] as const satisfies ReadonlyArray<keyof CaseTable>;
/** The same order, for the bulk seed, which binds rows built elsewhere (a worker thread) as flat values. */
export const CASE_COLUMNS: ReadonlyArray<keyof CaseTable> = ALL_COLUMNS;
/** Rows per upsert statement (see upsertCases). */
export const UPSERT_CHUNK = 200;

const upsertOf = (db: Executor, rows: CaseTable[]) =>
  db.insertInto('cases').values(rows.map((r) => Object.fromEntries(ALL_COLUMNS.map((c) => [c, r[c]])) as unknown as CaseTable))
    .onConflict((oc) => oc.column('receipt_number').doUpdateSet((eb) => Object.fromEntries([
      ...FEED_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)]),
      ...STATUS_COLUMNS.map((c) => [c, sql`case when cases.local_history = excluded.local_history then ${sql.ref(`excluded.${c}`)} end`]),
    ])));

/**
 * The upsert's SQL for a chunk size, built by Kysely once and then reused with each chunk's values: building a
 * 200-row statement costs more than executing it. The values bind row by row in ALL_COLUMNS order.
 */
const compiledUpserts = new WeakMap<object, Map<number, string>>();

function upsertSql(db: Executor, part: CaseTable[]): string {
  const key = db.getExecutor().adapter;
  const bySize = compiledUpserts.get(key) ?? new Map<number, string>();
  compiledUpserts.set(key, bySize);
  let sqlText = bySize.get(part.length);
  if (sqlText === undefined) {
    sqlText = upsertOf(db, part).compile().sql;
    bySize.set(part.length, sqlText);
  }
  return sqlText;
}

/** Inserts or replaces the feed's part of each case, in chunks small enough for SQLite's parameter limit. */
export async function upsertCases(db: Executor, rows: CaseTable[]): Promise<void> {
  const chunk = UPSERT_CHUNK; // 29 columns × 200 rows stays well under SQLite's 32,766 parameters
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const parameters: unknown[] = [];
    for (const r of part) for (const c of ALL_COLUMNS) parameters.push(r[c]);
    await db.executeQuery(CompiledQuery.raw(upsertSql(db, part), parameters));
  }
}

/**
 * The feed's reads and writes of a batch. On SQLite, prepared better-sqlite3 statements run synchronously on the
 * connection the batch's Kysely transaction holds (so inside that transaction: one connection, taken by the
 * transaction until it ends), one row a statement, with the SQL text Kysely builds for the same queries; on
 * PostgreSQL, existingKeys and upsertCases above. Only for a `trx` of the Kysely instance over that `sqlite`.
 */
export interface FeedWrites {
  existingKeys(trx: Transaction<Database>, receiptNumbers: string[]): Promise<Map<string, KnownCase>> | Map<string, KnownCase>;
  upsertCases(trx: Transaction<Database>, rows: CaseTable[]): Promise<void> | void;
}

export function feedWrites(db: Kysely<Database>, sqlite?: SQLite.Database): FeedWrites {
  if (!sqlite) return { existingKeys, upsertCases };
  // Prepared on first use: the service may be built before the migrations have made the table.
  let statements: { known: SQLite.Statement; upsert: SQLite.Statement } | null = null;
  const prepared = () => statements ??= {
    known: sqlite.prepare(db.selectFrom('cases').select(KNOWN_COLUMNS).where('receipt_number', '=', '').compile().sql),
    upsert: sqlite.prepare(upsertOf(db, [Object.fromEntries(ALL_COLUMNS.map((c) => [c, null])) as unknown as CaseTable]).compile().sql),
  };
  const values: unknown[] = new Array(ALL_COLUMNS.length);
  return {
    existingKeys(_trx, receiptNumbers) {
      const { known } = prepared();
      const found = new Map<string, KnownCase>();
      for (const rn of receiptNumbers) {
        const row = known.get(rn) as KnownCase | undefined;
        if (row) found.set(rn, row);
      }
      return found;
    },
    upsertCases(_trx, rows) {
      const { upsert } = prepared();
      for (const r of rows) {
        for (let c = 0; c < ALL_COLUMNS.length; c++) values[c] = r[ALL_COLUMNS[c]!];
        upsert.run(values);
      }
    },
  };
}

/**
 * The same upsert for rows already flattened in CASE_COLUMNS order (`values.length / CASE_COLUMNS.length` rows,
 * at most UPSERT_CHUNK): what the bulk seed writes, so a bulk-seeded case is stored exactly as a fed one.
 */
export async function upsertCaseValues(db: Executor, values: unknown[]): Promise<void> {
  const rows = values.length / ALL_COLUMNS.length;
  if (!Number.isInteger(rows) || rows < 1 || rows > UPSERT_CHUNK) throw new RangeError(`upsertCaseValues takes 1 to ${UPSERT_CHUNK} whole rows`);
  // Kysely needs row objects only to build the SQL text once per size; any values do.
  const key = db.getExecutor().adapter;
  const sqlText = compiledUpserts.get(key)?.get(rows)
    ?? upsertSql(db, Array.from({ length: rows }, () => Object.fromEntries(ALL_COLUMNS.map((c) => [c, null])) as unknown as CaseTable));
  await db.executeQuery(CompiledQuery.raw(sqlText, values));
}

/** Forgets every cached computed figure (after a bulk load, which does not track groups). */
export async function invalidateAllProcessingTimes(db: Executor): Promise<void> {
  await db.deleteFrom('processing_time_cache').execute();
}

/** Forgets cached computed figures for the given groups (and their all-categories rows). */
export async function invalidateProcessingTimes(db: Executor, groups: Iterable<{ form_type: string; form_category: string; office: string }>): Promise<void> {
  const keys = new Map<string, { form_type: string; office: string; categories: Set<string> }>();
  for (const g of groups) {
    const k = `${g.form_type}|${g.office}`;
    const entry = keys.get(k) ?? { form_type: g.form_type, office: g.office, categories: new Set(['*']) };
    entry.categories.add(g.form_category);
    keys.set(k, entry);
  }
  for (const { form_type, office, categories } of keys.values()) {
    await db.deleteFrom('processing_time_cache').where('form_type', '=', form_type).where('office', '=', office)
      .where('form_category', 'in', [...categories]).execute();
  }
}

export const findCase = (db: Executor, receiptNumber: string) =>
  db.selectFrom('cases').selectAll().where('receipt_number', '=', receiptNumber).executeTakeFirst();

export const countCases = async (db: Executor) =>
  Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** Pending cases of an office, oldest received first, with what the demo needs to file for them. */
export const pendingCasesOf = (db: Executor, office: string, limit: number) =>
  db.selectFrom('cases').select(['receipt_number', 'applicant', 'received_date', 'protected_category'])
    .where('office', '=', office).where('decided_date', 'is', null).orderBy('received_date').orderBy('receipt_number').limit(limit).execute();
