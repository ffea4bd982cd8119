/**
 * Documents sent with Ombudsman case assistance requests (issue 10, "Documents"): PDF, JPEG or PNG, recognised by
 * their bytes. The bytes are stored in the row itself (blob on SQLite, bytea on PostgreSQL): durable with the
 * commit that accepts them, shared by every instance, and outside any web root; they are only ever served as
 * downloads to the Ombudsman. A document belongs to a draft of the public form (`draft_hash`, the draft's token
 * hash) until the draft is sent, then to the request (`request_number`). `removed_at` marks a document taken out
 * of a draft (the bytes are cleared). The retention purge works on `uploaded_at` and the request's closure.
 */
import { PostgresAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.createTable('case_assistance_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_number', 'text') // set when the draft is sent (or when staff attach one)
    .addColumn('draft_hash', 'text') // while in a draft of the public form
    .addColumn('file_name', 'text', (c) => c.notNull()) // as given, sanitised for display and Content-Disposition
    .addColumn('media_type', 'text', (c) => c.notNull()) // sniffed from the bytes: application/pdf | image/jpeg | image/png
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull()) // 'public' or the staff actor's label
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema.createIndex('case_assistance_documents_request').on('case_assistance_documents').columns(['request_number']).execute();
  await db.schema.createIndex('case_assistance_documents_draft').on('case_assistance_documents').columns(['draft_hash']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
