/** /staff/outbox: outgoing mail for administrators (read it when no mail server is set; send a failed one again). */
import type { FastifyInstance } from 'fastify';
import { requireStaff } from '../platform/http/auth.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { OUTBOX_PAGE_SIZE, OUTBOX_STATES, type OutboxState } from './policy.ts';
import type { OutboxService } from './service.ts';

const isState = (s: unknown): s is OutboxState => typeof s === 'string' && (OUTBOX_STATES as readonly string[]).includes(s);

export function outboxPages(app: FastifyInstance, deps: { outbox: OutboxService; delivering: { email: boolean; sms: boolean } }): void {
  app.get('/staff/outbox', async (request, reply) => {
    const actor = await request.actor();
    if (actor.kind !== 'staff') return reply.redirect(`/sign-in?next=${encodeURIComponent('/staff/outbox')}`);
    const admin = await requireStaff(request, ['admin']);
    const q = request.query as { state?: string; page?: string; retried?: string };
    const state = isState(q.state) ? q.state : undefined;
    const page = /^[1-9][0-9]{0,5}$/.test(q.page ?? '') ? Number(q.page) : 1;
    const list = await deps.outbox.list(admin, { state }, page, OUTBOX_PAGE_SIZE, request.id);
    const pages = Math.max(1, Math.ceil(list.total / OUTBOX_PAGE_SIZE));
    const href = (p: number) => `/staff/outbox?${state ? `state=${state}&` : ''}page=${p}`;
    const retried = q.retried === '1';
    return reply.page('outbox/views/outbox.njk', {
      titleKey: 'outbox.title', ...(retried ? { outcome: translator(resolveLang(request, reply))('outbox.retried') } : {}),
      retried, list, state, states: OUTBOX_STATES, delivering: deps.delivering, pages,
      previous: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null,
    });
  });

  app.post('/staff/outbox/:id/retry', async (request, reply) => {
    const admin = await requireStaff(request, ['admin']);
    const { id } = request.params as { id: string };
    await deps.outbox.retry(id, admin, request.id);
    return reply.redirect('/staff/outbox?state=pending&retried=1', 303);
  });
}
