/**
 * Page plumbing: `reply.page(template, context)` renders a template inside the layout with the language,
 * translator, signed-in user and CSRF token filled in; forms are parsed and CSRF-checked only in this context.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import type { Views } from '../views/views.ts';
import { langSwitchHref, resolveLang, translator } from '../views/views.ts';
import type { Agency } from '../reference.ts';
import type { ErrorCode } from '../errors/catalogue.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: a page form that only reads public data and is posted by scripts too, so it takes no CSRF token. */
    csrf?: false;
  }
  interface FastifyReply {
    /** Renders a page template with the shared layout context; `titleKey` names the catalogue entry for <title>. */
    page(template: string, context?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
  }
}

export interface PageDeps {
  views: Views;
  agency: Agency;
}

async function baseContext(request: FastifyRequest, reply: FastifyReply, agency: Agency) {
  const lang = resolveLang(request, reply);
  const actor = request.routeOptions.config?.surface === 'page' ? await request.actor().catch(() => ({ kind: 'anonymous' as const })) : { kind: 'anonymous' as const };
  const otherLang = lang === 'en' ? 'es' : 'en';
  return {
    lang, otherLang, t: translator(lang), path: request.url.split('?')[0],
    langSwitchHref: langSwitchHref(request.url, otherLang),
    user: actor.kind === 'staff' ? actor.user : null,
    csrfToken: reply.generateCsrf ? reply.generateCsrf() : '',
    agency: { name: agency.name[lang], shortName: agency.shortName, contactCenterPhone: agency.contactCenterPhone },
    traceId: request.id,
  };
}

export function registerPageRendering(app: FastifyInstance, deps: PageDeps): void {
  app.decorateReply('page', async function (this: FastifyReply, template: string, context: Record<string, unknown> = {}, status = 200) {
    const base = await baseContext(this.request, this, deps.agency);
    const title = typeof context.titleKey === 'string' ? base.t(context.titleKey) : context.title;
    const html = deps.views.render(template, { ...base, ...context, title });
    return this.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
}

/** Renders the HTML error page used by the error handler for page routes. */
export function renderErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, _code: ErrorCode) {
  return reply.page('platform/views/error.njk', { titleKey: `error.title.${status}`, status }, status);
}

/**
 * Registers page routes in their own context: form bodies and CSRF protection apply only here,
 * and every route is marked `surface: "page"` (cookie sign-in, HTML errors).
 */
export async function pageContext(app: FastifyInstance, register: (scope: FastifyInstance) => void | Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), surface: 'page' };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
    await scope.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'sb_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, signed: true },
      getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
    });
    scope.addHook('preHandler', async (request, reply) => {
      if (request.method === 'POST' && request.routeOptions.config?.csrf !== false) await new Promise<void>((resolve, reject) => scope.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())));
    });
    await register(scope);
  });
}
