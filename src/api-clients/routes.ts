/**
 * POST /oauth/accesstoken: the OAuth 2.0 client-credentials flow, answering in the agency's own wire format
 * (string `expires_in` and `issued_at`, errors as {code, message, errors}) so existing clients work unchanged.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import type { ApiClientService } from './service.ts';

/** The agency-format error body (CONTRACT.md section 6). */
export function agencyError(reply: FastifyReply, status: number, message: string, code: string) {
  return reply.code(status).type('application/json').send({ code: status, message, errors: [{ code, message }] });
}

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

export async function oauthRoutes(app: FastifyInstance, deps: { clients: ApiClientService }): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 16 * 1024 });
    scope.post('/oauth/accesstoken', {
      schema: {
        tags: ['Case Status API (agency-compatible)'], summary: 'Get an access token (client credentials)',
        consumes: ['application/x-www-form-urlencoded'],
        body: {
          type: 'object',
          properties: { grant_type: { type: 'string', enum: ['client_credentials'] }, client_id: { type: 'string' }, client_secret: { type: 'string' }, scope: { type: 'string' } },
        },
      },
      // The agency's format applies to every answer here, including a malformed request.
      errorHandler: (err, _request, reply) => agencyError(reply, err.statusCode === 415 ? 415 : 400, 'Invalid request', 'INVALID_REQUEST'),
    }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string | undefined>;
      if (body.grant_type !== 'client_credentials') return agencyError(reply, 400, 'Unsupported grant type', 'UNSUPPORTED_GRANT_TYPE');
      const basic = basicCredentials(request.headers.authorization);
      const id = basic?.id ?? body.client_id ?? '';
      const secret = basic?.secret ?? body.client_secret ?? '';
      const token = await deps.clients.issueToken(id, secret, request.id);
      if (!token) return agencyError(reply, 401, 'Invalid Access Token', 'INVALID_CLIENT');
      return reply.header('cache-control', 'no-store').send({
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
