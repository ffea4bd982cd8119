/**
 * Public endpoints (routes with `config: { rateLimit: 'public' }`) are limited per client address to
 * PUBLIC_RATE_LIMIT requests a minute, answering 429 rate-limited with Retry-After. The address is the
 * connection's, or X-Forwarded-For's only from a TRUST_PROXY address (Fastify's trustProxy decides request.ip).
 */
import type { FastifyInstance } from 'fastify';
import type { RateLimiter } from '../rate-limit.ts';
import { AppError } from '../errors/catalogue.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** "public": counted against the per-address public limit. */
    rateLimit?: 'public';
  }
}

export function registerPublicRateLimit(app: FastifyInstance, deps: { limiter: RateLimiter; perMinute: number }): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.rateLimit !== 'public') return;
    const d = await deps.limiter.hit(`public:${request.ip}`, deps.perMinute, 60_000);
    reply.header('ratelimit-limit', String(deps.perMinute));
    reply.header('ratelimit-remaining', String(d.remaining));
    if (!d.allowed) {
      throw new AppError('rate-limited', `Too many requests from your address. Try again in ${d.retryAfter} seconds.`, { headers: { 'retry-after': String(d.retryAfter) } });
    }
  });
}
