/** Staff pages: the sign-in form (cookie session, CSRF-protected), sign-out, and the signed-in home. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { SESSION_COOKIE, requireStaff, sessionCountdown } from '../platform/http/auth.ts';
import { sameSitePath } from '../platform/http/safe-redirect.ts';
import { ROLE_PROFILES, can } from '../domain/capabilities.ts';
import { isRole } from '../domain/roles.ts';
import type { StaffService } from './service.ts';
import { ABSOLUTE_TIMEOUT_HOURS, ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MINUTES } from './policy.ts';
import { sha256 } from '../platform/ids.ts';
import type { SessionCheck } from './service.ts';
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
    const q = request.query as { next?: string; signedOut?: string; ended?: string };
    if (actor.kind === 'staff') return reply.redirect(safeNext(q.next));
    // A session that ended by time: say so (the cookie still names it, also without JavaScript; the warning
    // script adds ?ended= after the status check told it why), and forget the dead cookie.
    const cookie = request.cookies[SESSION_COOKIE];
    let ended: 'idle' | 'absolute' | undefined;
    if (cookie) {
      const check = await deps.staff.checkToken(cookie);
      if (!check.live && (check.reason === 'idle' || check.reason === 'absolute')) ended = check.reason;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    if (!ended && (q.ended === 'idle' || q.ended === 'absolute')) ended = q.ended;
    const t = translator(resolveLang(request, reply));
    const endedText = ended === 'idle' ? t('session.endedIdle', { minutes: IDLE_TIMEOUT_MINUTES }) : ended === 'absolute' ? t('session.endedAbsolute', { hours: ABSOLUTE_TIMEOUT_HOURS }) : undefined;
    const outcome = q.signedOut === '1' ? t('signIn.signedOut') : endedText;
    return reply.page('staff/views/sign-in.njk', { titleKey: 'signIn.title', next: safeNext(q.next), email: '', signedOut: q.signedOut === '1', sessionEnded: endedText ?? '', ...(outcome ? { outcome } : {}) });
  });

  /** What the warning script reads: when the session ends. Reads without touching the session (no write, no extension). */
  app.get('/staff/session/status', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    const check: SessionCheck = cookie ? await deps.staff.checkSession(sha256(cookie)) : { live: false, reason: 'unknown' };
    return reply.header('cache-control', 'no-store').send(sessionStatus(check));
  });

  /** "Stay signed in": extends the session (CSRF-checked like every page form). JSON for the script, else back to the page. */
  app.post('/staff/session/keep-alive', async (request, reply) => {
    const actor = await request.actor();
    const wantsJson = (request.headers.accept ?? '').includes('application/json');
    const cookie = request.cookies[SESSION_COOKIE];
    const check: SessionCheck = actor.kind === 'staff' ? await deps.staff.keepAlive(actor.sessionId) : cookie ? await deps.staff.checkToken(cookie) : { live: false, reason: 'unknown' };
    const next = safeNext((request.body as { next?: unknown } | undefined)?.next);
    if (wantsJson) return reply.header('cache-control', 'no-store').send(sessionStatus(check));
    return reply.redirect(check.live ? next : `/sign-in?next=${encodeURIComponent(next)}`, 303);
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
      reply.setCookie(SESSION_COOKIE, r.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: ABSOLUTE_TIMEOUT_MS / 1000 });
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

/**
 * A session's state for the warning script: durations from the server's clock (the browser's may be off), and
 * whether the end is the absolute one (staying signed in cannot move it). An ended session says only why.
 */
export function sessionStatus(check: SessionCheck): ({ live: true } & ReturnType<typeof sessionCountdown>) | { live: false; reason: 'idle' | 'absolute' | 'ended' } {
  if (!check.live) return { live: false, reason: check.reason === 'idle' || check.reason === 'absolute' ? check.reason : 'ended' };
  return { live: true, ...sessionCountdown(check.times) };
}

/** Links on the staff home, by role. Grows as capabilities land. */
function toolsFor(role: string): Array<{ href: string; label: string }> {
  const tools = [{ href: '/api/docs', label: 'apiDocs.title' }];
  if (isRole(role) && can(role, 'manage-staff')) tools.unshift({ href: '/admin/staff', label: 'admin.homeStaff' });
  if (isRole(role) && can(role, 'manage-api-clients')) tools.push({ href: '/admin/clients', label: 'admin.homeClients' });
  if (isRole(role) && can(role, 'manage-webhooks')) tools.push({ href: '/admin/webhooks', label: 'admin.homeWebhooks' });
  if (role === 'admin') tools.push({ href: '/staff/outbox', label: 'outbox.title' }, { href: '/api/v1/openapi.json', label: 'apiDocs.openapiLink' });
  if (role === 'office') tools.unshift({ href: '/staff/queue', label: 'staff.home.queueLink' });
  if (role === 'supervisor') {
    tools.unshift({ href: '/supervisor', label: 'supervisor.homeLink' }, { href: '/supervisor/reassign', label: 'supervisorTools.homeReassign' }, { href: '/supervisor/agent-day', label: 'supervisorTools.homeDay' },
      { href: '/supervisor/denied-access', label: 'supervisorTools.homeDenied' }, { href: '/staff/queue', label: 'staff.home.queuesLink' }, { href: '/staff/overdue', label: 'staff.home.overdueLink' });
  }
  if (isRole(role) && can(role, 'read-audit-trail')) tools.push({ href: '/supervisor/denied-access', label: 'supervisorTools.homeDeniedAdmin' });
  if (isRole(role) && can(role, 'use-call-simulator')) tools.push({ href: '/staff/call-simulator', label: 'staff.home.simulatorLink' });
  if (isRole(role) && can(role, 'view-reports')) tools.unshift({ href: '/reports/contact-center', label: 'reports.homeLink' }, { href: '/staff/feedback', label: 'feedback.staff.title' });
  if (isRole(role) && can(role, 'publish-reference-data')) {
    tools.push({ href: '/admin/processing-times', label: 'adminTimes.homeLink' }, { href: '/admin/visa-bulletins', label: 'adminBulletin.homeLink' }, { href: '/staff/guidance', label: 'guidance.staff.title' },
      { href: '/admin/scripts', label: 'adminScripts.homeLink' }, { href: '/admin/retention', label: 'adminRetention.homeLink' });
  }
  if (isRole(role) && can(role, 'request-call-review')) tools.unshift({ href: '/ombudsman/call-reviews', label: 'callReviews.homeLink' });
  if (isRole(role) && can(role, 'take-case-assistance-requests')) tools.unshift({ href: '/ombudsman/desk', label: 'ombudsman.desk.title' });
  return tools;
}
