/**
 * Status-change alerts, the pages (English and Spanish, working without JavaScript):
 *   POST /alerts              the sign-up form under a case status result (views/_signup.njk): "check your e-mail",
 *                             or the form again naming each bad field
 *   GET  /alerts              the same form on its own page (?receiptNumber= fills it)
 *   GET  /alerts/confirm      the link in the confirmation message: confirms (again: says so)
 *   GET  /alerts/unsubscribe  the link in every message: unsubscribes in one click
 *   POST /alerts/unsubscribe  the same for mail programs (RFC 8058 List-Unsubscribe-Post), without a CSRF token
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../platform/errors/catalogue.ts';
import { resolveLang } from '../platform/views/views.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import type { AlertService } from './service.ts';
import { signUpForm, type SignUpValues } from './views.ts';

const SIGNUP = 'alerts/views/signup.njk';
const SENT = 'alerts/views/sent.njk';
const LINK = 'alerts/views/link.njk';

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

export function alertPages(app: FastifyInstance, deps: { alerts: AlertService }): void {
  const form = (reply: FastifyReply, lang: Lang, values: SignUpValues, errors: FieldError[], status = 200) =>
    reply.page(SIGNUP, { titleKey: 'alerts.signup.title', alertForm: signUpForm(values, errors, lang), hasError: errors.length > 0 }, status);

  app.get('/alerts', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const q = (request.query ?? {}) as Record<string, unknown>;
    return form(reply, lang, { receiptNumber: text(q.receiptNumber).slice(0, 40), email: '', phone: '', language: lang }, []);
  });

  app.post('/alerts', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: SignUpValues = {
      receiptNumber: text(body.receiptNumber).slice(0, 64), email: text(body.email).slice(0, 320), phone: text(body.phone).slice(0, 40),
      language: text(body.language) === 'es' ? 'es' : text(body.language) === 'en' ? 'en' : lang,
    };
    try {
      await deps.alerts.signUp(await request.actor(), {
        receiptNumber: values.receiptNumber, email: values.email || undefined, phone: values.phone || undefined, language: values.language,
      }, { clientAddress: request.ip, traceId: request.id });
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'invalid-request' && err.code !== 'invalid-receipt-number')) throw err;
      return form(reply, lang, values, (err.extensions.errors ?? []) as FieldError[], 400);
    }
    return reply.page(SENT, { titleKey: 'alerts.sent.title', channel: values.email ? 'email' : 'sms' });
  });

  const link = async (request: FastifyRequest, reply: FastifyReply, action: 'confirm' | 'unsubscribe') => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const lang = resolveLang(request, reply);
    const actor = await request.actor();
    const outcome = action === 'confirm' ? await deps.alerts.confirm(actor, text(q.token), request.id) : await deps.alerts.unsubscribe(actor, text(q.token), request.id);
    if (!outcome) return reply.page(LINK, { titleKey: 'alerts.link.invalidTitle', invalid: true, hasError: true, lang }, 404);
    const u = new URL(outcome.unsubscribeUrl);
    return reply.page(LINK, {
      titleKey: outcome.state === 'confirmed' ? 'alerts.link.confirmedTitle' : 'alerts.link.unsubscribedTitle', invalid: false,
      outcome: { state: outcome.state, changed: outcome.changed, receiptNumber: outcome.receiptNumber, unsubscribePath: `${u.pathname}${u.search}` },
    });
  };

  app.get('/alerts/confirm', { config: { rateLimit: 'public' } }, (request, reply) => link(request, reply, 'confirm'));
  app.get('/alerts/unsubscribe', { config: { rateLimit: 'public' } }, (request, reply) => link(request, reply, 'unsubscribe'));
  // RFC 8058: a mail program posts "List-Unsubscribe=One-Click" to the List-Unsubscribe URL, with no token of ours.
  app.post('/alerts/unsubscribe', { config: { rateLimit: 'public', csrf: false } }, (request, reply) => link(request, reply, 'unsubscribe'));
}
