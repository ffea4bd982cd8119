/** The public home page: what the public can do here, and how to prepare for a call. */
import type { FastifyInstance } from 'fastify';

/**
 * The public services, in the order the home page lists them. A service links to its page once it exists;
 * until then, one with `elsewhere` links to where the public can get it today (an address in agency.json).
 */
export const PUBLIC_SERVICES = [
  { key: 'caseStatus', href: '/case-status' },
  { key: 'processingTimes', href: '/processing-times' },
  { key: 'inquiry', href: '/inquiry' },
  { key: 'priorityDate', href: '/priority-date' },
  { key: 'prepare', href: '/prepare' },
  { key: 'ombudsman', href: '/ombudsman', elsewhere: 'ombudsman' },
] as const;

export function portalPages(app: FastifyInstance, deps: { hasPage: (path: string) => boolean }): void {
  app.get('/', { config: { rateLimit: 'public' } }, async (_request, reply) => {
    const services = PUBLIC_SERVICES.map((s) => ({ ...s, live: deps.hasPage(s.href) }));
    return reply.page('portal/views/home.njk', { titleKey: 'home.title', services });
  });
}
