/** All SQL of Case Status Online: one primary-key read of the columns a public status answer shows. */
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

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
