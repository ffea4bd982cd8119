/**
 * Turns every failure into RFC 9457 problem details (or an HTML error page for browser pages):
 * catalogue codes only, no stack traces, SQL or PII in the response or the log line. Denials are audited here,
 * in one place, so no route can forget to.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { AppError, ERROR_CATALOGUE, problemBody, validationError, type ErrorCode, type FieldError } from '../errors/catalogue.ts';
import { drainRequestBody, drained } from './body-drain.ts';
import { securityHeaders } from './security-headers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Writes a denial to the audit trail as the error handler does, for a page that catches a 403 to show the
     * form again (with what was typed) instead of letting it reach the error handler.
     */
    recordDenial(code: ErrorCode): Promise<void>;
  }
}

export interface ErrorDeps {
  /** Writes a denial to the audit trail (401 with presented credentials, 403). */
  auditDenial(request: FastifyRequest, code: ErrorCode): Promise<void>;
  /** Renders an HTML error page for page routes. */
  renderErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode): Promise<unknown> | unknown;
}

/** Addresses that are never pages: an unknown one there answers problem details whatever the Accept header. */
const NOT_PAGES = ['/api/', '/oauth', '/assets/'];

/** True for routes that serve HTML to people rather than JSON to programs. */
export const isPageRequest = (request: FastifyRequest): boolean =>
  request.routeOptions.config?.surface === 'page' || (!request.routeOptions.url && !NOT_PAGES.some((p) => request.url.startsWith(p)) && (request.headers.accept ?? '').includes('text/html'));

/** Maps Fastify's own error codes onto the catalogue. */
function fromFastify(err: FastifyError): AppError | null {
  if (err.validation) {
    const errors: FieldError[] = err.validation.map((v) => {
      const params = v.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
      const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
      const named = params.missingProperty ?? params.additionalProperty;
      const field = [path, named].filter(Boolean).join('.') || (err.validationContext ?? 'body');
      if (params.missingProperty) return { field, code: 'required', detail: 'This field is required.' };
      if (params.additionalProperty) return { field, code: 'unknown-field', detail: 'This field is not accepted here.' };
      if (params.allowedValues) return { field, code: 'enum', detail: `Use one of: ${params.allowedValues.join(', ')}.` };
      return { field, code: String(v.keyword), detail: v.message ?? 'Not valid.' };
    });
    // One entry per field: a failed union reports each branch; the first is the clearest.
    const seen = new Set<string>();
    return validationError(errors.filter((e) => !seen.has(e.field) && seen.add(e.field)));
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new AppError('payload-too-large', 'The request body is larger than this endpoint accepts (1 MiB for JSON APIs).');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new AppError('unsupported-media-type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return new AppError('invalid-request', 'The request body is empty; send a JSON document.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return new AppError('invalid-request', 'The Content-Length header does not match the body.');
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET': return new AppError('forbidden', 'The form expired or did not come from this site. Go back, reload the page and try again.');
    case 'FST_ERR_BAD_URL': return new AppError('invalid-request', 'The address is not valid.');
  }
  // Any other client error a framework part raises (@fastify/send's 403 for a path that climbs out of its
  // folder, its 400 for a NUL byte, 416 for a bad range): a catalogue code, never the part's own message.
  const status = err.statusCode ?? 0;
  if (status === 403 || status === 404) return new AppError('not-found', 'There is nothing at this address.');
  if (status === 413) return new AppError('payload-too-large', 'The request body is larger than this endpoint accepts.');
  if (status === 415) return new AppError('unsupported-media-type', 'This endpoint does not accept that media type.');
  if (status >= 400 && status < 500) return new AppError('invalid-request', 'The request is not valid.');
  return null;
}

/** Set on a raw request that Fastify refused before routing (see frameworkErrors); the not-found handler answers it. */
const REFUSED = Symbol('switchboard.refusedBeforeRouting');
type RefusableMessage = IncomingMessage & { [REFUSED]?: AppError };

/**
 * Fastify's `frameworkErrors` option: errors its router raises before any hook has run (a path with bad
 * percent-encoding, FST_ERR_BAD_URL; a parameter over the length limit). Fastify's own answer is bare JSON
 * echoing the path, with none of our headers. Instead the request is routed again to an address that
 * matches no route, marked, so it runs every hook (security headers, trace ID, metrics) and the not-found
 * handler answers it as a 400 problem (or an HTML error page for a browser), without the path.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw as RefusableMessage;
  if (raw[REFUSED]) {
    // Cannot happen (the address routed to is valid), but never loop: a bare problem, with the security headers.
    reply.raw.writeHead(400, { ...securityHeaders({ hsts: false }), 'content-type': 'application/problem+json; charset=utf-8' }).end(JSON.stringify(problemBody('invalid-request', 'The address is not valid.', request.id)));
    return;
  }
  raw[REFUSED] = err.code === 'FST_ERR_ASYNC_CONSTRAINT'
    ? new AppError('internal-error', 'Something went wrong on our side.')
    : new AppError('invalid-request', 'The address is not valid.');
  // Keep only which surface it was for (the JSON APIs or the pages), so the answer takes the right form.
  const url = raw.url ?? '/';
  raw.url = `${NOT_PAGES.find((p) => url.startsWith(p))?.replace(/\/?$/, '/') ?? '/'}.refused`;
  request.server.routing(raw, reply.raw);
}

export interface ClientErrorOptions {
  /** The security headers every response carries. */
  headers: Readonly<Record<string, string>>;
  /** A trace ID for the answer (the request never got one). */
  traceId(): string;
}

/** Node's HTTP parser errors, by the detail we answer with (all 400 invalid-request; the input is never echoed). */
function clientErrorDetail(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW': return 'The request headers are too large.';
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH': return 'The Content-Length header is not valid.';
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE': return 'The Transfer-Encoding or chunked body is not valid.';
    case 'ERR_HTTP_REQUEST_TIMEOUT': return 'The request did not arrive in time.';
    default: return 'The request is not valid HTTP.';
  }
}

/**
 * Fastify's `clientErrorHandler` option: requests Node's HTTP parser refuses before Fastify sees them
 * (oversized headers, an invalid Content-Length, control characters in the request line, a timeout).
 * Fastify's own answer is bare JSON without our headers; this is a 400 problem with the security headers
 * and a trace ID, and the connection is closed (the parser cannot continue on it).
 */
export function clientErrorHandler(options: ClientErrorOptions) {
  const extra = Object.entries(options.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return function onClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const traceId = options.traceId();
    this.log.debug({ errCode: err.code, traceId }, 'request refused by the HTTP parser');
    // Only when nothing of a response has been written on this connection yet (as Node's own handler does).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = JSON.stringify(problemBody('invalid-request', clientErrorDetail(err.code), traceId));
      socket.write(`HTTP/1.1 ${ERROR_CATALOGUE['invalid-request'].status} Bad Request\r\ncontent-type: application/problem+json; charset=utf-8\r\n`
        + `content-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n${extra}x-trace-id: ${traceId}\r\n\r\n${body}`);
    }
    socket.destroySoon();
  };
}

/** The first frame of a stack, for the log: where it failed, without the whole trace. */
const where = (err: Error): string | undefined => err.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();

export function registerErrorHandling(app: FastifyInstance, deps: ErrorDeps): void {
  // Every route is also added to a second router, so an unknown method on a known path answers 405.
  const known = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') known.on(m as 'GET', route.url, () => {});
  });

  app.decorateRequest('recordDenial', function (this: FastifyRequest, code: ErrorCode) {
    return deps.auditDenial(this, code);
  });

  const send = async (request: FastifyRequest, reply: FastifyReply, e: AppError) => {
    // An answer before the body was read (413, 415, a denial): read the rest first, within bounds, so a
    // client that sends its whole body before reading sees this answer rather than a reset connection.
    // Upload routes read more (their route's `drainLimits`), so a refused upload's 413 is read too.
    if (!request.raw.complete && !drained(await drainRequestBody(request.raw, request.routeOptions.config?.drainLimits))) reply.header('connection', 'close');
    if (!e.audited && (e.status === 403 || (e.status === 401 && (request.headers.authorization || request.cookies?.['sb_session'])))) {
      await deps.auditDenial(request, e.code).catch((auditErr: Error) => request.log.error({ errName: auditErr.name, at: where(auditErr) }, 'audit of a denial failed'));
    }
    reply.headers(e.headers);
    if (e.status === 401 && !isPageRequest(request)) reply.header('www-authenticate', 'Bearer');
    if (isPageRequest(request)) return deps.renderErrorPage(request, reply, e.status, e.code);
    return reply.code(e.status).type('application/problem+json').send(problemBody(e.code, e.detail, request.id, e.extensions));
  };

  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const known = err instanceof AppError ? err : fromFastify(err);
    if (known) {
      request.log.info({ code: known.code, status: known.status }, 'request refused');
      return send(request, reply, known);
    }
    const unavailable = /ECONNREFUSED|SQLITE_BUSY|ETIMEDOUT|57P01|53300/.test(String(err.code ?? ''));
    request.log.error({ errName: err.name, errCode: err.code, at: where(err) }, 'request failed');
    return send(request, reply, unavailable ? new AppError('unavailable', 'The service is busy or its database is not answering. Try again shortly.', { headers: { 'retry-after': '5' } })
      : new AppError('internal-error', `Something went wrong on our side. Quote trace ID ${request.id} if you report it.`));
  });

  app.setNotFoundHandler(async (request, reply) => {
    const refused = (request.raw as RefusableMessage)[REFUSED];
    if (refused) return send(request, reply, refused);
    const path = request.url.split('?')[0] ?? '/';
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m !== request.method && known.find(m as 'GET', path));
    if (allowed.length && !known.find(request.method as 'GET', path)) {
      reply.header('allow', allowed.join(', '));
      return send(request, reply, new AppError('method-not-allowed', `This address does not accept ${request.method}; it accepts ${allowed.join(', ')}.`));
    }
    return send(request, reply, new AppError('not-found', 'There is nothing at this address.'));
  });
}
