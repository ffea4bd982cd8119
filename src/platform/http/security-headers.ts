/**
 * Security headers on every response: a strict CSP (no inline scripts or styles), nosniff, no framing.
 * The header set never varies per request, so it is built once at start-up and copied onto each reply
 * (a per-request middleware such as helmet rebuilt the same strings on every request; see docs/performance.md).
 */
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'",
].join('; ');

/** The headers, as one frozen object. HSTS only when cookies are marked Secure (served over HTTPS). */
export function securityHeaders(options: { hsts: boolean }): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-dns-prefetch-control': 'off',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    ...(options.hsts ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  });
}

/** Sets the security headers and `X-Trace-Id` as each request arrives (a callback hook: no promise per request). */
export function registerSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-trace-id', request.id);
    done();
  });
}
