/**
 * All SQL of Case Status Online: primary-key reads of a case's prepared public status document
 * (case-status/document.ts) and, for a document not prepared with the current reference data, of the columns a
 * public status answer is rendered from (no applicant data); and the re-render's scan and write.
 */
import type SQLite from 'better-sqlite3';
import type { CompiledQuery, Kysely } from 'kysely';
import type { CaseTable, Database } from '../platform/db/schema.ts';

const statusQuery = (db: Kysely<Database>, receiptNumber: string) =>
  db.selectFrom('cases')
    .select(['receipt_number', 'form_type', 'office', 'received_date', 'history', 'local_history'])
    .where('receipt_number', '=', receiptNumber);

type StatusRowOf = Awaited<ReturnType<ReturnType<typeof statusQuery>['executeTakeFirstOrThrow']>>;

/**
 * The public part of one case (no applicant data). The query is compiled once and run with each receipt
 * number as its only parameter: status lookups are the busiest read there is, and building and compiling
 * the same query on every request cost more than the read itself.
 */
export function statusRowReader(db: Kysely<Database>): (receiptNumber: string) => Promise<StatusRowOf | undefined> {
  const compiled: CompiledQuery<StatusRowOf> = statusQuery(db, '').compile();
  return async (receiptNumber) => (await db.executeQuery<StatusRowOf>({ ...compiled, parameters: [receiptNumber] })).rows[0];
}

/** A case's prepared API answer: [status_vocabulary, status_api] (either may be NULL). */
export type PreparedAnswer = [version: string | null, api: string | null];

/**
 * The prepared API answer of one case, or undefined when no case has this receipt number. On SQLite a prepared
 * better-sqlite3 statement answers synchronously (no promise, no driver hop: the lookup's hot path); on
 * PostgreSQL the same read goes through Kysely and answers a promise. One function, both databases.
 */
export function preparedAnswerReader(db: Kysely<Database>, sqlite?: SQLite.Database): (receiptNumber: string) => PreparedAnswer | undefined | Promise<PreparedAnswer | undefined> {
  if (sqlite) {
    const statement = sqlite.prepare('select status_vocabulary, status_api from cases where receipt_number = ?').raw(true);
    return (receiptNumber) => statement.get(receiptNumber) as PreparedAnswer | undefined;
  }
  const compiled = db.selectFrom('cases').select(['status_vocabulary', 'status_api']).where('receipt_number', '=', '').compile();
  return async (receiptNumber) => {
    const row = (await db.executeQuery<Pick<CaseTable, 'status_vocabulary' | 'status_api'>>({ ...compiled, parameters: [receiptNumber] })).rows[0];
    return row ? [row.status_vocabulary, row.status_api] : undefined;
  };
}

/**
 * SQLite only: the prepared answer of one case as bytes, [status_vocabulary, the answer's UTF-8 bytes], or undefined
 * when no case has this receipt number. The lookup before the framework writes them as they are: no string is made
 * of them and none is encoded again (the bare server of the benchmark answers a Buffer too).
 */
export function preparedBytesReader(sqlite: SQLite.Database): (receiptNumber: string) => [version: string | null, api: Buffer | null] | undefined {
  const statement = sqlite.prepare('select status_vocabulary, cast(status_api as blob) from cases where receipt_number = ?').raw(true);
  return (receiptNumber) => statement.get(receiptNumber) as [string | null, Buffer | null] | undefined;
}

/** A case's prepared document with the columns to render it from when it is not current. */
export const documentRow = (db: Kysely<Database>, receiptNumber: string) =>
  db.selectFrom('cases')
    .select(['receipt_number', 'form_type', 'office', 'received_date', 'history', 'local_history', 'status_vocabulary', 'status_api', 'status_document'])
    .where('receipt_number', '=', receiptNumber).executeTakeFirst();

/** One page of cases in receipt-number order after `after`, with what a re-render reads and compares. */
export const renderPage = (db: Kysely<Database>, after: string, limit: number) =>
  db.selectFrom('cases')
    .select(['receipt_number', 'form_type', 'office', 'received_date', 'history', 'local_history', 'feed_hash', 'status_vocabulary', 'status_api', 'status_document'])
    .where('receipt_number', '>', after).orderBy('receipt_number').limit(limit).execute();

export const countCases = async (db: Kysely<Database>) =>
  Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** Writes a case's re-rendered document if the row is still the one it was rendered from; true when it did. */
export async function writeDocument(db: Kysely<Database>, receiptNumber: string, from: { feed_hash: string; local_history: string }, columns: Pick<CaseTable, 'status_vocabulary' | 'status_api' | 'status_document'>): Promise<boolean> {
  const r = await db.updateTable('cases').set(columns)
    .where('receipt_number', '=', receiptNumber).where('feed_hash', '=', from.feed_hash).where('local_history', '=', from.local_history)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
