/**
 * Table types for Kysely. Portable across SQLite and PostgreSQL: instants are ISO 8601 UTC text
 * (fixed width, so text order is time order), booleans are 0/1 integers, structured values are JSON text.
 */
export interface StaffTable {
  id: string;
  email: string;
  name: string;
  role: string;
  office: string | null;
  agent_id: string;
  /** JSON array of skills: languages ("en", "es") and "military" (which callbacks and transfers an officer takes). */
  skills: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** SHA-256 of the bearer token or cookie value; the token itself is never stored. */
  id: string;
  staff_id: string;
  kind: 'api' | 'browser';
  created_at: string;
  /** The absolute end: created_at plus ABSOLUTE_TIMEOUT_HOURS (src/staff/policy.ts). */
  expires_at: string;
  revoked_at: string | null;
  /** When the session was last used; written at most once a minute, so it may lag the last request by that much. */
  last_seen_at: string;
}

export interface LoginFailureTable {
  id: string;
  /** What was throttled: "account:<sha256 of e-mail>" or "address:<ip>". */
  throttle_key: string;
  at: string;
}

export interface ApiClientTable {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  per_second: number;
  per_day: number;
  disabled: number;
  created_at: string;
}

export interface AccessTokenTable {
  id: string;
  client_id: string;
  scopes: string;
  issued_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  outcome: 'allowed' | 'denied';
  purpose: string | null;
  trace_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface CaseTable {
  receipt_number: string;
  form_type: string;
  form_category: string;
  office: string;
  field_office: string | null;
  received_date: string;
  decided_date: string | null;
  decision_days: number | null;
  status: string;
  status_date: string;
  status_at: string | null;
  priority_date: string | null;
  preference_category: string | null;
  chargeability: string | null;
  military: number;
  protected_category: string | null;
  premium_eligible: number;
  a_number: string | null;
  /** JSON: name, dateOfBirth, aNumber, countryOfBirth, phone, email, address (PII; never logged). */
  applicant: string;
  representative: string | null;
  /** JSON: the feed's history entries, oldest first. */
  history: string;
  /** JSON: entries Switchboard added itself (a duplicate notice mailed), kept when the feed re-sends. */
  local_history: string;
  notices: string;
  rfes: string;
  /** SHA-256 of the canonical feed record: a re-sent, unchanged record is not written again. */
  feed_hash: string;
  updated_at: string;
  /** The reference data version the two prepared status columns were rendered with (case-status/document.ts). */
  status_vocabulary: string | null;
  /** The exact body of GET /case-status/{receiptNumber}; NULL: render from the row. */
  status_api: string | null;
  /** JSON: the presented case in English and Spanish (pages, legacy form, IVR, Prepare for my call). */
  status_document: string | null;
}

export interface ProcessingTimeTable {
  form_type: string;
  form_category: string;
  office: string;
  months80: number;
  as_of: string;
  published_at: string;
}

export interface ProcessingTimeCacheTable {
  form_type: string;
  form_category: string;
  office: string;
  today: string;
  months80: number | null;
  decisions: number;
}

export interface VisaBulletinTable {
  month: string;
  final_action: string;
  dates_for_filing: string;
  published_at: string;
}

export interface RateLimitCounterTable {
  bucket: string;
  window_start: string;
  hits: number;
}

/** An endpoint of the agency's other systems that receives webhook events (src/webhooks/). */
export interface WebhookEndpointTable {
  id: string;
  url: string;
  /** Space-separated event types. */
  events: string;
  description: string;
  /** The HMAC signing secret (shown once on creation; never logged or audited). */
  secret: string;
  created_by: string;
  created_at: string;
  removed_at: string | null;
}

export interface OutboxTable {
  id: string;
  channel: 'email' | 'sms' | 'webhook';
  /** PII: an e-mail address or phone number; never logged. A webhook delivery: the endpoint's id. */
  to_address: string;
  subject: string;
  body_text: string;
  lang: string;
  template: string;
  subject_ref: string | null;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  message_id: string | null;
  /** JSON object of extra mail headers (List-Unsubscribe on alerts), or null. */
  headers: string | null;
  /** A webhook delivery's last HTTP status from the receiver (migration 20261202T0720); null for mail. */
  response_code?: number | null;
}

export interface IdempotencyKeyTable {
  /** Whose key it is: "staff:<id>", "client:<id>" or "public:<method> <route>". */
  scope: string;
  key: string;
  /** SHA-256 of the canonical method, route and body. */
  request_hash: string;
  status: number;
  /** The answer's exact JSON text, replayed byte for byte. */
  response_body: string;
  created_at: string;
}

export type ServiceRequestStatus = 'open' | 'claimed' | 'answered' | 'closed' | 'reopened';

export interface ServiceRequestTable {
  referral_number: string;
  receipt_number: string;
  type: string;
  status: ServiceRequestStatus;
  /** 1 while in an office's work (open, claimed, reopened). */
  active: number;
  /** "<receipt> <type>" while open (not answered or closed), else null: unique, so one open request per case and type. */
  open_slot: string | null;
  office: string;
  priority: string;
  created_at: string;
  created_date: string;
  due_date: string;
  creator: string;
  created_by: string;
  contact_id: string | null;
  lang: string;
  /** JSON: details, urgency, expediteCriterion, newAddress, … (may hold PII; never logged). */
  fields: string;
  claimed_by: string | null;
  claimed_at: string | null;
  response: string | null;
  answered_by: string | null;
  answered_at: string | null;
  overdue: number;
  overdue_at: string | null;
  reopen_count: number;
  reopened_at: string | null;
  closed_at: string | null;
  form_letter_flag: number;
  updated_at: string;
}

export interface ServiceRequestEventTable {
  id: string;
  referral_number: string;
  at: string;
  action: string;
  actor: string;
  detail: string | null;
}

export interface ContactTable {
  id: string;
  reference: string;
  source: 'desk' | 'platform' | 'callback';
  external_id: string | null;
  channel: string;
  caller_phone: string | null;
  language: string;
  tier: string | null;
  agent_staff_id: string | null;
  agent_id: string | null;
  escalated_to: string | null;
  callback_id: string | null;
  started_at: string;
  ended_at: string | null;
  disposition: string | null;
  end_notes: string | null;
  recording_uri: string | null;
  created_at: string;
}

export interface ContactEventTable {
  id: string;
  contact_id: string;
  at: string;
  kind: string;
  actor: string;
  detail: string | null;
}

export interface ContactCaseTable {
  contact_id: string;
  receipt_number: string;
  verified: number;
  linked_at: string;
}

export interface VerificationFailureTable {
  id: string;
  receipt_number: string;
  contact_id: string;
  at: string;
}

export interface VerificationLockTable {
  receipt_number: string;
  locked_at: string;
  locked_until: string;
}

export type EscalationStatus = 'open' | 'done' | 'missed';

export interface EscalationTable {
  id: string;
  contact_id: string;
  mode: 'transfer' | 'callback';
  reason: string;
  urgency: 'urgent' | 'regular';
  receipt_number: string | null;
  language: string;
  skills: string;
  skill_key: string;
  phone: string | null;
  call_window: string | null;
  window_start: string | null;
  due_at: string;
  status: EscalationStatus;
  attempts: number;
  failed_attempts: number;
  last_attempt_at: string | null;
  to_staff_id: string | null;
  reached_contact_id: string | null;
  notify_channel: 'sms' | 'email' | null;
  notify_address: string | null;
  created_by: string;
  created_at: string;
  closed_at: string | null;
  updated_at: string;
  /** The Tier 2 officer holding an open callback, and since when (migration 20261203T0300); NULL in the skills queue. */
  assigned_to?: string | null;
  assigned_at?: string | null;
}

export interface CallbackAttemptTable {
  id: string;
  escalation_id: string;
  n: number;
  at: string;
  staff_id: string;
  outcome: string;
}

export interface StaffPresenceTable {
  staff_id: string;
  status: 'available' | 'busy' | 'away';
  contact_id: string | null;
  updated_at: string;
}

export type NoticeReissueStatus = 'open' | 'done';

/** A notice re-issue request: Tier 2 asks the office holding a case to re-issue a notice (CONTRACT.md section 9). */
export interface NoticeReissueRequestTable {
  id: string;
  receipt_number: string;
  notice_id: string;
  office: string;
  status: NoticeReissueStatus;
  /** "<receipt> <noticeId>" while open, else null: unique, so one open request per case and notice. */
  open_slot: string | null;
  /** The agent's words (may hold PII; never logged). */
  reason: string;
  contact_id: string | null;
  requested_by: string;
  created_at: string;
  done_at: string | null;
  done_by: string | null;
  duplicate_notice_id: string | null;
}

/** Approved scripts (src/scripts): one row per topic, language and version; `latest` = 1 is the published one. */
export interface ScriptTable {
  slug: string;
  language: string;
  version: number;
  title: string;
  body: string;
  keywords: string;
  legal_advice_boundary: string | null;
  search_title: string;
  search_keywords: string;
  search_body: string;
  content_hash: string;
  published_at: string;
  latest: number;
  /** The reference file's text this version was loaded from (NULL: published by staff). */
  source_hash: string | null;
  retired_at: string | null;
  retired_by: string | null;
}

export interface ScriptDraftTable {
  id: string;
  slug: string;
  base_version: number | null;
  /** JSON {en, es}: {title, body, keywords, legalAdviceBoundary?}. */
  texts: string;
  status: string;
  open_slot: string | null;
  author_id: string;
  author_name: string;
  created_at: string;
  reviewer_id: string | null;
  reviewer_name: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  published_version: number | null;
  published_by: string | null;
  published_at: string | null;
}

export interface RetentionRuleTable {
  kind: string;
  keep_unit: string | null;
  keep_n: number | null;
  basis: string;
  note: string | null;
  revision: number;
  updated_at: string;
  updated_by: string;
}

export interface TelephonyCallTable {
  call_sid: string;
  caller_phone: string | null;
  called_phone: string | null;
  language: string | null;
  receipt_number: string | null;
  outcome: string | null;
  tier: string | null;
  queue: string | null;
  started_at: string;
  enqueued_at: string | null;
  last_step_at: string;
  recorded_at: string | null;
}

/** An in-person appointment at a field office (src/appointments). */
export interface AppointmentTable {
  id: string;
  confirmation_number: string;
  receipt_number: string;
  office: string;
  served_by: string;
  slot_start: string;
  slot_end: string;
  seat: number;
  reason: string;
  status: 'booked' | 'cancelled';
  case_slot: string | null;
  lang: string;
  contact_id: string | null;
  booked_by: string;
  booked_at: string;
  cancelled_by: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  reschedule_referral: string | null;
  rescheduled_by: string | null;
  rescheduled_at: string | null;
  previous_start: string | null;
  updated_at: string;
}

/** One taken seat of a slot: the primary key (office, slot_start, seat) is the capacity rule. */
export interface AppointmentSeatTable {
  office: string;
  slot_start: string;
  seat: number;
  appointment_id: string;
}

export interface CallReviewTable {
  review_number: string;
  contact_id: string;
  status: 'open' | 'closed';
  concern: string;
  outcome: string | null;
  asked_call_time: string | null;
  asked_phone: string | null;
  asked_agent: string | null;
  requested_by: string;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
}

export interface RetentionHoldTable {
  id: string;
  record_kind: string;
  record_id: string;
  reason: string;
  created_at: string;
  released_at: string | null;
}

export interface CaseAssistanceTable {
  request_number: string;
  status: 'received' | 'in-review' | 'agency-asked' | 'answered' | 'closed';
  created_at: string;
  created_date: string;
  review_by: string;
  act_by: string;
  lang: 'en' | 'es';
  requester: string;
  applicant: string;
  for_someone_else: number;
  consent: number;
  g28_on_file: number;
  cases: string;
  prior_actions: string;
  reasons: string;
  prior_action_verified: number;
  advice: string;
  assigned_to: string | null;
  outcome: string | null;
  updated_at: string;
  closed_at: string | null;
}

export interface CaseAssistanceEventTable {
  id: string;
  request_number: string;
  at: string;
  action: string;
  actor: string;
  detail: string | null;
}

export type OmbudsmanAgencyRequestStatus = 'open' | 'claimed' | 'answered';

/** The Ombudsman's question to the office holding a cited case, a work item in its queue (src/ombudsman-agency/). */
export interface OmbudsmanAgencyRequestTable {
  id: string;
  request_number: string;
  receipt_number: string;
  office: string;
  question: string;
  asked_by: string;
  asked_at: string;
  due_date: string;
  status: OmbudsmanAgencyRequestStatus;
  claimed_by: string | null;
  claimed_at: string | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
}

export interface CaseAssistanceDraftTable {
  token_hash: string;
  data: string;
  lang: 'en' | 'es';
  created_at: string;
  updated_at: string;
  submitted_as: string | null;
}

/** A document sent with a case assistance request, its bytes in the row (src/ombudsman-documents/). */
export interface CaseAssistanceDocumentTable {
  id: string;
  request_number: string | null;
  draft_hash: string | null;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  uploaded_at: string;
  removed_at: string | null;
}

/** One person's request to be told when a case's public status (or a service request) changes (src/alerts/). */
export interface AlertSubscriptionTable {
  id: string;
  subject_kind: 'case' | 'service-request';
  subject: string;
  channel: 'email' | 'sms';
  /** PII: the e-mail address lower-cased, or the phone number in E.164; never logged or audited. */
  address: string;
  language: 'en' | 'es';
  token_hash: string;
  status: 'pending' | 'confirmed' | 'unsubscribed';
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  last_sent_status: string | null;
}

/** One "Was this page helpful?" answer or comment (src/feedback/). */
export interface FeedbackTable {
  id: string;
  page: string | null;
  helpful: number | null;
  reasons: string;
  comment: string | null;
  about_contact_center: number;
  lang: string | null;
  source: string;
  created_at: string;
}

/** One published version of a guidance page, both languages (src/guidance/). */
export interface GuidanceVersionTable {
  slug: string;
  version: number;
  title_en: string;
  body_en: string;
  title_es: string;
  body_es: string;
  source_hash: string | null;
  published_at: string;
  published_by: string;
}

/** The report's sums per UTC hour ('YYYY-MM-DDTHH') of a record's creation (src/reports, migration 0640). */
export interface ReportHourlyTable {
  hour: string;
  metric: string;
  dimension: string;
  value: number | string;
}

/** A call linked to a case whose phone had called about that case before: when it last had. */
/** Per UTC day, the sum of its report_hourly rows (migration 20261202T0800_report_daily). */
export interface ReportDailyTable {
  day: string;
  metric: string;
  dimension: string;
  value: number | string;
}

export interface ReportRepeatCallTable {
  hour: string;
  caller_phone: string;
  at: string;
  previous_at: string;
  /** The latest previous_at among this phone's earlier rows (by at, previous_at); NULL for its first. */
  blocked_until: string | null;
}

/** Phones whose report_repeat_calls rows a refresh replaced, whose blocked_until it recomputes. */
export interface ReportRepeatDirtyPhoneTable {
  caller_phone: string;
}

/** Hours whose report rows changed since they were summed (marked by triggers). */
export interface ReportDirtyHourTable {
  hour: string;
  marks: number | string;
}

export interface Database {
  cases: CaseTable;
  processing_times: ProcessingTimeTable;
  processing_time_cache: ProcessingTimeCacheTable;
  visa_bulletins: VisaBulletinTable;
  rate_limit_counters: RateLimitCounterTable;
  staff: StaffTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  api_clients: ApiClientTable;
  access_tokens: AccessTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  settings: SettingTable;
  idempotency_keys: IdempotencyKeyTable;
  outbox: OutboxTable;
  service_requests: ServiceRequestTable;
  service_request_events: ServiceRequestEventTable;
  notice_reissue_requests: NoticeReissueRequestTable;
  contacts: ContactTable;
  contact_events: ContactEventTable;
  contact_cases: ContactCaseTable;
  verification_failures: VerificationFailureTable;
  verification_locks: VerificationLockTable;
  escalations: EscalationTable;
  callback_attempts: CallbackAttemptTable;
  staff_presence: StaffPresenceTable;
  call_reviews: CallReviewTable;
  retention_holds: RetentionHoldTable;
  case_assistance_requests: CaseAssistanceTable;
  case_assistance_events: CaseAssistanceEventTable;
  case_assistance_drafts: CaseAssistanceDraftTable;
  ombudsman_agency_requests: OmbudsmanAgencyRequestTable;
  case_assistance_documents: CaseAssistanceDocumentTable;
  appointments: AppointmentTable;
  appointment_seats: AppointmentSeatTable;
  telephony_calls: TelephonyCallTable;
  scripts: ScriptTable;
  script_drafts: ScriptDraftTable;
  retention_rules: RetentionRuleTable;
  feedback: FeedbackTable;
  guidance_versions: GuidanceVersionTable;
  report_hourly: ReportHourlyTable;
  report_daily: ReportDailyTable;
  webhook_endpoints: WebhookEndpointTable;
  report_repeat_calls: ReportRepeatCallTable;
  report_repeat_dirty_phones: ReportRepeatDirtyPhoneTable;
  report_dirty_hours: ReportDirtyHourTable;
  alert_subscriptions: AlertSubscriptionTable;
}
