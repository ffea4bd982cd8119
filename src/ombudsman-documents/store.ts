/**
 * All SQL of the documents sent with case assistance requests. The bytes live in the row (`content`); lists never
 * read them, only a download does. A change to a draft's or request's documents first takes that parent row
 * (a no-op UPDATE: a row lock on PostgreSQL, the write lock on SQLite), so two uploads racing cannot both pass
 * the per-request limits.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CaseAssistanceDocumentTable, Database } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type DocumentRow = CaseAssistanceDocumentTable;
export type DocumentInfo = Omit<DocumentRow, 'content'>;

const INFO = ['id', 'request_number', 'draft_hash', 'file_name', 'media_type', 'size', 'sha256', 'uploaded_by', 'uploaded_at', 'removed_at'] as const;

export const insertDocument = (db: Executor, row: DocumentRow) => db.insertInto('case_assistance_documents').values(row).execute();

/** The documents kept in a draft, oldest first (without their bytes). */
export const ofDraft = (db: Executor, draftHash: string): Promise<DocumentInfo[]> =>
  db.selectFrom('case_assistance_documents').select(INFO).where('draft_hash', '=', draftHash).where('removed_at', 'is', null).orderBy('uploaded_at').orderBy('id').execute();

/** The documents of a request, oldest first (without their bytes). */
export const ofRequest = (db: Executor, requestNumber: string): Promise<DocumentInfo[]> =>
  db.selectFrom('case_assistance_documents').select(INFO).where('request_number', '=', requestNumber).where('removed_at', 'is', null).orderBy('uploaded_at').orderBy('id').execute();

/** One document of a request, with its bytes. */
export const findOfRequest = (db: Executor, requestNumber: string, id: string) =>
  db.selectFrom('case_assistance_documents').selectAll().where('id', '=', id).where('request_number', '=', requestNumber).where('removed_at', 'is', null).executeTakeFirst();

/** Takes a document out of a draft: marked removed, its bytes cleared. False when it was not in that draft. */
export async function removeFromDraft(db: Executor, draftHash: string, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('case_assistance_documents').set({ removed_at: at, content: Buffer.alloc(0) })
    .where('id', '=', id).where('draft_hash', '=', draftHash).where('request_number', 'is', null).where('removed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Moves a sent draft's documents to its request (in the sending transaction); the number moved. */
export async function attachDraft(db: Executor, draftHash: string, requestNumber: string): Promise<number> {
  const r = await db.updateTable('case_assistance_documents').set({ request_number: requestNumber, draft_hash: null })
    .where('draft_hash', '=', draftHash).where('request_number', 'is', null).where('removed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Takes the draft's row for this transaction; false when the draft is not there or already sent. */
export async function lockDraft(db: Executor, draftHash: string): Promise<boolean> {
  const r = await db.updateTable('case_assistance_drafts').set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('token_hash', '=', draftHash).where('submitted_as', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Takes the request's row for this transaction; false when there is no such request. */
export async function lockRequest(db: Executor, requestNumber: string): Promise<boolean> {
  const r = await db.updateTable('case_assistance_requests').set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('request_number', '=', requestNumber).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const requestExists = async (db: Executor, requestNumber: string): Promise<boolean> =>
  (await db.selectFrom('case_assistance_requests').select('request_number').where('request_number', '=', requestNumber).executeTakeFirst()) !== undefined;
