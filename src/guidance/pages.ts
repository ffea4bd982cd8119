/**
 * Guidance pages, in English and Spanish (?lang=es), without JavaScript:
 *   GET  /guidance/:slug                 public: the newest version, its "Last published date", the feedback form
 *   GET  /staff/guidance                 staff who publish reference data: the pages, and a form for a new page
 *   GET  /staff/guidance/:slug           a page's versions (earlier ones stay) and the form for its next version,
 *                                        filled in with the newest text; ?version=N shows that version
 *   POST /staff/guidance                 publishes a new version → 303 to the page's staff view
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../platform/errors/catalogue.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { longDate, longDateTime } from '../platform/i18n/format.ts';
import { todayIn } from '../domain/calendar.ts';
import { resolveLang } from '../platform/views/views.ts';
import type { Agency } from '../platform/reference.ts';
import { BODY_MAX, TITLE_MAX } from './policy.ts';
import type { GuidanceService } from './service.ts';

const PAGE = 'guidance/views/page.njk';
const STAFF = 'guidance/views/staff.njk';

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

export function guidancePages(app: FastifyInstance, deps: { guidance: GuidanceService; agency: Pick<Agency, 'timeZone'> }): void {
  const zone = deps.agency.timeZone;
  const publishedDate = (instant: string, lang: 'en' | 'es') => longDate(todayIn(zone, new Date(instant)), lang);

  app.get('/guidance/:slug', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const page = await deps.guidance.page((request.params as { slug: string }).slug, lang);
    return reply.page(PAGE, { title: page.title, guidance: page, published: publishedDate(page.publishedAt, lang), publishedIso: todayIn(zone, new Date(page.publishedAt)) });
  });

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return authorize(actor, 'publish-reference-data');
  }

  async function staffPage(reply: FastifyReply, staff: StaffActor, lang: 'en' | 'es', slug: string | null, extra: Record<string, unknown> = {}, status = 200) {
    const pages = await deps.guidance.list(staff);
    const history = slug ? await deps.guidance.history(staff, slug) : [];
    const current = slug ? await deps.guidance.latestText(staff, slug) : null;
    return reply.page(STAFF, {
      titleKey: 'guidance.staff.title', titleMax: TITLE_MAX, bodyMax: BODY_MAX, slug,
      pages: pages.map((p) => ({ ...p, published: publishedDate(p.publishedAt, lang) })),
      history: history.map((h) => ({ ...h, at: longDateTime(h.publishedAt, lang, zone) })),
      values: current ? { slug: current.slug, enTitle: current.en.title, enBody: current.en.body, esTitle: current.es.title, esBody: current.es.body } : { slug: slug ?? '', enTitle: '', enBody: '', esTitle: '', esBody: '' },
      errors: {}, shown: null, justPublished: '', ...extra,
    }, status);
  }

  app.get('/staff/guidance', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return staffPage(reply, staff, resolveLang(request, reply), null);
  });

  app.get('/staff/guidance/:slug', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const slug = (request.params as { slug: string }).slug;
    const history = await deps.guidance.history(staff, slug);
    if (!history.length) throw new AppError('not-found', 'There is no guidance page at this address.');
    const query = request.query as Record<string, unknown>;
    const n = Number.parseInt(text(query.version), 10);
    const shown = Number.isInteger(n) && n > 0 ? await deps.guidance.version(staff, slug, n, lang) : null;
    return staffPage(reply, staff, lang, slug, { shown, justPublished: text(query.published) });
  });

  app.post('/staff/guidance', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { slug: text(body.slug), enTitle: text(body.enTitle), enBody: text(body.enBody), esTitle: text(body.esTitle), esBody: text(body.esBody) };
    try {
      const done = await deps.guidance.publish(staff, { slug: values.slug, en: { title: values.enTitle, body: values.enBody }, es: { title: values.esTitle, body: values.esBody } }, request.id);
      return reply.redirect(`/staff/guidance/${encodeURIComponent(done.slug)}?published=${done.version}#published`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid-request') throw err;
      const fields = (err.extensions.errors ?? []) as FieldError[];
      const errors = Object.fromEntries(fields.map((e) => [e.field.replace('.', '_'), e.code]));
      const known = /^[a-z0-9-]{1,80}$/.test(values.slug.trim()) ? values.slug.trim() : null;
      return staffPage(reply, staff, lang, known && (await deps.guidance.history(staff, known)).length ? known : null, { values, errors }, 400);
    }
  });
}
