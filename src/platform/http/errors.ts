/**
 * Turns every failure into RFC 9457 problem details (or an HTML error page for browser pages):
 * catalogue codes only, no stack traces, SQL or PII in the response or the log line. Denials are audited here,
 * in one place, so no route can forget to.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { AppError, problemBody, validationError, type ErrorCode, type FieldError } from '../errors/catalogue.ts';

export interface ErrorDeps {
  /** Writes a denial to the audit trail (401 with presented credentials, 403). */
  auditDenial(request: FastifyRequest, code: ErrorCode): Promise<void>;
  /** Renders an HTML error page for page routes. */
  renderErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode): Promise<unknown> | unknown;
}

/** True for routes that serve HTML to people rather than JSON to programs. */
export const isPageRequest = (request: FastifyRequest): boolean =>
  request.routeOptions.config?.surface === 'page' || (!request.routeOptions.url && !request.url.startsWith('/api/') && !request.url.startsWith('/oauth') && (request.headers.accept ?? '').includes('text/html'));

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
  if (err.statusCode === 400) return new AppError('invalid-request', 'The request is not valid.');
  return null;
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

  const send = async (request: FastifyRequest, reply: FastifyReply, e: AppError) => {
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
    const path = request.url.split('?')[0] ?? '/';
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m !== request.method && known.find(m as 'GET', path));
    if (allowed.length && !known.find(request.method as 'GET', path)) {
      reply.header('allow', allowed.join(', '));
      return send(request, reply, new AppError('method-not-allowed', `This address does not accept ${request.method}; it accepts ${allowed.join(', ')}.`));
    }
    return send(request, reply, new AppError('not-found', 'There is nothing at this address.'));
  });
}
