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
}, { additionalProperties: true, $id: 'Problem' });

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (problem details; a validation error lists each bad field)', 401: 'Not signed in, or the token is not valid',
  403: 'Not allowed for this role or client', 404: 'Not found', 409: 'Conflict', 413: 'Body too large', 415: 'Body is not JSON',
  422: 'Refused by a business rule', 429: 'Rate limited (see Retry-After)', 503: 'Temporarily unavailable',
};

/** The problem responses an endpoint may give, for its OpenAPI description. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('Problem', { description: STATUS_TEXT[s] ?? 'Problem details' })]));
}

/** `?page=` (from 1) and `?pageSize=` (1–200, default 50). */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

/** A list response: `{items, page, pageSize, total}`. */
export const ListOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() });
