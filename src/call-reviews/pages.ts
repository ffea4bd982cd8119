/**
 * The Ombudsman's call reviews in the browser (CONTRACT.md section 11, over CallReviewService), plain HTML that
 * works without JavaScript, in English and Spanish; cookie session, CSRF on every form, POST then redirect:
 *   GET  /ombudsman/call-reviews?page=            the reviews, open first then closed, newest first (paged), and for
 *                                                 the Ombudsman the "Request a call review" form: the call record's
 *                                                 reference, or about when (datetime-local in the agency's time
 *                                                 zone), the phone number used and the staff ID or name; the concern
 *   POST /ombudsman/call-reviews                  the request (the form's key is its Idempotency-Key: a second
 *                                                 submit opens the first review); 303 to the review. Field errors
 *                                                 400, no call found 404, older than 90 days 422: said in words on
 *                                                 the form, with what to do instead
 *   GET  /ombudsman/call-reviews/:reviewNumber     the review's record: the call (its events and notes), the concern,
 *                                                 the hold on the call, the outcome; the close form for the Ombudsman
 *   POST /ombudsman/call-reviews/:reviewNumber/close   closes it with the outcome (required); the hold is released
 * Supervisors (review-calls) read the list and each review, never the forms; `supervisorReviews` is the section of
 * open reviews on their live view (/supervisor).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { Agency } from '../platform/reference.ts';
import type { StaffActor } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { can } from '../domain/capabilities.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, longDateTime, number } from '../platform/i18n/format.ts';
import { queryValue } from '../platform/http/query.ts';
import { idempotencyScope, keyProblem, requestHash } from '../platform/idempotency/key.ts';
import type { IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import { formatContactReference } from '../domain/contact-reference.ts';
import { readablePhone } from '../desk/pages.ts';
import type { ContactService } from '../contacts/service.ts';
import type { ContactView } from '../contacts/views.ts';
import type { CallReviewService, ReviewInput, ReviewListItem } from './service.ts';
import { FORM_IN_FLIGHT_WAIT_MS, LIST_PAGE_SIZE, MATCH_HOURS, REVIEW_WINDOW_DAYS, SUPERVISOR_SHOWN, TEXT_LIMITS } from './policy.ts';

export interface CallReviewPageDeps {
  callReviews: Pick<CallReviewService, 'request' | 'list' | 'record' | 'close'>;
  /** The call's events and notes (supervisors and the Ombudsman read any call: find-contacts). */
  contacts: Pick<ContactService, 'get'>;
  agency: Pick<Agency, 'timeZone'>;
}

const LIST = 'call-reviews/views/list.njk';
const REVIEW = 'call-reviews/views/review.njk';
const PATH = '/ombudsman/call-reviews';
const ROUTE = 'POST /ombudsman/call-reviews';

/** The request form's fields, as posted; one over the service's limit for the concern, so an over-long one is refused, never cut. */
const FIELDS = ['reference', 'callTime', 'callerPhone', 'agent', 'concern', 'formKey'] as const;
const MAX_LEN: Record<string, number> = { concern: TEXT_LIMITS.max * 2 + 1, outcome: TEXT_LIMITS.max * 2 + 1 };

function posted(body: unknown, fields: readonly string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = Array.isArray(b[f]) ? (b[f] as unknown[])[0] : b[f];
    out[f] = typeof v === 'string' ? v.slice(0, MAX_LEN[f] ?? 200) : '';
  }
  return out;
}

const pageNumber = (s: string): number => (/^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const has = (t: Translate, key: string) => t(key) !== key;
const words = (t: Translate, key: string, fallback: string) => (has(t, key) ? t(key) : fallback);

/**
 * A datetime-local value ("2026-11-20T14:30", or typed "2026-11-20 14:30" where the browser offers a text box)
 * read in the agency's time zone, as an instant with its offset; '' when empty, the text as typed when unreadable
 * (the service then names the field).
 */
export function agencyInstant(value: string, timeZone: string): string {
  const v = value.trim();
  if (!v) return '';
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(v)) return v;
  const at = DateTime.fromISO(v.replace(' ', 'T'), { zone: timeZone });
  return at.isValid ? at.toISO({ suppressMilliseconds: true })! : v;
}

/** The form's values as the API's body: the reference alone when given, else the time, phone and staff ID (6 digits) or name. */
export function reviewInput(v: Record<string, string>, timeZone: string): ReviewInput {
  const val = (k: string) => (v[k] ?? '').trim();
  if (val('reference')) return { reference: val('reference'), concern: val('concern') };
  const agent = val('agent');
  // Digits only: a staff ID (the service refuses one that is not six digits); anything else: a name.
  const agentField = agent === '' ? {} : /^[\d\s-]+$/.test(agent) ? { agentId: agent.replace(/[\s-]/g, '') } : { agentName: agent };
  return { callTime: agencyInstant(val('callTime'), timeZone), callerPhone: val('callerPhone'), ...agentField, concern: val('concern') };
}

/** The service's field names as the form's fields. */
const FORM_FIELD: Record<string, string> = { reference: 'reference', callTime: 'callTime', callerPhone: 'callerPhone', agentId: 'agent', agentName: 'agent', concern: 'concern', outcome: 'outcome' };

/** A refused form's field messages, in the page's language (callReviews.error.<field>.<code>, else .invalid). */
function fieldErrors(err: AppError, t: Translate, lang: Lang): Array<{ field: string; text: string }> {
  const list = (err.extensions.errors as Array<{ field: string; code: string }> | undefined) ?? [];
  const out: Array<{ field: string; text: string }> = [];
  for (const e of list) {
    const field = FORM_FIELD[e.field] ?? 'concern';
    if (out.some((o) => o.field === field)) continue;
    const key = has(t, `callReviews.error.${field}.${e.code}`) ? `callReviews.error.${field}.${e.code}` : `callReviews.error.${field}.invalid`;
    out.push({ field, text: t(key, { min: TEXT_LIMITS.min, max: number(TEXT_LIMITS.max, lang) }) });
  }
  // In the page's order, as the summary lists them.
  return out.sort((a, b) => FIELDS.indexOf(a.field as (typeof FIELDS)[number]) - FIELDS.indexOf(b.field as (typeof FIELDS)[number]));
}

/** The agency's time zone by its name in the page's language ("Eastern Time", "hora oriental"), whatever the season. */
function zoneName(timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

export function callReviewPages(app: FastifyInstance, deps: CallReviewPageDeps): void {
  const reviews = deps.callReviews;
  const zone = deps.agency.timeZone;
  const when = (iso: string, lang: Lang) => longDateTime(iso, lang, zone);

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return actor;
  }

  /**
   * Runs the request with the form's key as its Idempotency-Key: a double submit gets the first answer (the same
   * review); the key reused with other answers (sent, changed, sent again) makes a new one; a first submit still
   * running is waited for a moment.
   */
  async function once(token: string, staff: StaffActor, body: ReviewInput, run: (idem: IdempotentRequest) => Promise<IdempotentAnswer>): Promise<IdempotentAnswer> {
    const hash = requestHash({ method: 'POST', route: PATH, params: {}, body });
    const scope = idempotencyScope(staff, 'POST', PATH);
    let key: string | null = /^[0-9a-f-]{36}$/.test(token) && keyProblem(token) === null ? token : null;
    const deadline = Date.now() + FORM_IN_FLIGHT_WAIT_MS;
    for (;;) {
      try {
        return await run({ key, scope, requestHash: hash });
      } catch (err) {
        if (!(err instanceof AppError) || key === null) throw err;
        if (err.code === 'idempotency-key-reused') key = null;
        else if (err.code === 'conflict' && Date.now() < deadline) await sleep(100);
        else throw err;
      }
    }
  }

  const row = (i: ReviewListItem, lang: Lang) => ({
    ...i, href: `${PATH}/${i.reviewNumber}?lang=${lang}`, reference: formatContactReference(i.contact.reference),
    callAt: when(i.contact.startedAt, lang), requested: longDate(i.createdAt.slice(0, 10), lang), closed: i.closedAt ? longDate(i.closedAt.slice(0, 10), lang) : null,
    agent: i.contact.agentId ? (i.contact.agentName ? `${i.contact.agentName} (${i.contact.agentId})` : i.contact.agentId) : null,
  });

  /** What a refused request shows on the form: field errors, or no call found (404), or the window closed (422). */
  interface FormState { values: Record<string, string>; errors: Array<{ field: string; text: string }>; notice: { kind: 'not-found-reference' | 'not-found' | 'window-closed' | 'in-flight'; date?: string } | null }

  async function renderList(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, state: FormState | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const page = pageNumber(queryValue(request.query, 'page'));
    const list = await reviews.list(staff, { page, pageSize: LIST_PAGE_SIZE }, request.id);
    const pages = Math.max(1, Math.ceil(list.total / LIST_PAGE_SIZE));
    const mayRequest = can(staff.user.role, 'request-call-review');
    const values = { reference: '', callTime: '', callerPhone: '', agent: '', concern: '', ...(state?.values ?? {}) };
    const errorOf = Object.fromEntries((state?.errors ?? []).map((e) => [e.field, e.text]));
    return reply.page(LIST, {
      titleKey: 'callReviews.title', hasError: state !== null,
      items: list.items.map((i) => row(i, lang)), total: list.total, page, pages,
      prevHref: page > 1 ? `${PATH}?lang=${lang}&page=${page - 1}` : null, nextHref: page < pages ? `${PATH}?lang=${lang}&page=${page + 1}` : null,
      pageText: t('callReviews.list.pageOf', { page: number(page, lang), pages: number(pages, lang) }),
      mayRequest, values, errors: state?.errors ?? [], errorOf, notice: state?.notice ?? null,
      formKey: state?.values.formKey && /^[0-9a-f-]{36}$/.test(state.values.formKey) ? state.values.formKey : randomUUID(),
      zoneName: zoneName(zone, lang), windowDays: REVIEW_WINDOW_DAYS, matchHours: MATCH_HOURS, limits: { min: TEXT_LIMITS.min, max: number(TEXT_LIMITS.max, lang) },
      done: queryValue(request.query, 'done'),
    }, status);
  }

  app.get(PATH, async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderList(request, reply, staff, null);
  });

  app.post(PATH, async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const values = posted(request.body, FIELDS);
    const input = reviewInput(values, zone);
    let answer: IdempotentAnswer;
    try {
      answer = await once(values.formKey ?? '', staff, input, (idem) => reviews.request(staff, input, idem, request.id));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const byReference = input.reference !== undefined;
      if (err.code === 'invalid-request') return renderList(request, reply, staff, { values, errors: fieldErrors(err, t, lang), notice: null }, 400);
      if (err.code === 'not-found') return renderList(request, reply, staff, { values, errors: [], notice: { kind: byReference ? 'not-found-reference' : 'not-found' } }, 404);
      if (err.code === 'review-window-closed') {
        const started = typeof err.extensions.contactStartedAt === 'string' ? when(err.extensions.contactStartedAt, lang) : '';
        return renderList(request, reply, staff, { values, errors: [], notice: { kind: 'window-closed', date: started } }, 422);
      }
      if (err.code === 'conflict') return renderList(request, reply, staff, { values, errors: [], notice: { kind: 'in-flight' } }, 409);
      throw err;
    }
    const { reviewNumber } = JSON.parse(answer.body) as { reviewNumber: string };
    return reply.redirect(`${PATH}/${reviewNumber}?lang=${lang}&done=requested`, 303);
  });

  /** A call's events in words (the desk's own texts), oldest first; notes with what was written. */
  function eventsOf(view: ContactView, t: Translate, lang: Lang) {
    return view.events.map((e) => {
      const d = e.detail ?? {};
      const vars: Record<string, string> = {};
      for (const [k, val] of Object.entries(d)) if (typeof val === 'string' || typeof val === 'number') vars[k] = String(val);
      if (typeof d.disposition === 'string') vars.disposition = words(t, `desk.disposition.${d.disposition}`, d.disposition);
      if (typeof d.channel === 'string') vars.channel = t(`desk.channel.${d.channel === 'email' ? 'email' : 'sms'}`);
      if (typeof d.outcome === 'string') vars.outcome = words(t, `desk.attemptOutcome.${d.outcome}`, d.outcome);
      const text = words(t, `desk.event.${e.kind}`, e.kind).replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
      return { at: when(e.at, lang), iso: e.at, kind: e.kind, text, note: e.kind === 'note' && typeof d.text === 'string' ? d.text : null };
    });
  }

  async function renderReview(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, n: string, state: { outcome: string; error: string | null; problem: string | null } | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const r = await reviews.record(staff, n, request.id);
    const call = await deps.contacts.get(staff, r.contactId);
    const done = queryValue(request.query, 'done');
    const c = r.contact;
    return reply.page(REVIEW, {
      title: t('callReviews.review.heading', { number: r.reviewNumber }), hasError: state !== null,
      ...(state === null && (done === 'requested' || done === 'closed') ? { outcome: t(`callReviews.review.done.${done}`) } : {}),
      doneText: state === null && (done === 'requested' || done === 'closed') ? t(`callReviews.review.done.${done}`) : null,
      r, number: r.reviewNumber,
      call: {
        reference: formatContactReference(c.reference), started: when(c.startedAt, lang), startedIso: c.startedAt,
        ended: c.endedAt ? when(c.endedAt, lang) : null, phone: readablePhone(c.callerPhone),
        agent: c.agentId ? (r.agentName ? `${r.agentName} (${c.agentId})` : c.agentId) : null,
        tier: c.tier ? words(t, `callReviews.tier.${c.tier}`, c.tier) : null,
        disposition: c.disposition ? words(t, `desk.disposition.${c.disposition}`, c.disposition) : null,
        recording: c.recordingUri, endNotes: call.notes,
        cases: call.cases.map((k) => k.receiptNumber), referrals: call.serviceRequests,
      },
      events: eventsOf(call, t, lang),
      asked: {
        byReference: r.asked.byReference,
        callTime: r.asked.callTime && !Number.isNaN(Date.parse(r.asked.callTime)) ? when(r.asked.callTime, lang) : r.asked.callTime,
        phone: r.asked.phone, agent: r.asked.agent,
      },
      requested: when(r.createdAt, lang), requestedBy: r.requestedBy, closed: r.closedAt ? when(r.closedAt, lang) : null, closedBy: r.closedBy,
      mayClose: r.status === 'open' && can(staff.user.role, 'request-call-review'),
      outcomeValue: state?.outcome ?? '', outcomeError: state?.error ?? null, problem: state?.problem ?? null, limits: { min: TEXT_LIMITS.min, max: number(TEXT_LIMITS.max, lang) },
      listHref: `${PATH}?lang=${lang}`,
    }, status);
  }

  app.get(`${PATH}/:reviewNumber`, async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderReview(request, reply, staff, (request.params as { reviewNumber: string }).reviewNumber, null);
  });

  app.post(`${PATH}/:reviewNumber/close`, async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const n = (request.params as { reviewNumber: string }).reviewNumber;
    const { outcome } = posted(request.body, ['outcome']);
    let closed;
    try {
      closed = await reviews.close(staff, n, outcome ?? '', request.id);
    } catch (err) {
      if (!(err instanceof AppError) || !['invalid-request', 'conflict'].includes(err.code)) throw err;
      const error = err.code === 'invalid-request' ? t('callReviews.error.outcome.length', { min: TEXT_LIMITS.min, max: number(TEXT_LIMITS.max, lang) }) : null;
      return renderReview(request, reply, staff, n, { outcome: outcome ?? '', error, problem: error ? null : t('callReviews.review.alreadyClosed') }, err.status);
    }
    return reply.redirect(`${PATH}/${closed.reviewNumber}?lang=${lang}&done=closed`, 303);
  });
}

/** The supervisor's section "Calls under Ombudsman review": the open reviews, newest first, each linked to its page. */
export function supervisorReviews(service: Pick<CallReviewService, 'list'>, agency: Pick<Agency, 'timeZone'>) {
  return async (staff: StaffActor, lang: Lang, traceId?: string) => {
    const list = await service.list(staff, { status: 'open', page: 1, pageSize: SUPERVISOR_SHOWN }, traceId);
    return {
      total: list.total, more: Math.max(0, list.total - list.items.length), listHref: `${PATH}?lang=${lang}`,
      items: list.items.map((i) => ({
        reviewNumber: i.reviewNumber, href: `${PATH}/${i.reviewNumber}?lang=${lang}`, reference: formatContactReference(i.contact.reference),
        callAt: longDateTime(i.contact.startedAt, lang, agency.timeZone), requested: longDate(i.createdAt.slice(0, 10), lang),
        agent: i.contact.agentId ? (i.contact.agentName ? `${i.contact.agentName} (${i.contact.agentId})` : i.contact.agentId) : null,
      })),
    };
  };
}
export type SupervisorReviews = ReturnType<typeof supervisorReviews>;
