/**
 * The HTTP side of idempotency, for a route that creates something. The route says `config: { idempotent: true }`
 * (so the OpenAPI document declares the Idempotency-Key header, the Idempotent-Replayed answer header, 409 and
 * 422) and its handler does:
 *
 *   const actor = await request.actor();
 *   const answer = await service.create(actor, request.body, idempotentRequest(request, actor));
 *   return sendIdempotentAnswer(reply, answer);
 *
 * where the service calls `idempotency.run(idem, async (trx) => { ...; return { status: 201, body } })`.
 * A replay is the first answer's exact JSON text and status, with `Idempotent-Replayed: true`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../actor.ts';
import { validationError } from '../errors/catalogue.ts';
import { IDEMPOTENCY_HEADER, idempotencyScope, keyProblem, requestHash } from './key.ts';
import type { IdempotentAnswer, IdempotentRequest } from './service.ts';

/** The request's Idempotency-Key: null when none was sent; a bad one is 400 invalid-request naming the header. */
export function idempotencyKey(request: FastifyRequest): string | null {
  if (!request.routeOptions.config?.idempotent) {
    // A programming error, not the caller's: the document would not declare the header.
    throw new Error(`${request.method} ${request.routeOptions.url ?? ''} reads Idempotency-Key without config.idempotent`);
  }
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  const problem = keyProblem(value);
  if (problem) throw validationError([{ field: IDEMPOTENCY_HEADER, code: 'invalid', detail: problem }], problem);
  return value;
}

/** The key, its scope (whose key it is) and the hash of this request's method, route, parameters, query and body. */
export function idempotentRequest(request: FastifyRequest, actor: Actor): IdempotentRequest {
  const route = request.routeOptions.url ?? request.url;
  return {
    key: idempotencyKey(request),
    scope: idempotencyScope(actor, request.method, route),
    requestHash: requestHash({ method: request.method, route, params: request.params, query: request.query, body: request.body }),
  };
}

/** Sends the answer's exact JSON text with its status; a replay carries `Idempotent-Replayed: true`. */
export function sendIdempotentAnswer(reply: FastifyReply, answer: IdempotentAnswer): FastifyReply {
  reply.code(answer.status).type('application/json; charset=utf-8');
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.send(answer.body);
}
