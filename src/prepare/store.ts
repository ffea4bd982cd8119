/** The case columns "Prepare for my call" reads: status, processing-time keys, priority date, notices. */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

export const PREPARE_COLUMNS = [
  'receipt_number', 'form_type', 'form_category', 'office', 'field_office', 'received_date', 'decided_date', 'history', 'local_history',
  'status', 'status_date', 'priority_date', 'preference_category', 'chargeability', 'protected_category', 'a_number', 'notices',
  'status_vocabulary', 'status_api', 'status_document',
] as const;

export async function casesForPreparation(db: Kysely<Database>, receiptNumbers: string[]) {
  if (receiptNumbers.length === 0) return [];
  return db.selectFrom('cases').select(PREPARE_COLUMNS).where('receipt_number', 'in', receiptNumbers).execute();
}

export type PreparationRow = Awaited<ReturnType<typeof casesForPreparation>>[number];
