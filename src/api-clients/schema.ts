/**
 * Schemas of POST /oauth/accesstoken, in the agency's wire format (CONTRACT.md section 6), for validation and
 * the OpenAPI document. Errors carry the agency's `{code, message, errors}` and, beside them, RFC 6749
 * section 5.2's `error` and `error_description`, so generic OAuth 2.0 client libraries understand them too.
 */
import { Type } from '@fastify/type-provider-typebox';

export const TokenRequest = Type.Object({
  grant_type: Type.String({ enum: ['client_credentials'], description: 'Only the client-credentials grant is offered' }),
  client_id: Type.Optional(Type.String({ description: 'Or send the client ID and secret as HTTP Basic credentials' })),
  client_secret: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String({ description: 'Ignored: a token carries every scope of its client' })),
});

export const TokenResponse = Type.Object({
  refresh_token_expires_in: Type.String({ description: 'Always "0": there are no refresh tokens' }),
  api_product_list: Type.String(),
  organization_name: Type.String(),
  token_type: Type.Literal('Bearer'),
  issued_at: Type.String({ description: 'Epoch milliseconds, as a string (as the agency sends it)' }),
  client_id: Type.String(),
  access_token: Type.String({ description: 'Send as "Authorization: Bearer <token>"' }),
  application_name: Type.String(),
  scope: Type.String({ description: 'The client\'s scopes, space-separated' }),
  expires_in: Type.String({ description: 'Seconds, as a string (as the agency sends it): "1800"' }),
  refresh_count: Type.String(),
  status: Type.Literal('approved'),
}, { description: 'An access token (Cache-Control: no-store)' });

/** The RFC 6749 section 5.2 error codes this endpoint gives. */
export const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'temporarily_unavailable'] as const;
export type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];

export const OAuthError = Type.Object({
  code: Type.Integer({ description: 'The HTTP status (the agency\'s format)' }),
  message: Type.String(),
  errors: Type.Array(Type.Object({ code: Type.String({ description: 'UPPER_SNAKE_CASE' }), message: Type.String() })),
  error: Type.String({ enum: [...OAUTH_ERRORS], description: 'RFC 6749 section 5.2 error code' }),
  error_description: Type.String({ description: 'RFC 6749 section 5.2: the same text as message' }),
}, { description: 'The agency\'s error body, with RFC 6749 error and error_description beside it' });
