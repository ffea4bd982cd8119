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
import { sessionCountdown, sessionTimesOf } from './auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: a page form that only reads public data and is posted by scripts too, so it takes no CSRF token. */
    csrf?: false;
  }
  interface FastifyReply {
    /**
     * Renders a page template with the shared layout context. The <title> says what happened:
     * `titleKey` names the page's catalogue entry; `outcome` (already translated) goes before it on a result;
     * any non-empty `errors` object (or `hasError: true`) puts "Error: " first, as GOV.UK does.
     */
    page(template: string, context?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
  }
  interface FastifyRequest {
    /** Cookies set on pages get `Secure` (COOKIE_SECURE, on by default in production). */
    secureCookies: boolean;
  }
}

export interface PageDeps {
  views: Views;
  agency: Agency;
  secureCookies: boolean;
}

/** The page's <title> text (the layout adds " | Switchboard"): "Error: " first when there is one, then the outcome. */
export function pageTitle(t: (key: string) => string, context: Record<string, unknown>): string {
  const base = typeof context.titleKey === 'string' ? t(context.titleKey) : String(context.title ?? '');
  const errors = context.errors;
  const hasError = context.hasError === true || (typeof errors === 'object' && errors !== null && Object.keys(errors).length > 0);
  const outcome = typeof context.outcome === 'string' && context.outcome !== '' ? `${context.outcome} – ` : '';
  return `${hasError ? t('site.errorPrefix') : ''}${outcome}${base}`;
}

async function baseContext(request: FastifyRequest, reply: FastifyReply, agency: Agency) {
  const lang = resolveLang(request, reply);
  const actor = request.routeOptions.config?.surface === 'page' ? await request.actor().catch(() => ({ kind: 'anonymous' as const })) : { kind: 'anonymous' as const };
  const otherLang = lang === 'en' ? 'es' : 'en';
  return {
    lang, otherLang, t: translator(lang), path: request.url.split('?')[0],
    langSwitchHref: langSwitchHref(request.url, otherLang),
    user: actor.kind === 'staff' ? actor.user : null,
    // The signed-in session's countdown, for the layout's "session ending" warning (staff/views/session-warning.njk).
    session: actor.kind === 'staff' && sessionTimesOf(request) ? sessionCountdown(sessionTimesOf(request)!) : null,
    csrfToken: reply.generateCsrf ? reply.generateCsrf() : '',
    agency: { name: agency.name[lang], shortName: agency.shortName, contactCenterPhone: agency.contactCenterPhone, ombudsman: { name: agency.ombudsman.name[lang], url: agency.ombudsman.url } },
    traceId: request.id,
    // "Was this page helpful?" under public pages only (routes with rateLimit 'public'; src/feedback/views/page-form.njk):
    // the page to come back to (its path: a query may hold a receipt number, never echoed), and whether it was just sent.
    feedbackForm: request.routeOptions.config?.rateLimit === 'public'
      ? { back: request.url.split('?')[0], thanked: (request.query as Record<string, unknown> | undefined)?.feedback === 'thanks' } : null,
  };
}

export function registerPageRendering(app: FastifyInstance, deps: PageDeps): void {
  app.decorateRequest('secureCookies', deps.secureCookies);
  app.decorateReply('page', async function (this: FastifyReply, template: string, context: Record<string, unknown> = {}, status = 200) {
    const base = await baseContext(this.request, this, deps.agency);
    const title = pageTitle(base.t, context);
    const html = deps.views.render(template, { ...base, ...context, title });
    // The language can come from Accept-Language, so a shared cache must key on it (pages are no-store anyway).
    return this.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('vary', 'Accept-Language, Cookie').send(html);
  });
}

/** Renders the HTML error page used by the error handler for page routes. */
export function renderErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, _code: ErrorCode) {
  return reply.page('platform/views/error.njk', { titleKey: `error.title.${status}`, status, hasError: true }, status);
}

/**
 * Registers page routes in their own context: form bodies and CSRF protection apply only here,
 * and every route is marked `surface: "page"` (cookie sign-in, HTML errors).
 */
export async function pageContext(app: FastifyInstance, options: { secureCookies: boolean }, register: (scope: FastifyInstance) => void | Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), surface: 'page' };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
    await scope.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'sb_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, signed: true, secure: options.secureCookies },
      getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
    });
    scope.addHook('preHandler', async (request, reply) => {
      if (request.method === 'POST' && request.routeOptions.config?.csrf !== false) await new Promise<void>((resolve, reject) => scope.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())));
    });
    await register(scope);
  });
}
