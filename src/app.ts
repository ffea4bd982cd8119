/**
 * buildApp(deps): the HTTP application, assembled as a checklist of set-up steps. It never listens;
 * src/server.ts does. Tests call buildApp and use app.inject().
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from './wiring.ts';
import { Problem } from './platform/http/types.ts';
import { registerApiCacheDefault, swaggerOptions } from './platform/http/openapi.ts';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './platform/http/errors.ts';
import { registerJsonBody } from './platform/http/json-body.ts';
import { registerSecurityHeaders, securityHeaders } from './platform/http/security-headers.ts';
import { registerAuth } from './platform/http/auth.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { registerPublicRateLimit } from './platform/http/public-rate-limit.ts';
import { pageContext, registerPageRendering, renderErrorPage } from './platform/http/pages.ts';
import { actorLabel } from './platform/actor.ts';
import { loggerOptions } from './platform/logging.ts';
import { staffApiRoutes } from './staff/routes.ts';
import { staffPages } from './staff/pages.ts';
import { oauthRoutes } from './api-clients/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { opsPages, opsRoutes } from './ops/routes.ts';
import { portalPages } from './portal/routes.ts';
import { caseFeedRoutes } from './cases/routes.ts';
import { processingTimeRoutes } from './processing-times/routes.ts';
import { processingTimePages } from './processing-times/pages.ts';
import { visaBulletinRoutes } from './visa-bulletin/routes.ts';
import { visaBulletinPages } from './visa-bulletin/pages.ts';
import { caseStatusFastPath, caseStatusRoutes } from './case-status/routes.ts';
import { serverWithFastPaths } from './platform/http/fast-path.ts';
import { preparePages } from './prepare/pages.ts';
import { caseStatusForms, caseStatusPages } from './case-status/pages.ts';
import { outboxRoutes } from './outbox/routes.ts';
import { serviceRequestRoutes } from './service-requests/routes.ts';
import { caseDetailsRoutes } from './case-details/routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { callReviewRoutes } from './call-reviews/routes.ts';
import { callReviewPages, supervisorReviews } from './call-reviews/pages.ts';
import { feedbackRoutes } from './feedback/routes.ts';
import { feedbackPages } from './feedback/pages.ts';
import { alertPages } from './alerts/pages.ts';
import { alertRoutes } from './alerts/routes.ts';
import { guidancePages } from './guidance/pages.ts';
import { caseAssistanceRoutes } from './ombudsman/routes.ts';
import { ombudsmanPages } from './ombudsman/pages.ts';
import { agencyDeskPanel, ombudsmanAgencyPages } from './ombudsman-agency/pages.ts';
import { caseAssistanceDocumentRoutes } from './ombudsman-documents/routes.ts';
import { ombudsmanAgencyRoutes } from './ombudsman-agency/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { reportPages } from './reports/pages.ts';
import { callbackRoutes } from './callbacks/routes.ts';
import { serviceRequestPages } from './service-requests/pages.ts';
import { outboxPages } from './outbox/pages.ts';
import { webhookPages } from './webhooks/pages.ts';
import { adminPages } from './admin/pages.ts';
import { processingTimeAdminPages } from './processing-times/admin-pages.ts';
import { visaBulletinAdminPages } from './visa-bulletin/admin-pages.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { webhooksDocument } from './webhooks/schema.ts';
import { backOfficePages } from './back-office/pages.ts';
import { deskPages } from './desk/pages.ts';
import { noticePages } from './back-office/notice-pages.ts';
import { tier2DeskPages } from './tier2-desk/pages.ts';
import { supervisorPages } from './supervisor/pages.ts';
import { supervisionPages } from './supervision/pages.ts';
import { callRecordPages } from './call-records/pages.ts';
import { telephonyRoutes } from './telephony/routes.ts';
import { callSimulatorPages } from './telephony/pages.ts';
import { appointmentRoutes } from './appointments/routes.ts';
import { appointmentPages, appointmentPanel } from './appointments/pages.ts';
import { scriptRoutes } from './scripts/routes.ts';
import { askPages, scriptDeskPages, scriptsPanelFor } from './scripts/pages.ts';
import { adminScriptPages } from './scripts/admin-pages.ts';
import { retentionPages } from './retention/pages.ts';

/** Trace IDs: a random per-process prefix and a counter; unique across instances, and no random bytes per request. */
function traceIds(): () => string {
  const prefix = randomBytes(5).toString('hex');
  let n = 0;
  return () => `${prefix}${(++n).toString(16).padStart(6, '0')}`;
}

/** A static asset path (already percent-decoded) with no `..` segment, backslash or control character. */
const insideAssetFolder = (pathname: string): boolean => !/(^|\/)\.\.(\/|$)|[\\\u0000-\u001f\u007f]/.test(pathname);

const here = path.dirname(fileURLToPath(import.meta.url));
// The package's main export is dist/js/uswds.min.js; its dist/ folder is two levels up.
const uswdsDist = path.resolve(path.dirname(createRequire(import.meta.url).resolve('@uswds/uswds')), '..');

export async function buildApp(deps: Deps) {
  const { config } = deps;

  // 1. Fastify itself: 1 MiB bodies, trace IDs, redacting logger, proxies trusted only when configured.
  //    What Fastify and Node refuse before any hook runs (a badly encoded path, oversized headers, a broken
  //    Content-Length) is answered as our problem details with the security headers (errors.ts).
  const traceId = traceIds();
  // The public status lookup's common case is answered before the framework (docs/adr/0015-prepared-status-document.md).
  const lookup = caseStatusFastPath({ caseStatus: deps.caseStatus, agency: deps.agency, headers: securityHeaders({ hsts: config.secureCookies }), traceId, metrics: deps.metrics });
  const app = Fastify({
    serverFactory: serverWithFastPaths([lookup]),
    logger: loggerOptions(config.logLevel, deps.logStream),
    bodyLimit: 1024 * 1024,
    genReqId: traceId,
    frameworkErrors,
    clientErrorHandler: clientErrorHandler({ headers: securityHeaders({ hsts: config.secureCookies }), traceId }),
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // 2. Errors as problem details; denials audited.
  registerErrorHandling(app, {
    auditDenial: async (request: FastifyRequest, code) => {
      const actor = await request.actor().catch(() => ({ kind: 'anonymous' as const }));
      await deps.audit.recordNow({ actor: actorLabel(actor), action: `${request.method} ${request.routeOptions.url ?? 'unmatched'}`, outcome: 'denied', traceId: request.id, detail: { code } });
    },
    renderErrorPage,
  });

  // 3. Bodies: strict JSON only (forms are parsed only in page and OAuth contexts).
  registerJsonBody(app);

  // 4. Security headers (CSP without inline scripts, nosniff, no framing) and the trace ID, on every response.
  registerSecurityHeaders(app, { hsts: config.secureCookies });

  // 5. Cookies (signed with a secret kept in the database), then who is asking.
  await app.register(cookie, { secret: deps.secrets.cookie });
  registerAuth(app, {
    resolveSession: (token) => deps.staff.resolveSession(token),
    resolveClientToken: (token) => deps.clients.resolveToken(token),
  });

  // 6. Metrics for every response; the per-address limit on public endpoints.
  registerMetrics(app, deps.metrics);
  registerPublicRateLimit(app, { limiter: deps.limiter, perMinute: config.publicRateLimit });

  // 7. The API surface: OpenAPI 3.1 from the route schemas (every JSON API route documented; see openapi.ts),
  //    and API answers kept out of caches (Cache-Control: no-store) unless a route says otherwise.
  app.addSchema(Problem);
  await app.register(swagger, swaggerOptions({ webhooks: webhooksDocument() }));
  registerApiCacheDefault(app);

  // 8. Static assets: USWDS intact under one path, our own CSS beside it. A path that tries to climb out of
  //    its folder (`..`, a backslash, a NUL byte) is simply not there: 404.
  await app.register(fastifyStatic, { root: uswdsDist, prefix: '/assets/uswds/', maxAge: '1d', allowedPath: insideAssetFolder });
  await app.register(fastifyStatic, { root: path.join(here, 'platform/views/assets'), prefix: '/assets/app/', decorateReply: false, maxAge: '1h', allowedPath: insideAssetFolder });

  // 9. Pages.
  registerPageRendering(app, { views: deps.views, agency: deps.agency, secureCookies: config.secureCookies });
  const hasPage = (p: string) => app.hasRoute({ method: 'GET', url: p });
  await pageContext(app, { secureCookies: config.secureCookies }, (scope) => {
    portalPages(scope, { hasPage });
    staffPages(scope, { staff: deps.staff, secureCookies: config.secureCookies });
    opsPages(scope, { openapi: () => app.swagger() });
    processingTimePages(scope, { processingTimes: deps.processingTimes, hasPage });
    visaBulletinPages(scope, { visaBulletins: deps.visaBulletins });
    caseStatusPages(scope);
    preparePages(scope, { prepare: deps.prepare });
    serviceRequestPages(scope, { serviceRequests: deps.serviceRequests, receiptPrefixes: deps.agency.receiptPrefixes });
    outboxPages(scope, { outbox: deps.outbox, delivering: { email: deps.config.smtpUrl !== null, sms: deps.config.sms !== null } });
    webhookPages(scope, { webhooks: deps.webhooks, timeZone: deps.agency.timeZone });
    adminPages(scope, { staff: deps.staff, clients: deps.clients, agency: deps.agency });
    processingTimeAdminPages(scope, { processingTimes: deps.processingTimes });
    visaBulletinAdminPages(scope, { visaBulletins: deps.visaBulletins, timeZone: deps.agency.timeZone });
    adminScriptPages(scope, { scripts: deps.scripts, timeZone: deps.agency.timeZone });
    retentionPages(scope, { retention: deps.retention, timeZone: deps.agency.timeZone });
    backOfficePages(scope, { serviceRequests: deps.serviceRequests, agency: deps.agency, staff: deps.staff });
    deskPages(scope, { contacts: deps.contacts, callbacks: deps.callbacks, caseDetails: deps.caseDetails, caseStatus: deps.caseStatus, serviceRequests: deps.serviceRequests, agency: deps.agency, scriptsPanel: scriptsPanelFor(deps.scripts), appointmentPanel: appointmentPanel(deps.appointments) });
    noticePages(scope, { caseDetails: deps.caseDetails, agency: deps.agency, staff: deps.staff });
    tier2DeskPages(scope, { callbacks: deps.callbacks, caseDetails: deps.caseDetails, agency: deps.agency, policy: deps.contacts.policy, staff: deps.staff, views: deps.views, outbox: deps.outbox });
    supervisorPages(scope, { callbacks: deps.callbacks, serviceRequests: deps.serviceRequests, staff: deps.staff, outbox: deps.outbox, agency: deps.agency, views: deps.views, callReviews: supervisorReviews(deps.callReviews, deps.agency) });
    supervisionPages(scope, { supervision: deps.supervision, serviceRequests: deps.serviceRequests, agency: deps.agency });
    reportPages(scope, { reports: deps.reports, rules: deps.serviceRequests.rules, agency: deps.agency });
    callRecordPages(scope, { contacts: deps.contacts, agency: deps.agency });
    callSimulatorPages(scope, {
      telephony: deps.telephony, authToken: config.twilioAuthToken, publicUrl: config.publicUrl, contactCenterPhone: deps.agency.contactCenterPhone,
      inject: (opts) => app.inject(opts),
    });
    appointmentPages(scope, { appointments: deps.appointments, contacts: deps.contacts });
    askPages(scope, { scripts: deps.scripts });
    ombudsmanPages(scope, { caseAssistance: deps.caseAssistance, documents: deps.caseAssistanceDocuments, agency: deps.agency, publicUrl: config.publicUrl, panel: agencyDeskPanel(deps.ombudsmanAgency, deps.agency) });
    ombudsmanAgencyPages(scope, { ombudsmanAgency: deps.ombudsmanAgency, agency: deps.agency });
    callReviewPages(scope, { callReviews: deps.callReviews, contacts: deps.contacts, agency: deps.agency });
    scriptDeskPages(scope, { scripts: deps.scripts, contacts: deps.contacts });
    feedbackPages(scope, { feedback: deps.feedback, agency: deps.agency });
    alertPages(scope, { alerts: deps.alerts });
    guidancePages(scope, { guidance: deps.guidance, agency: deps.agency });
    // Public look-up forms that only read public status: no CSRF token (scrapers post them directly).
    caseStatusForms(scope, { caseStatus: deps.caseStatus, processingTimes: deps.processingTimes });
  });

  // 10. APIs.
  staffApiRoutes(app, { staff: deps.staff });
  await oauthRoutes(app, { clients: deps.clients });
  auditRoutes(app, { audit: deps.audit, timeZone: deps.agency.timeZone });
  await caseFeedRoutes(app, { feed: deps.feed });
  processingTimeRoutes(app, { processingTimes: deps.processingTimes });
  visaBulletinRoutes(app, { visaBulletins: deps.visaBulletins });
  caseStatusRoutes(app, { caseStatus: deps.caseStatus, audit: deps.audit, agency: deps.agency });
  opsRoutes(app, { db: deps.database.db, metrics: deps.metrics });
  outboxRoutes(app, { outbox: deps.outbox });
  webhookRoutes(app, { webhooks: deps.webhooks });
  serviceRequestRoutes(app, { serviceRequests: deps.serviceRequests });
  caseDetailsRoutes(app, { caseDetails: deps.caseDetails });
  contactRoutes(app, { contacts: deps.contacts });
  callReviewRoutes(app, { callReviews: deps.callReviews });
  feedbackRoutes(app, { feedback: deps.feedback });
  alertRoutes(app, { alerts: deps.alerts });
  caseAssistanceRoutes(app, { caseAssistance: deps.caseAssistance });
  // Documents: multipart only in this capability's upload scope.
  await caseAssistanceDocumentRoutes(app, { documents: deps.caseAssistanceDocuments });
  ombudsmanAgencyRoutes(app, { ombudsmanAgency: deps.ombudsmanAgency });
  reportRoutes(app, { reports: deps.reports });
  callbackRoutes(app, { callbacks: deps.callbacks });
  // The voice webhooks: form bodies in their own scope, signed with TWILIO_AUTH_TOKEN (503 without it).
  await telephonyRoutes(app, { telephony: deps.telephony, authToken: config.twilioAuthToken, publicUrl: config.publicUrl });
  appointmentRoutes(app, { appointments: deps.appointments });
  scriptRoutes(app, { scripts: deps.scripts });

  await app.ready();
  return app;
}

export type SwitchboardApp = Awaited<ReturnType<typeof buildApp>>;
