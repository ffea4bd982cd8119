/**
 * POST /oauth/accesstoken: the OAuth 2.0 client-credentials flow, answering in the agency's own wire format
 * (string `expires_in` and `issued_at`, errors as {code, message, errors}) so existing clients work unchanged;
 * errors also carry RFC 6749's `error` and `error_description`, so generic OAuth client libraries work too.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import type { ApiClientService } from './service.ts';
import { OAuthError, TokenRequest, TokenResponse, type OAuthErrorCode } from './schema.ts';

/** The agency-format error body (CONTRACT.md section 6). */
export function agencyError(reply: FastifyReply, status: number, message: string, code: string) {
  return reply.code(status).type('application/json').send({ code: status, message, errors: [{ code, message }] });
}

/** The agency-format error body with RFC 6749 section 5.2's members beside it. */
function tokenError(reply: FastifyReply, status: number, message: string, code: string, error: OAuthErrorCode) {
  return reply.code(status).type('application/json').send({ code: status, message, errors: [{ code, message }], error, error_description: message });
}

/** RFC 6749 section 5.2 and RFC 9110 section 15.5.2: a 401 says how to authenticate (here, HTTP Basic). */
const BASIC_CHALLENGE = 'Basic realm="switchboard", charset="UTF-8"';

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = header && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  try {
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return null;
  }
}

/** A refused request, in the agency's format: an unsupported grant type (the schema's enum), else a malformed request. */
function refused(err: FastifyError, reply: FastifyReply) {
  if (err.validation?.some((v) => v.instancePath === '/grant_type' && v.keyword === 'enum')) {
    return tokenError(reply, 400, 'Unsupported grant type', 'UNSUPPORTED_GRANT_TYPE', 'unsupported_grant_type');
  }
  if (err.validation || err.statusCode === 400) return tokenError(reply, 400, 'Invalid request', 'INVALID_REQUEST', 'invalid_request');
  if (err.statusCode === 413) return tokenError(reply, 413, 'Request body too large', 'PAYLOAD_TOO_LARGE', 'invalid_request');
  if (err.statusCode === 415) return tokenError(reply, 415, 'Unsupported media type', 'UNSUPPORTED_MEDIA_TYPE', 'invalid_request');
  reply.log.error({ errName: err.name, errCode: err.code }, 'token request failed');
  return tokenError(reply.header('retry-after', '5'), 503, 'Service Unavailable', 'SERVICE_UNAVAILABLE', 'temporarily_unavailable');
}

const errorResponse = (description: string, headers?: Record<string, { type: 'string'; description: string }>) =>
  ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: OAuthError } } });

export async function oauthRoutes(app: FastifyInstance, deps: { clients: ApiClientService }): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 16 * 1024 });
    scope.post('/oauth/accesstoken', {
      schema: {
        tags: ['Case Status API (agency-compatible)'], summary: 'Get an access token (client credentials)', operationId: 'getAccessToken',
        description: 'OAuth 2.0 client credentials (RFC 6749 section 4.4): the client ID and secret in the form body or as HTTP Basic credentials. Errors are in the agency\'s format, with RFC 6749\'s error and error_description beside it.',
        security: [{}, { clientBasic: [] }],
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: {
          200: TokenResponse,
          400: errorResponse('Malformed request (INVALID_REQUEST, e.g. no grant_type) or a grant type other than client_credentials (UNSUPPORTED_GRANT_TYPE)'),
          401: errorResponse('Unknown client or wrong secret (INVALID_CLIENT)', { 'WWW-Authenticate': { type: 'string', description: 'Basic realm="switchboard", charset="UTF-8"' } }),
          413: errorResponse('Body larger than 16 KiB'),
          415: errorResponse('Body is not a form (application/x-www-form-urlencoded)'),
          503: errorResponse('Temporarily unavailable (see Retry-After)', { 'Retry-After': { type: 'string', description: 'Seconds to wait before trying again' } }),
        },
      },
      // The agency's format applies to every answer here, including a malformed request.
      errorHandler: (err, _request, reply) => refused(err, reply),
    }, async (request, reply) => {
      const body = request.body as { client_id?: string; client_secret?: string };
      const basic = basicCredentials(request.headers.authorization);
      const id = basic?.id ?? body.client_id ?? '';
      const secret = basic?.secret ?? body.client_secret ?? '';
      const token = await deps.clients.issueToken(id, secret, request.id);
      if (!token) return tokenError(reply.header('www-authenticate', BASIC_CHALLENGE), 401, 'Invalid Access Token', 'INVALID_CLIENT', 'invalid_client');
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send({
        refresh_token_expires_in: '0',
        api_product_list: '[case-status]',
        organization_name: 'switchboard',
        token_type: 'Bearer',
        issued_at: String(token.issuedAt.getTime()),
        client_id: token.clientId,
        access_token: token.accessToken,
        application_name: token.clientId,
        scope: token.scopes.join(' '),
        expires_in: String(token.expiresIn),
        refresh_count: '0',
        status: 'approved',
      });
    });
  });
}
