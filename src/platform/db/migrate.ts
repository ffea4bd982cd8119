/** Applies the timestamped, forward-only migrations in order. */
import { Migrator, sql, type Migration, type MigrationResult } from 'kysely';
import type { DatabaseHandle } from './database.ts';
import * as foundation from './migrations/20261129T0400_foundation.ts';
import * as cases from './migrations/20261129T0500_cases.ts';
import * as idempotency from './migrations/20261201T1000_idempotency.ts';
import * as outbox from './migrations/20261201T1100_outbox.ts';
import * as serviceRequests from './migrations/20261202T0100_service_requests.ts';
import * as contacts from './migrations/20261202T0300_contacts.ts';
import * as sessionActivity from './migrations/20261202T0320_session_activity.ts';
import * as noticeReissue from './migrations/20261202T0310_notice_reissue.ts';
import * as telephony from './migrations/20261202T0410_telephony.ts';
import * as scripts from './migrations/20261202T0400_scripts.ts';
import * as appointments from './migrations/20261202T0420_appointments.ts';
import * as callReviews from './migrations/20261202T0500_call_reviews.ts';
import * as caseAssistance from './migrations/20261202T0510_case_assistance.ts';
import * as feedbackGuidance from './migrations/20261202T0520_feedback_guidance.ts';
import * as caseAssistanceDocuments from './migrations/20261202T0600_case_assistance_documents.ts';
import * as ombudsmanAgencyRequests from './migrations/20261202T0610_ombudsman_agency_requests.ts';
import * as retention from './migrations/20261202T0620_retention.ts';
import * as reportRollups from './migrations/20261202T0640_report_rollups.ts';
import * as caseStatusDocuments from './migrations/20261202T0700_case_status_documents.ts';
import * as alerts from './migrations/20261202T0710_alerts.ts';
import * as webhooks from './migrations/20261202T0720_webhooks.ts';
import * as reportDaily from './migrations/20261202T0800_report_daily.ts';
import * as scriptReview from './migrations/20261203T0200_script_review.ts';
import * as retentionRules from './migrations/20261203T0210_retention_rules.ts';
import * as supervisorTools from './migrations/20261203T0300_supervisor_tools.ts';
import * as contactsPhoneId from './migrations/20261203T0400_contacts_phone_id.ts';

/** Every migration, keyed by its timestamped name. Add new ones at the end; never edit a landed one. */
export const MIGRATIONS: Record<string, Migration> = {
  '20261129T0400_foundation': foundation,
  '20261129T0500_cases': cases,
  '20261201T1000_idempotency': idempotency,
  '20261201T1100_outbox': outbox,
  '20261202T0100_service_requests': serviceRequests,
  '20261202T0300_contacts': contacts,
  '20261202T0310_notice_reissue': noticeReissue,
  '20261202T0320_session_activity': sessionActivity,
  '20261202T0400_scripts': scripts,
  '20261202T0410_telephony': telephony,
  '20261202T0420_appointments': appointments,
  '20261202T0500_call_reviews': callReviews,
  '20261202T0510_case_assistance': caseAssistance,
  '20261202T0520_feedback_guidance': feedbackGuidance,
  '20261202T0600_case_assistance_documents': caseAssistanceDocuments,
  '20261202T0610_ombudsman_agency_requests': ombudsmanAgencyRequests,
  '20261202T0620_retention': retention,
  '20261202T0640_report_rollups': reportRollups,
  '20261202T0700_case_status_documents': caseStatusDocuments,
  '20261202T0710_alerts': alerts,
  '20261202T0720_webhooks': webhooks,
  '20261202T0800_report_daily': reportDaily,
  '20261203T0200_script_review': scriptReview,
  '20261203T0210_retention_rules': retentionRules,
  '20261203T0300_supervisor_tools': supervisorTools,
  '20261203T0400_contacts_phone_id': contactsPhoneId,
};

/** Applies pending migrations; returns the names applied. Throws with the failing migration's name. */
export async function migrateToLatest({ db, dialect }: Pick<DatabaseHandle, 'db' | 'dialect'>): Promise<string[]> {
  // On PostgreSQL the migrator must look for its own tables in the connection's schema only: by default it
  // finds them in any schema, and another schema's copy would make it skip creating its own.
  const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r: MigrationResult) => r.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
