/** Prometheus metrics: request counts and latency histograms per route, plus the process's own. */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request', labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });
  return { registry, requests, duration };
}
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Counts every response by its route pattern (never the raw URL, which could carry identifiers). The labelled
 * children are kept per method, route and status: prom-client hashes the label set on every call otherwise, a
 * measurable part of a status lookup (docs/performance.md).
 */
export function registerMetrics(app: FastifyInstance, m: Metrics): void {
  const counters = new Map<string, ReturnType<Metrics['requests']['labels']>>();
  const timers = new Map<string, ReturnType<Metrics['duration']['labels']>>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const timerKey = `${request.method} ${route}`;
    const counterKey = `${timerKey} ${reply.statusCode}`;
    let counter = counters.get(counterKey);
    if (counter === undefined) counters.set(counterKey, counter = m.requests.labels({ method: request.method, route, status: String(reply.statusCode) }));
    let timer = timers.get(timerKey);
    if (timer === undefined) timers.set(timerKey, timer = m.duration.labels({ method: request.method, route }));
    counter.inc();
    timer.observe(reply.elapsedTime / 1000);
    done();
  });
}
