/**
 * The voice webhooks (CONTRACT.md section 8a), in their own scope: form bodies are parsed only here (the rest of
 * the API is JSON only). Every request is checked before anything else happens:
 *   - TWILIO_AUTH_TOKEN unset: 503 unavailable, nothing recorded;
 *   - X-Twilio-Signature missing or not what `twilio.validateRequest` computes over PUBLIC_URL + the path and query
 *     as received + the form parameters: 403 forbidden (audited by the error handler), nothing recorded.
 * The URL is built from PUBLIC_URL, never from the Host header. The answers are TwiML (text/xml); these routes are
 * not JSON API routes, so they are hidden from the OpenAPI document (schema.hide).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import twilio from 'twilio';
import { AppError } from '../platform/errors/catalogue.ts';
import { isStep, type Params, type TelephonyService } from './service.ts';
import { toTwiml } from './twiml.ts';

export interface TelephonyRouteDeps {
  telephony: TelephonyService;
  /** TWILIO_AUTH_TOKEN, or null: the webhooks are off. */
  authToken: string | null;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
}

/** Form parameters as strings (a repeated name keeps its first value, as the platform never repeats one). */
function formParams(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

const queryParams = (request: FastifyRequest): Params => formParams(request.query);

/** A hidden route: TwiML over form posts is not part of the JSON API the document describes. */
const HIDDEN = { schema: { hide: true } } as const;

export async function telephonyRoutes(app: FastifyInstance, deps: TelephonyRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 64 * 1024 });

    scope.addHook('preHandler', async (request) => {
      if (!deps.authToken) throw new AppError('unavailable', 'The voice webhooks are off: TWILIO_AUTH_TOKEN is not set.');
      const signature = request.headers['x-twilio-signature'];
      const ok = typeof signature === 'string' && signature !== ''
        && twilio.validateRequest(deps.authToken, signature, `${deps.publicUrl}${request.url}`, formParams(request.body));
      if (!ok) throw new AppError('forbidden', 'The request is not signed with the telephony account\'s auth token (X-Twilio-Signature).');
    });

    scope.post('/telephony/voice', HIDDEN, async (request, reply) => {
      const step = await deps.telephony.voice(formParams(request.body));
      return reply.type('text/xml; charset=utf-8').send(toTwiml(step));
    });

    scope.post('/telephony/status', HIDDEN, async (request, reply) => {
      await deps.telephony.status(formParams(request.body), request.id);
      // Twilio ignores the body of a status callback; an empty TwiML document is a valid answer to any webhook.
      return reply.type('text/xml; charset=utf-8').send(toTwiml({ says: [], gather: null, enqueue: null, hangup: false }));
    });

    scope.post<{ Params: { step: string } }>('/telephony/:step', HIDDEN, async (request, reply) => {
      const name = request.params.step;
      if (!isStep(name)) throw new AppError('not-found', 'There is no such step of the phone menu.');
      const step = await deps.telephony.step(name, queryParams(request), formParams(request.body));
      return reply.type('text/xml; charset=utf-8').send(toTwiml(step));
    });
  });
}
