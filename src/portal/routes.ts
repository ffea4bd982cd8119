/** The public home page: what the public can do here, and how to prepare for a call. */
import type { FastifyInstance } from 'fastify';

/** The public services, in the order the home page lists them. A service links only once its page exists. */
export const PUBLIC_SERVICES = [
  { key: 'caseStatus', href: '/case-status' },
  { key: 'processingTimes', href: '/processing-times' },
  { key: 'inquiry', href: '/inquiry' },
  { key: 'priorityDate', href: '/priority-date' },
  { key: 'prepare', href: '/prepare' },
  { key: 'ombudsman', href: '/ombudsman' },
] as const;

export function portalPages(app: FastifyInstance, deps: { hasPage: (path: string) => boolean }): void {
  app.get('/', { config: { rateLimit: 'public' } }, async (_request, reply) => {
    const services = PUBLIC_SERVICES.map((s) => ({ ...s, live: deps.hasPage(s.href) }));
    return reply.page('portal/views/home.njk', { titleKey: 'home.title', services });
  });
}
