/**
 * GET /case-status/{receiptNumber}: the agency-compatible Case Status API (CONTRACT.md section 6), answering in
 * the agency's wire format, errors included; and GET /api/v1/reference/statuses, the public status vocabulary.
 * The lookup is the hot path: a cached token, in-memory limits on SQLite, one primary-key read, no audit write.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { App } from '../platform/http/types.ts';
import { ListOf, PageQuery, problems } from '../platform/http/types.ts';
import type { Agency } from '../platform/reference.ts';
import type { AuditService } from '../audit/service.ts';
import { actorLabel } from '../platform/actor.ts';
import { agencyError } from '../api-clients/routes.ts';
import { agencyMessages } from './presenter.ts';
import type { CaseStatusService } from './service.ts';
import type { FastPath } from '../platform/http/fast-path.ts';
import type { Metrics } from '../platform/http/metrics.ts';
import { AgencyError, CaseStatusAnswer, StatusItem } from './schema.ts';

const RETRY_AFTER = { 'Retry-After': { type: 'string' as const, description: 'Seconds to wait before trying again' } };
const agencyErrorResponse = (description: string, headers?: Record<string, { type: 'string'; description: string }>) =>
  ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: AgencyError } } });

export interface CaseStatusRouteDeps {
  caseStatus: CaseStatusService;
  audit: AuditService;
  agency: Agency;
}

const SCOPE = 'case-status';
const BEARER = /^Bearer\s+(\S+)\s*$/i;

export interface CaseStatusFastPathDeps {
  caseStatus: CaseStatusService;
  agency: Agency;
  /** The headers every response carries (security-headers.ts), and the trace ID generator Fastify uses. */
  headers: Readonly<Record<string, string>>;
  traceId: () => string;
  metrics: Metrics;
}

/** GET /case-status/ and a receipt number as the agency writes it (lower case too), nothing else. */
const FAST_URL = /^\/case-status\/([A-Za-z]{3}[0-9]{10})$/;
const ROUTE = '/case-status/:receiptNumber';

/**
 * The lookup before the framework (platform/http/fast-path.ts): a GET of a plain receipt number with a token
 * remembered in the last few seconds (a revoked client stops within TOKEN_CACHE_MS), on SQLite, whose prepared
 * answer is current, is answered here with the limit counted in memory: 200 with the prepared bytes, or 429. The
 * same security headers, trace ID, Cache-Control and Content-Type as the route below, and the same metrics; no
 * per-request log lines (Fastify's "incoming request"/"request completed" at info level). Anything else (no
 * token or one not remembered, another form of the number, an unknown case, a document to render, PostgreSQL,
 * a failure) returns false before counting, and the route below answers it.
 */
export function caseStatusFastPath(deps: CaseStatusFastPathDeps): FastPath {
  const { caseStatus } = deps;
  const text = agencyMessages(deps.agency);
  const ok = deps.metrics.requests.labels({ method: 'GET', route: ROUTE, status: '200' });
  const limited = deps.metrics.requests.labels({ method: 'GET', route: ROUTE, status: '429' });
  const timer = deps.metrics.duration.labels({ method: 'GET', route: ROUTE });
  const spikeBody = JSON.stringify({ code: 429, message: text.spikeArrest, errors: [{ code: 'SPIKE_ARREST_VIOLATION', message: text.spikeArrest }] });
  const headersOf = (type: string, length: number) => ({ ...deps.headers, 'x-trace-id': deps.traceId(), 'cache-control': 'no-store', 'content-type': type, 'content-length': length });
  return (req, res) => {
    if (req.method !== 'GET' || req.url === undefined || !req.url.startsWith('/case-status/')) return false;
    const started = performance.now();
    const m = FAST_URL.exec(req.url);
    const token = m ? BEARER.exec(req.headers.authorization ?? '')?.[1] : undefined;
    const client = token === undefined ? undefined : caseStatus.cachedClient(token);
    if (client === undefined || !client.scopes.includes(SCOPE)) return false;
    const receiptNumber = caseStatus.receiptNumber(m![1]);
    if (!receiptNumber) return false;
    let body: Buffer | undefined;
    try {
      body = caseStatus.preparedBody(receiptNumber);
    } catch {
      return false; // the route below answers the failure (503, logged)
    }
    if (body === undefined) return false;
    const limit = caseStatus.withinLimitsNow(client);
    if (limit === undefined) return false;
    if (!limit.allowed) {
      res.writeHead(429, { ...headersOf('application/json; charset=utf-8', Buffer.byteLength(spikeBody)), 'retry-after': String(limit.retryAfter) });
      res.end(spikeBody);
      limited.inc();
    } else {
      res.writeHead(200, headersOf('application/json; charset=utf-8', body.length));
      res.end(body);
      ok.inc();
    }
    timer.observe((performance.now() - started) / 1000);
    return true;
  };
}

export function caseStatusRoutes(app: App, deps: CaseStatusRouteDeps): void {
  const text = agencyMessages(deps.agency);

  const audit = async (request: FastifyRequest, reason: string) => {
    const actor = await request.actor().catch(() => ({ kind: 'anonymous' as const }));
    await deps.audit.recordNow({ actor: actorLabel(actor), action: 'GET /case-status/:receiptNumber', outcome: 'denied', traceId: request.id, detail: { code: 'unauthenticated', reason } })
      .catch((err: Error) => request.log.error({ errName: err.name }, 'audit of a denial failed'));
  };
  /** A refused token is a denial: audited like every other one (the error handler does it for the rest of the API). */
  const refuse = async (request: FastifyRequest, reply: FastifyReply, reason: string) => {
    if (request.headers.authorization) await audit(request, reason);
    return agencyError(reply.header('www-authenticate', 'Bearer'), 401, text.invalidToken, 'INVALID_ACCESS_TOKEN');
  };

  app.get('/case-status/:receiptNumber', {
    schema: {
      tags: ['Case Status API (agency-compatible)'],
      summary: 'The status of a case by receipt number (an API client with the case-status scope)',
      description: 'Answers in the agency\'s wire format. A Content-Type header without a body and a demo_id header are accepted and ignored. Limited per client (per second and per day), answering 429 "Spike Arrest Violation".',
      operationId: 'getCaseStatus', security: [{ bearer: [] }],
      params: Type.Object({ receiptNumber: Type.String({ description: 'Spaces and dashes are ignored; letters may be lower case' }) }),
      response: {
        200: CaseStatusAnswer,
        401: agencyErrorResponse('Invalid Access Token: no token, an unknown or expired one, a staff token, or a client without the case-status scope', { 'WWW-Authenticate': { type: 'string', description: 'Bearer' } }),
        404: agencyErrorResponse('The receipt number is not known'),
        422: agencyErrorResponse('The receipt number is not formatted correctly'),
        429: agencyErrorResponse('Spike Arrest Violation: the client\'s per-second or per-day limit', RETRY_AFTER),
        503: agencyErrorResponse('Service Unavailable', RETRY_AFTER),
      },
    },
    // Every answer of this endpoint is in the agency's format, even for a request Fastify itself refuses.
    errorHandler: (err, request, reply) => {
      request.log.error({ errName: err.name, errCode: err.code }, 'case status lookup failed');
      return agencyError(reply, 503, text.unavailable, 'SERVICE_UNAVAILABLE');
    },
  }, (request, reply): Promise<void> | undefined => {
    // The hot path, without a promise on SQLite: a token seen in the last few seconds, the in-memory limit, one
    // synchronous read of the prepared answer, its bytes written. Anything else takes the general path below.
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const client = token === undefined ? undefined : deps.caseStatus.cachedClient(token);
    if (client !== undefined && client.scopes.includes(SCOPE)) {
      const limit = deps.caseStatus.withinLimitsNow(client);
      if (limit !== undefined) {
        // (A reply sent here is not returned: Fastify would send a returned value again.)
        if (!limit.allowed) return void spikeArrest(reply, limit.retryAfter);
        const receiptNumber = deps.caseStatus.receiptNumber(request.params.receiptNumber);
        if (!receiptNumber) return void agencyError(reply, 422, text.malformed, 'INVALID_RECEIPT_NUMBER');
        let body: ReturnType<CaseStatusService['apiBody']>;
        try {
          body = deps.caseStatus.apiBody(receiptNumber);
        } catch (err) {
          return void unavailable(request, reply, err);
        }
        if (typeof body === 'string') return void sendBody(reply, body);
        // (An async answer may resolve to the reply itself, which Fastify recognises as sent.)
        return body === null ? void notFound(reply) : answer(request, reply, body) as Promise<never>;
      }
    }
    return general(request, reply, token) as Promise<never>;
  });

  const spikeArrest = (reply: FastifyReply, retryAfter: number) =>
    agencyError(reply.header('retry-after', String(retryAfter)), 429, text.spikeArrest, 'SPIKE_ARREST_VIOLATION');
  const notFound = (reply: FastifyReply) => agencyError(reply, 404, text.notFound, 'RECEIPT_NUMBER_NOT_FOUND');
  const unavailable = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    request.log.error({ errName: (err as Error).name, errCode: (err as { code?: unknown }).code }, 'case status lookup failed');
    return agencyError(reply.header('retry-after', '5'), 503, text.unavailable, 'SERVICE_UNAVAILABLE');
  };
  /** The prepared answer's bytes as they are: a string with its JSON type is sent without the schema's serializer. */
  const sendBody = (reply: FastifyReply, body: string) => reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
  /** The prepared answer, once read. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, pending: Promise<string | null>) => {
    let body: string | null;
    try {
      body = await pending;
    } catch (err) {
      return unavailable(request, reply, err);
    }
    return body === null ? notFound(reply) : sendBody(reply, body);
  };

  /** A token not seen lately, PostgreSQL's shared limit, or a refusal: every check with its own answer. */
  const general = async (request: FastifyRequest<{ Params: { receiptNumber: string } }>, reply: FastifyReply, token: string | undefined) => {
    if (!token) return refuse(request, reply, 'no-token');
    try {
      const client = await deps.caseStatus.client(token);
      if (!client) return await refuse(request, reply, 'invalid-token');
      if (!client.scopes.includes(SCOPE)) return await refuse(request, reply, 'missing-scope');

      const limit = await deps.caseStatus.withinLimits(client);
      if (!limit.allowed) return spikeArrest(reply, limit.retryAfter);

      const receiptNumber = deps.caseStatus.receiptNumber(request.params.receiptNumber);
      if (!receiptNumber) return agencyError(reply, 422, text.malformed, 'INVALID_RECEIPT_NUMBER');
      return await answer(request, reply, Promise.resolve(deps.caseStatus.apiBody(receiptNumber)));
    } catch (err) {
      return unavailable(request, reply, err);
    }
  };

  const items = deps.agency.statuses.map((s) => ({ code: s.code, decision: s.decision, title: s.title, description: s.description }));
  app.get('/api/v1/reference/statuses', {
    config: { rateLimit: 'public' },
    schema: {
      tags: ['Reference data'], summary: 'The case status vocabulary: codes, English and Spanish titles and description templates (public)', operationId: 'listStatuses',
      querystring: Type.Object(PageQuery),
      response: { 200: ListOf(StatusItem, 'One page of the status vocabulary (Cache-Control: public, max-age=3600)'), ...problems(400, 429) },
    },
  }, async (request, reply) => {
    const page = request.query.page ?? 1;
    const pageSize = request.query.pageSize ?? 50;
    reply.header('cache-control', 'public, max-age=3600');
    return { items: items.slice((page - 1) * pageSize, page * pageSize), page, pageSize, total: items.length };
  });
}
