/**
 * Public endpoints (routes with `config: { rateLimit: 'public' }`) are limited per client address to
 * PUBLIC_RATE_LIMIT requests a minute, answering 429 rate-limited with Retry-After. The address is the
 * connection's, or X-Forwarded-For's only from a TRUST_PROXY address (Fastify's trustProxy decides request.ip).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiter } from '../rate-limit.ts';
import { AppError } from '../errors/catalogue.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * "public": counted against the per-address public limit. "anonymous": the same, but only for requests
     * without an Authorization header (an endpoint both staff and the public use: staff are not limited here).
     */
    rateLimit?: 'public' | 'anonymous';
  }
}

export function registerPublicRateLimit(app: FastifyInstance, deps: { limiter: RateLimiter; perMinute: number }): void {
  const limit = async (request: FastifyRequest, reply: FastifyReply) => {
    const d = await deps.limiter.hit(`public:${request.ip}`, deps.perMinute, 60_000);
    reply.header('ratelimit-limit', String(deps.perMinute));
    reply.header('ratelimit-remaining', String(d.remaining));
    if (!d.allowed) {
      throw new AppError('rate-limited', `Too many requests from your address. Try again in ${d.retryAfter} seconds.`, { headers: { 'retry-after': String(d.retryAfter) } });
    }
  };
  // A callback hook: a route that is not public costs one property check, no promise.
  app.addHook('onRequest', (request, reply, done) => {
    const mode = request.routeOptions.config?.rateLimit;
    if (mode === undefined || (mode === 'anonymous' && request.headers.authorization !== undefined)) return done();
    limit(request, reply).then(() => done(), done);
  });
}
