/**
 * Ombudsman case assistance requests (DHS Form 7001; CONTRACT.md section 11). A request holds what the person
 * gave (requester, applicant, cases, prior actions, reasons: PII, never logged), the advice computed at intake,
 * the analyst's work (status, assignee) and its service targets (review-by 30 days, act-by 90 days). Its history
 * (status changes, assignments, notes) is in `case_assistance_events`; drafts of the public form, resumable by
 * an unguessable link (only the token's hash is stored), in `case_assistance_drafts`.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('case_assistance_requests')
    // "CA" + 9 digits, the last a Damm check digit (src/ombudsman/checks.ts).
    .addColumn('request_number', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull()) // received | in-review | agency-asked | answered | closed
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_date', 'text', (c) => c.notNull()) // the agency's date of creation
    .addColumn('review_by', 'text', (c) => c.notNull())
    .addColumn('act_by', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('requester', 'text', (c) => c.notNull()) // JSON
    .addColumn('applicant', 'text', (c) => c.notNull()) // JSON
    .addColumn('for_someone_else', 'integer', (c) => c.notNull())
    .addColumn('consent', 'integer', (c) => c.notNull())
    .addColumn('g28_on_file', 'integer', (c) => c.notNull())
    .addColumn('cases', 'text', (c) => c.notNull()) // JSON [{receiptNumber, formType, receiptDate?, benefitType?}]
    .addColumn('prior_actions', 'text', (c) => c.notNull()) // JSON [{date, kind, referralNumber?, callReference?}]
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('prior_action_verified', 'integer', (c) => c.notNull())
    .addColumn('advice', 'text', (c) => c.notNull()) // JSON [codes]
    .addColumn('assigned_to', 'text')
    .addColumn('outcome', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('case_assistance_queue').on('case_assistance_requests').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('case_assistance_created').on('case_assistance_requests').columns(['created_at']).execute();

  await db.schema.createTable('case_assistance_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_number', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull()) // received | status | assigned | note
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('detail', 'text') // JSON
    .execute();
  await db.schema.createIndex('case_assistance_events_request').on('case_assistance_events').columns(['request_number', 'at']).execute();

  await db.schema.createTable('case_assistance_drafts')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('data', 'text', (c) => c.notNull()) // JSON: what was typed so far
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_as', 'text') // the request number once submitted
    .execute();
  await db.schema.createIndex('case_assistance_drafts_updated').on('case_assistance_drafts').columns(['updated_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
