/** The one place dependencies are wired by hand: each service gets only what it uses. */
import type { Config } from './platform/config.ts';
import { openDatabase, type DatabaseHandle } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { loadAgency, type Agency } from './platform/reference.ts';
import { getOrCreateSetting } from './platform/settings.ts';
import { argon2Hasher } from './platform/passwords.ts';
import { createMetrics, type Metrics } from './platform/http/metrics.ts';
import { createViews, type Views } from './platform/views/views.ts';
import { AuditService } from './audit/service.ts';
import { StaffService } from './staff/service.ts';
import { ApiClientService } from './api-clients/service.ts';
import { CaseFeedService } from './cases/service.ts';
import { PrepareService } from './prepare/service.ts';
import { feedVocabulary } from './cases/feed-record.ts';
import { rateLimiterFor, type RateLimiter } from './platform/rate-limit.ts';
import { ProcessingTimeService } from './processing-times/service.ts';
import { VisaBulletinService } from './visa-bulletin/service.ts';
import { CaseStatusService } from './case-status/service.ts';
import { statusVocabulary } from './case-status/presenter.ts';
import { OutboxService } from './outbox/service.ts';
import { OutboxWorker, smtpTransport } from './outbox/worker.ts';
import { twilioSmsTransport } from './outbox/sms.ts';
import { IdempotencyService } from './platform/idempotency/service.ts';
import { ServiceRequestService } from './service-requests/service.ts';
import { loadServiceRequestRules } from './service-requests/policy.ts';
import { ContactService } from './contacts/service.ts';
import { TelephonyService } from './telephony/service.ts';
import { loadContactCenterPolicy } from './contacts/policy.ts';
import { CallbackService } from './callbacks/service.ts';
import { CallReviewService } from './call-reviews/service.ts';
import { FeedbackService } from './feedback/service.ts';
import { GuidanceService, loadGuidanceSources } from './guidance/service.ts';
import { CaseAssistanceService } from './ombudsman/service.ts';
import { CaseAssistanceDocumentService } from './ombudsman-documents/service.ts';
import { OmbudsmanAgencyService } from './ombudsman-agency/service.ts';
import { CaseDetailsService } from './case-details/service.ts';
import { contactTimeline, escalationTimeline } from './tier2-desk/timeline-sources.ts';
import { AppointmentService } from './appointments/service.ts';
import { loadAppointmentPolicy } from './appointments/policy.ts';
import { appointmentTimeline } from './appointments/timeline-source.ts';
import { ScriptService, loadScriptSources } from './scripts/service.ts';
import { ReportService } from './reports/service.ts';
import { RetentionService } from './retention/service.ts';
import { loadRetentionRules } from './retention/policy.ts';
import { AlertService } from './alerts/service.ts';
import { WebhookService } from './webhooks/service.ts';
import { webhookTransport } from './webhooks/delivery.ts';
import { SupervisionService } from './supervision/service.ts';

export interface Deps {
  config: Config;
  database: DatabaseHandle;
  agency: Agency;
  audit: AuditService;
  staff: StaffService;
  clients: ApiClientService;
  feed: CaseFeedService;
  /** Processing times and inquiry eligibility ("outside normal processing time"). */
  processingTimes: ProcessingTimeService;
  /** The visa bulletin and the priority date check. */
  visaBulletins: VisaBulletinService;
  /** Public case status (pages, legacy form, agency-compatible API). */
  caseStatus: CaseStatusService;
  prepare: PrepareService;
  /** Outgoing mail: enqueue(trx, message) in the caller's transaction. */
  outbox: OutboxService;
  /** Delivers the outbox: mail through SMTP_URL, texts through Twilio (TWILIO_SMS_FROM); null without either (messages then stay pending, readable by admins). */
  outboxWorker: OutboxWorker | null;
  /** Webhooks out: endpoints admins register, events queued in each change's transaction (src/webhooks/). */
  webhooks: WebhookService;
  /** Delivers webhook rows of the outbox by HTTP POST (always: it needs no configuration); mail is outboxWorker's. */
  webhookWorker: OutboxWorker;
  /** Idempotency-Key handling for creating POSTs: one per process (its in-memory check answers 409 within the process). */
  idempotency: IdempotencyService;
  /** Service requests: creation by the rules of reference/<agency>/service-requests.json, office queues, answers. */
  serviceRequests: ServiceRequestService;
  /** Case details for staff (audited reads, RFEs for the holding office), notice re-issue requests and duplicate notices. */
  caseDetails: CaseDetailsService;
  /** Calls at the desk: open, verify (with the 24-hour lock), notes, end with the call record; platform records; finding calls. */
  contacts: ContactService;
  /** Escalation to Tier 2 (live transfer or callback), callback attempts, Tier 2 presence, the supervisor's view. */
  callbacks: CallbackService;
  /** Ombudsman call reviews: the call found from what the person remembers, held until the review closes. */
  callReviews: CallReviewService;
  /** "Was this page helpful?" and comments about the Contact Center; reviewed by staff who read reports. */
  feedback: FeedbackService;
  /** Guidance pages (reference data loaded at start-up, new versions published by staff), English and Spanish. */
  guidance: GuidanceService;
  /** Ombudsman case assistance requests (DHS Form 7001): intake with advice, the analyst queue, letters on closure. */
  caseAssistance: CaseAssistanceService;
  /** Documents of case assistance requests: PDF, JPEG, PNG by their bytes, in the database, downloaded by the Ombudsman only. */
  caseAssistanceDocuments: CaseAssistanceDocumentService;
  /** The Ombudsman's questions to the office holding a cited case (work items in its queue) and letters to the person at any stage. */
  ombudsmanAgency: OmbudsmanAgencyService;
  /** The phone menu behind the voice webhooks (CONTRACT.md section 8a) and the staff call simulator. */
  telephony: TelephonyService;
  /** Approved scripts in English and Spanish (reference data loaded at start-up), their search, their use on a call. */
  scripts: ScriptService;
  /** In-person appointments at field offices: capacity from reference/<agency>/appointments.json, booking, rescheduling. */
  appointments: AppointmentService;
  /** The contact center report (CONTRACT.md section 12): SQL aggregates over calls, callbacks, service requests, the Ombudsman's work and feedback. */
  reports: ReportService;
  /** The retention purge: rules from the retention_rules table (defaults: reference/<agency>/retention.json), holds honoured, each record removed once across instances. */
  retention: RetentionService;
  /** Status-change alerts for the public (CONTRACT.md section 6a): double opt-in sign-ups, one message per public status change. */
  alerts: AlertService;
  /** The supervisor's tools: reassigning work (through the service-request and callback services), an agent's day, denied access. */
  supervision: SupervisionService;
  /** Shared across instances on PostgreSQL; in memory on SQLite. */
  limiter: RateLimiter;
  metrics: Metrics;
  views: Views;
  secrets: { cookie: string };
  /** Where log lines go (standard output unless a test captures them). */
  logStream?: NodeJS.WritableStream;
}

/** Opens the database, applies migrations, and builds every service. */
export async function createDeps(config: Config, options: { database?: DatabaseHandle; strictViews?: boolean; logStream?: NodeJS.WritableStream; /** The staff service's clock (session ends); tests move it. */ staffClock?: () => Date } = {}): Promise<Deps> {
  const database = options.database ?? openDatabase(config);
  await migrateToLatest(database);
  const agency = loadAgency(config.agency);
  const audit = new AuditService(database.db);
  const staff = new StaffService(database.db, audit, argon2Hasher(config.passwordMemoryKiB), agency.offices.map((o) => o.code), options.staffClock);
  const clients = new ApiClientService(database.db, audit);
  const processingTimes = new ProcessingTimeService(database.db, audit, agency);
  const visaBulletins = new VisaBulletinService(database.db, audit, agency.timeZone);
  const secrets = { cookie: await getOrCreateSetting(database.db, 'cookie-secret') };
  const limiter = rateLimiterFor(database.db, database.dialect);
  const vocabulary = statusVocabulary(agency);
  const caseStatus = new CaseStatusService(database.db, clients, limiter, vocabulary, agency.receiptPrefixes, Date.now, { sqlite: database.sqlite, audit });
  const prepare = new PrepareService(database.db, vocabulary, agency.receiptPrefixes, processingTimes, visaBulletins);
  const outbox = new OutboxService(database.db, audit);
  const outboxWorker = config.smtpUrl || config.sms
    ? new OutboxWorker({
      db: database.db, dialect: database.dialect, mailFrom: config.mailFrom,
      transport: config.smtpUrl ? smtpTransport(config.smtpUrl) : undefined,
      sms: config.sms ? twilioSmsTransport(config.sms) : undefined,
    })
    : null;
  if (outboxWorker) outbox.onEnqueue(() => outboxWorker.nudge());
  const idempotency = new IdempotencyService(database.db, database.dialect);
  const webhooks = new WebhookService({ db: database.db, audit, outbox, idempotency, allowHttpLocalhost: config.webhooksAllowHttpLocalhost });
  const webhookWorker = new OutboxWorker({ db: database.db, dialect: database.dialect, webhooks: webhookTransport({ db: database.db, allowHttpLocalhost: config.webhooksAllowHttpLocalhost }), mailFrom: config.mailFrom });
  outbox.onEnqueue(() => webhookWorker.nudge());
  const contactPolicy = loadContactCenterPolicy(config.agency);
  const contacts = new ContactService({ db: database.db, dialect: database.dialect, audit, outbox, idempotency, policy: contactPolicy, agency, publicUrl: config.publicUrl });
  const serviceRequests = new ServiceRequestService({
    db: database.db, audit, outbox, idempotency, processingTimes, agency, publicUrl: config.publicUrl,
    rules: loadServiceRequestRules(config.agency, agency),
    contacts, webhooks,
  });
  const telephony = new TelephonyService({ db: database.db, caseStatus, processingTimes, contacts, agency });
  const callReviews = new CallReviewService({ db: database.db, audit, idempotency });
  const feedback = new FeedbackService({ db: database.db, audit, idempotency });
  // Guidance pages every deployment has are published at start-up once per change of their file (a version staff
  // published later stays the page). Two instances starting at once may race; the second try finds it published.
  const guidance = new GuidanceService({ db: database.db, audit });
  const guidanceSources = loadGuidanceSources(config.agency);
  await guidance.load(guidanceSources).catch(() => guidance.load(guidanceSources));
  // Retention rules are rows admins change (/admin/retention); a kind without a row gets the agency file's default.
  const retention = new RetentionService({ db: database.db, dialect: database.dialect, audit, rules: loadRetentionRules(config.agency) });
  await retention.seedRules();
  const caseAssistanceDocuments = new CaseAssistanceDocumentService({ db: database.db, audit });
  const caseAssistance = new CaseAssistanceService({ db: database.db, audit, outbox, idempotency, processingTimes, agency, documents: caseAssistanceDocuments, webhooks });
  const ombudsmanAgency = new OmbudsmanAgencyService({ db: database.db, audit, outbox, idempotency, calendars: serviceRequests.rules, agency });
  const reports = new ReportService({ db: database.db, dialect: database.dialect, agency, calendars: serviceRequests.rules });
  const callbacks = new CallbackService({ db: database.db, audit, outbox, idempotency, contacts, policy: contactPolicy, agency, webhooks });
  const supervision = new SupervisionService({ db: database.db, audit, serviceRequests, callbacks, timeZone: agency.timeZone });
  const appointments = new AppointmentService({
    db: database.db, audit, outbox, idempotency, agency, publicUrl: config.publicUrl, contacts,
    policy: loadAppointmentPolicy(config.agency, agency),
  });
  const alerts = new AlertService({
    db: database.db, audit, outbox, limiter, vocabulary, receiptPrefixes: agency.receiptPrefixes, publicUrl: config.publicUrl,
    tokenKey: await getOrCreateSetting(database.db, 'alert-token-key'), agencyName: agency.shortName,
  });
  const caseDetails = new CaseDetailsService({
    onStatusChange: (trx, receipts, actor, traceId) => alerts.notifyCases(trx, receipts, actor, traceId),
    db: database.db, audit, idempotency, agency, contacts, presentation: vocabulary,
    // The calls and callbacks of a case join its timeline.
    timelineSources: [contactTimeline(database.db, agency.timeZone), escalationTimeline(database.db, agency.timeZone), appointmentTimeline(appointments, agency.timeZone)],
  });
  // Scripts are reference data every deployment has: published at start-up, a new version only when a text changed.
  // Two instances starting at once may race on the same new version; the second try then finds it published.
  const scripts = new ScriptService({ db: database.db, dialect: database.dialect, audit, contacts });
  const scriptSources = loadScriptSources(config.agency);
  await scripts.load(scriptSources).catch(() => scripts.load(scriptSources));
  const feed = new CaseFeedService(database.db, audit, feedVocabulary(agency), undefined, {
    onMoves: async (trx, moves, actor, traceId) =>
      (await serviceRequests.moveWithCase(trx, moves, actor, traceId)) + (await caseDetails.moveWithCase(trx, moves, actor, traceId))
      + (await ombudsmanAgency.moveWithCase(trx, moves, actor, traceId)),
    onStatusChanges: (trx, changes) => webhooks.emitAll(trx, 'case.status-changed', changes),
    onWritten: (trx, receipts, actor, traceId) => alerts.notifyCases(trx, receipts, actor, traceId),
  }, database.sqlite);
  return {
    config, database, agency, audit, staff, clients, feed, scripts, serviceRequests, caseDetails, appointments, contacts, callbacks, callReviews, feedback, guidance, caseAssistance, caseAssistanceDocuments, ombudsmanAgency, reports, retention, alerts, supervision, telephony, caseStatus, prepare, processingTimes, visaBulletins, secrets, limiter, outbox, outboxWorker, webhooks, webhookWorker, idempotency,
    metrics: createMetrics(), views: createViews({ strict: options.strictViews ?? false }),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  };
}
