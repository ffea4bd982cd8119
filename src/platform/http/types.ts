/** The typed Fastify instance every route module receives, and schemas shared by all APIs. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** RFC 9457 problem details with the contract's `code` and `traceId` extensions. */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String({ description: 'Stable kebab-case error code; see docs/errors.md' }),
  traceId: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), detail: Type.String() }))),
}, { additionalProperties: true, $id: 'Problem', description: 'RFC 9457 problem details with the `code` and `traceId` extensions' });

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (problem details; a validation error lists each bad field)', 401: 'Not signed in, or the token is not valid',
  403: 'Not allowed for this role or client', 404: 'Not found', 409: 'Conflict', 413: 'Body too large', 415: 'Body is not JSON',
  422: 'Refused by a business rule', 429: 'Rate limited (see Retry-After)',
  500: 'Unexpected failure on our side (quote the traceId)', 503: 'Temporarily unavailable: the database is not answering (see Retry-After)',
};

const RETRY_AFTER = { 'Retry-After': { type: 'string' as const, description: 'Seconds to wait before trying again' } };
const STATUS_HEADERS: Record<number, Record<string, { type: 'string'; description: string }>> = {
  401: { 'WWW-Authenticate': { type: 'string', description: '`Bearer`: send `Authorization: Bearer <token>`' } },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/** The media type of every error answer except the agency-compatible endpoints'. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** One problem-details response (`application/problem+json`), with the headers that status carries. */
export function problemResponse(status: number, description = STATUS_TEXT[status] ?? 'Problem details') {
  return { description, ...(STATUS_HEADERS[status] ? { headers: STATUS_HEADERS[status] } : {}), content: { [PROBLEM_MEDIA_TYPE]: { schema: Type.Ref('Problem') } } };
}

/**
 * The problem responses an endpoint may give, for its OpenAPI description (and the serializer of each).
 * 500 and 503 are always among them: any endpoint may fail unexpectedly, and every endpoint that uses this reads
 * the database, which may not answer.
 */
export function problems(...statuses: number[]) {
  return Object.fromEntries([...new Set([...statuses, 500, 503])].map((s) => [s, problemResponse(s)]));
}

/** A response with a body of another media type than JSON (e.g. Prometheus text). */
export function mediaResponse(description: string, mediaType: string, schema: Record<string, unknown> = { type: 'string' }) {
  return { description, content: { [mediaType]: { schema } } };
}

/** A response without a body (204). */
export const noContent = (description: string) => ({ type: 'null', description } as const);

/** `?page=` (from 1) and `?pageSize=` (1–200, default 50). */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

/** A list response: `{items, page, pageSize, total}`. */
export const ListOf = <T extends ReturnType<typeof Type.Object>>(item: T, description?: string) =>
  Type.Object({ items: Type.Array(item), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() }, description ? { description } : {});
