/** Staff pages: the sign-in form (cookie session, CSRF-protected), sign-out, and the signed-in home. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { SESSION_COOKIE, requireStaff } from '../platform/http/auth.ts';
import { sameSitePath } from '../platform/http/safe-redirect.ts';
import { ROLE_PROFILES } from '../domain/capabilities.ts';
import type { StaffService } from './service.ts';
import { SESSION_TTL_MS } from './policy.ts';
import { resolveLang, translator } from '../platform/views/views.ts';

interface SignInForm {
  email?: string;
  password?: string;
  next?: string;
}

/** Only same-site paths, as a browser parses them, are followed after sign-in (platform/http/safe-redirect.ts). */
const safeNext = (next: unknown): string => sameSitePath(next, '/staff');

export function staffPages(app: FastifyInstance, deps: { staff: StaffService; secureCookies: boolean }): void {
  app.get('/sign-in', async (request, reply) => {
    const actor = await request.actor();
    const q = request.query as { next?: string; signedOut?: string };
    if (actor.kind === 'staff') return reply.redirect(safeNext(q.next));
    return reply.page('staff/views/sign-in.njk', { titleKey: 'signIn.title', next: safeNext(q.next), email: '', signedOut: q.signedOut === '1', ...(q.signedOut === '1' ? { outcome: translator(resolveLang(request, reply))('signIn.signedOut') } : {}) });
  });

  app.post('/sign-in', async (request, reply) => {
    const form = (request.body ?? {}) as SignInForm;
    const email = typeof form.email === 'string' ? form.email : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeNext(form.next);
    if (!email.trim() || !password) {
      return reply.page('staff/views/sign-in.njk', { titleKey: 'signIn.title', next, email, problem: 'missing', hasError: true }, 400);
    }
    try {
      const r = await deps.staff.signIn(email, password, 'browser', request.ip, request.id);
      reply.setCookie(SESSION_COOKIE, r.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: SESSION_TTL_MS / 1000 });
      return reply.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'unauthenticated' && err.code !== 'rate-limited')) throw err;
      reply.headers(err.headers);
      const minutes = Math.ceil(Number(err.headers['retry-after'] ?? 60) / 60);
      return reply.page('staff/views/sign-in.njk', { titleKey: 'signIn.title', next, email, problem: err.code === 'rate-limited' ? 'throttled' : 'failed', minutes, hasError: true }, err.status);
    }
  });

  app.post('/sign-out', async (request, reply) => {
    const actor = await request.actor();
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (actor.kind !== 'staff') return reply.redirect('/sign-in', 303);
    await deps.staff.signOut(actor.sessionId, actor, request.id);
    return reply.redirect('/sign-in?signedOut=1', 303);
  });

  app.get('/staff', async (request, reply) => {
    const actor = await request.actor();
    if (actor.kind !== 'staff') return reply.redirect(`/sign-in?next=${encodeURIComponent('/staff')}`);
    const { user } = await requireStaff(request);
    const profile = ROLE_PROFILES[user.role];
    return reply.page('staff/views/home.njk', { titleKey: 'staff.home.title', profile, tools: toolsFor(user.role) });
  });
}

/** Links on the staff home, by role. Grows as capabilities land. */
function toolsFor(role: string): Array<{ href: string; label: string }> {
  const tools = [{ href: '/api/docs', label: 'apiDocs.title' }];
  if (role === 'admin') tools.push({ href: '/staff/outbox', label: 'outbox.title' }, { href: '/api/v1/openapi.json', label: 'apiDocs.openapiLink' });
  if (role === 'office') tools.unshift({ href: '/staff/queue', label: 'staff.home.queueLink' });
  if (role === 'supervisor') tools.unshift({ href: '/staff/queue', label: 'staff.home.queuesLink' }, { href: '/staff/overdue', label: 'staff.home.overdueLink' });
  return tools;
}
