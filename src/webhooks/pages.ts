/**
 * /admin/webhooks (admin, English and Spanish): the endpoints, registering one (its secret shown once, on the page
 * that answers the form), an endpoint's delivery log, "Send a test event", and removing one. Forms are CSRF-checked
 * by the page context; the same WebhookService as the API does the work, so the two never disagree.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import { DELIVERIES_PAGE_SIZE, ENDPOINT_LIMITS, WEBHOOK_EVENTS } from './policy.ts';
import type { DeliveryView, WebhookService } from './service.ts';

const PATH = '/admin/webhooks';
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const pageNumber = (s: unknown): number => (typeof s === 'string' && /^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : 1);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** Signed in, or off to the sign-in page and back here; the service's authorize() decides the rest (403 for non-admins). */
async function signedIn(request: FastifyRequest, reply: FastifyReply, next: string) {
  const actor = await request.actor();
  if (actor.kind !== 'staff') {
    await reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`);
    return null;
  }
  return actor;
}

export function webhookPages(app: FastifyInstance, deps: { webhooks: WebhookService; timeZone: string }): void {
  const w = deps.webhooks;
  const when = (instant: string | null, lang: Lang) => (instant ? longDateTime(instant, lang, deps.timeZone) : '');
  const deliveryRow = (d: DeliveryView, lang: Lang) => ({ ...d, createdText: when(d.createdAt, lang), deliveredText: when(d.deliveredAt, lang), nextText: when(d.nextAttemptAt, lang) });

  app.get(PATH, async (request, reply) => {
    const actor = await signedIn(request, reply, PATH);
    if (!actor) return reply;
    const lang = resolveLang(request, reply);
    const q = request.query as { removed?: string };
    const { items } = await w.list(actor);
    const removed = q.removed === '1';
    return reply.page('webhooks/views/list.njk', {
      titleKey: 'webhooks.title', ...(removed ? { outcome: translator(lang)('webhooks.removed') } : {}), removed,
      endpoints: items.map((e) => ({ ...e, createdText: when(e.createdAt, lang) })),
    });
  });

  const renderForm = (reply: FastifyReply, values: { url: string; description: string; events: string[] }, errors: Record<string, string>, status = 200) =>
    reply.page('webhooks/views/new.njk', { titleKey: 'webhooks.new.title', events: WEBHOOK_EVENTS, values, errors, errorList: Object.entries(errors).map(([field, msg]) => ({ field: field === 'events' ? `events-${WEBHOOK_EVENTS[0]}` : field, text: msg })), limits: ENDPOINT_LIMITS }, status);

  app.get(`${PATH}/new`, async (request, reply) => {
    const actor = await signedIn(request, reply, `${PATH}/new`);
    if (!actor) return reply;
    await w.list(actor); // the same 403 as the list for a role that may not manage webhooks
    return renderForm(reply, { url: '', description: '', events: [] }, {});
  });

  app.post(PATH, async (request, reply) => {
    const actor = await signedIn(request, reply, `${PATH}/new`);
    if (!actor) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { url: text(body.url).slice(0, ENDPOINT_LIMITS.urlMax + 1), description: text(body.description).slice(0, ENDPOINT_LIMITS.descriptionMax + 1), events: list(body.events) };
    try {
      const answer = await w.create(actor, values, { key: null, scope: `staff:${actor.user.id}`, requestHash: '' }, request.id);
      const created = JSON.parse(answer.body) as { id: string; url: string; secret: string; events: string[]; description: string };
      // The secret is on this answer only: never cached, never in an address.
      reply.header('cache-control', 'no-store');
      return reply.page('webhooks/views/created.njk', { titleKey: 'webhooks.created.title', endpoint: created }, 201);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid-request') throw err;
      const t = translator(resolveLang(request, reply));
      const errors: Record<string, string> = {};
      for (const e of (err.extensions.errors as Array<{ field: string; code: string }> | undefined) ?? []) {
        errors[e.field] ??= t(`webhooks.error.${e.field}.${e.code}`, { max: e.field === 'url' ? ENDPOINT_LIMITS.urlMax : ENDPOINT_LIMITS.descriptionMax });
      }
      return renderForm(reply, values, errors, 400);
    }
  });

  app.get(`${PATH}/:id`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const actor = await signedIn(request, reply, `${PATH}/${encodeURIComponent(id)}`);
    if (!actor) return reply;
    const lang = resolveLang(request, reply);
    const q = request.query as { page?: string; tested?: string };
    const endpoint = await w.get(actor, id);
    const page = pageNumber(q.page);
    const log = await w.deliveries(actor, id, page, DELIVERIES_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(log.total / DELIVERIES_PAGE_SIZE));
    const href = (p: number) => `${PATH}/${encodeURIComponent(id)}?page=${p}`;
    const tested = q.tested === '1';
    return reply.page('webhooks/views/endpoint.njk', {
      titleKey: 'webhooks.endpoint.title', ...(tested ? { outcome: translator(lang)('webhooks.tested') } : {}), tested,
      endpoint: { ...endpoint, createdText: when(endpoint.createdAt, lang) }, log: { ...log, items: log.items.map((d) => deliveryRow(d, lang)) }, pages,
      previous: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null,
    });
  });

  app.post(`${PATH}/:id/test`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const actor = await signedIn(request, reply, `${PATH}/${encodeURIComponent(id)}`);
    if (!actor) return reply;
    await w.test(actor, id, request.id);
    return reply.redirect(`${PATH}/${encodeURIComponent(id)}?tested=1`, 303);
  });

  app.post(`${PATH}/:id/remove`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const actor = await signedIn(request, reply, PATH);
    if (!actor) return reply;
    await w.remove(actor, id, request.id);
    return reply.redirect(`${PATH}?removed=1`, 303);
  });
}
