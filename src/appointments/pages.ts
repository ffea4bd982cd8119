/**
 * Appointment pages (issue 9). Cookie session, CSRF on every form, no JavaScript needed.
 *   (panel on the call screen)             Tier 2, a verified case: free slots of the next two weeks, reason, Book
 *   GET  /desk/contacts/:id/appointment    the same panel as a page (where a refused booking comes back to)
 *   POST /desk/contacts/:id/appointments   book → 303 to the appointment
 *   GET  /appointments/:id                 the appointment: when, where, what to bring; how to reschedule; move, cancel
 *   POST /appointments/:id/reschedule      move it, answering an appointment-reschedule service request
 *   POST /appointments/:id/cancel          cancel it (Tier 2), with a reason
 *   GET  /appointments/:id/confirmation    the printable confirmation (Tier 2, office staff of its office), en/es
 * Every rule, check and audit entry is the service's; this file only asks it and shows the answers.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import type { StaffActor } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { requireStaff } from '../platform/http/auth.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import { idempotencyScope, keyProblem, requestHash } from '../platform/idempotency/key.ts';
import type { IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import { formatReferralNumber } from '../domain/referral-number.ts';
import type { ContactService } from '../contacts/service.ts';
import type { AppointmentService } from './service.ts';
import type { AppointmentView, SlotsView } from './views.ts';
import { bringList, reasonTitle, whenText } from './views.ts';
import { CANCEL_REASON } from './policy.ts';

export interface AppointmentPageDeps {
  appointments: AppointmentService;
  contacts: ContactService;
}

const BOOK = 'appointments/views/book.njk';
const APPOINTMENT = 'appointments/views/appointment.njk';
const CONFIRMATION = 'appointments/views/confirmation.njk';
const FIELD_MAX = 2000;

const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, FIELD_MAX) : Array.isArray(v) && typeof v[0] === 'string' ? v[0].slice(0, FIELD_MAX) : '');

/** What a refused form shows: which case, what was chosen, what is wrong (translated). */
export interface PanelState {
  receiptNumber: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  problem?: string;
}

/** Free slots grouped by the office's local day, as radio buttons: { label of the day, slots: { value, label, id } }. */
function slotDays(slots: SlotsView['slots'], timeZone: string, lang: Lang, prefix: string) {
  const days: Array<{ date: string; label: string; slots: Array<{ value: string; label: string; id: string }> }> = [];
  slots.forEach((s, i) => {
    const w = whenText(s.start, timeZone, lang);
    const date = s.start.slice(0, 10);
    let day = days[days.length - 1];
    if (!day || day.date !== date) days.push((day = { date, label: w.date, slots: [] }));
    day.slots.push({ value: s.start, label: `${w.time} ${w.zone}`, id: `${prefix}-${i}` });
  });
  return days;
}

/**
 * The call screen's "In-person appointment" panel (src/desk/pages.ts asks for it): for Tier 2 on an open call,
 * per verified case either its booked appointment or the free slots and a Book form. Null when the action is not
 * the agent's (Tier 1, no verified case).
 */
export function appointmentPanel(appointments: AppointmentService) {
  return async (staff: StaffActor, call: { id: string; cases: ReadonlyArray<{ receiptNumber: string; verified: boolean }> }, lang: Lang, state: PanelState | null = null) => {
    if (staff.user.role !== 'tier2') return null;
    const verified = call.cases.filter((c) => c.verified);
    if (!verified.length) return null;
    const t = translator(lang);
    const cases = await Promise.all(verified.map(async (c) => {
      const existing = await appointments.current(staff, c.receiptNumber);
      const view = await appointments.slots(staff, c.receiptNumber, {});
      const mine = state?.receiptNumber === c.receiptNumber ? state : null;
      return {
        receiptNumber: c.receiptNumber, officeName: view.office.name[lang], officeCode: view.office.code, address: view.office.address,
        servedBy: t(`appointments.servedBy.${view.servedBy}`), existing: existing ? present(existing, appointments, lang) : null,
        days: slotDays(view.slots, view.office.timeZone, lang, `slot-${c.receiptNumber}`),
        values: mine?.values ?? {}, errors: mine?.errors ?? {}, problem: mine?.problem ?? '',
      };
    }));
    return {
      callId: call.id, cases, formToken: randomUUID(),
      reasons: appointments.policy.reasons.map((r) => ({ value: r.code, label: r.title[lang] })),
    };
  };
}

function present(v: AppointmentView, appointments: AppointmentService, lang: Lang) {
  const w = whenText(v.start, v.office.timeZone, lang);
  return {
    id: v.id, confirmationNumber: v.confirmationNumber, receiptNumber: v.receiptNumber, date: w.date, time: w.time, zone: w.zone, start: v.start,
    officeName: v.office.name[lang], officeCode: v.office.code, address: v.office.address, status: v.status, contactId: v.contactId,
    reason: reasonTitle(appointments.policy, v.reason, lang), bring: bringList(appointments.policy, v.reason, lang),
    referral: v.rescheduleReferral ? formatReferralNumber(v.rescheduleReferral) : '', cancelReason: v.cancelReason ?? '',
    previous: v.previousStart ? (() => { const p = whenText(v.previousStart, v.office.timeZone, lang); return `${p.date}, ${p.time} ${p.zone}`; })() : '',
  };
}

export function appointmentPages(app: FastifyInstance, deps: AppointmentPageDeps): void {
  const { appointments, contacts } = deps;
  const panel = appointmentPanel(appointments);

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      if (request.method === 'GET') {
        await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
        return null;
      }
    }
    return requireStaff(request);
  }

  /** A creation with the form's token as its idempotency key (a double submit gets the first answer). */
  async function once(token: string, route: string, actor: Actor, body: unknown, run: (idem: IdempotentRequest) => Promise<IdempotentAnswer>): Promise<IdempotentAnswer> {
    const hash = requestHash({ method: 'POST', route, params: {}, body });
    const scope = idempotencyScope(actor, 'POST', route);
    const key = keyProblem(token) === null ? token : null;
    try {
      return await run({ key, scope, requestHash: hash });
    } catch (err) {
      if (err instanceof AppError && err.code === 'idempotency-key-reused') return run({ key: null, scope, requestHash: hash });
      throw err;
    }
  }

  /** A refusal of the service as the form's messages. */
  function refusal(err: unknown, t: Translate, lang: Lang): { errors: Record<string, string>; problem?: string; status: number } {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'invalid-request') {
      const errors: Record<string, string> = {};
      for (const e of (err.extensions.errors ?? []) as Array<{ field: string; code: string }>) {
        const key = `appointments.error.${e.field}.${e.code}`;
        errors[e.field] = t(key) !== key ? t(key) : t(`appointments.error.${e.field}.invalid`);
      }
      return { errors, status: 400 };
    }
    if (err.code === 'conflict') {
      const existing = err.extensions.existing as { confirmationNumber: string; start: string; office: string } | undefined;
      if (err.extensions.reason === 'already-booked' && existing) {
        return { errors: {}, problem: t('appointments.error.alreadyBooked', { confirmation: existing.confirmationNumber, when: longDateTime(existing.start, lang, appointments.policy.offices.get(existing.office)?.timeZone ?? 'UTC') }), status: 409 };
      }
      return { errors: {}, problem: t(err.extensions.reason === 'slot-full' ? 'appointments.error.slotFull' : 'appointments.error.conflict'), status: 409 };
    }
    if (err.code === 'forbidden') return { errors: {}, problem: t('appointments.error.forbidden'), status: 403 };
    throw err;
  }

  async function renderBook(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, id: string, state: PanelState | null, status = 200) {
    const lang = resolveLang(request, reply);
    const view = await contacts.get(staff, id);
    if (view.endedAt !== null) throw new AppError('not-found', 'This call has ended.');
    const appointment = await panel(staff, view, lang, state);
    if (!appointment) throw new AppError('forbidden', 'Booking an appointment needs Tier 2 and a case verified on this call.');
    const errs = state ? Object.entries(state.errors).map(([field, message]) => ({ href: `#${field === 'reason' ? `reason-${state.receiptNumber}` : `slot-${state.receiptNumber}-0`}`, message })) : [];
    return reply.page(BOOK, {
      titleKey: 'appointments.book.title', appointment, call: { id }, errs, problem: state?.problem ?? '',
      ...(state && (errs.length || state.problem) ? { hasError: true } : {}),
    }, status);
  }

  app.get('/desk/contacts/:id/appointment', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderBook(request, reply, staff, (request.params as { id: string }).id, null);
  });

  app.post('/desk/contacts/:id/appointments', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { receiptNumber: text(body.receiptNumber), slotStart: text(body.slotStart), reason: text(body.reason), formToken: text(body.formToken) };
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    // The call must be this agent's, open, and the case verified on it.
    const { row } = await contacts.actable(staff, id, { open: true });
    const view = await contacts.get(staff, id);
    const state: PanelState = { receiptNumber: values.receiptNumber, values, errors: {} };
    if (!view.cases.some((c) => c.verified && c.receiptNumber === values.receiptNumber)) {
      return renderBook(request, reply, staff, id, { ...state, problem: t('appointments.error.verifyFirst') }, 409);
    }
    if (!values.slotStart) state.errors.slotStart = t('appointments.error.slotStart.required');
    if (!values.reason) state.errors.reason = t('appointments.error.reason.required');
    if (Object.keys(state.errors).length) return renderBook(request, reply, staff, id, state, 400);
    const input = { receiptNumber: values.receiptNumber, slotStart: values.slotStart, reason: values.reason, contactId: id };
    try {
      const callLang: Lang = row.language === 'es' ? 'es' : 'en';
      const answer = await once(values.formToken, '/desk/contacts/:id/appointments', staff, input, (idem) => appointments.book(staff, input, idem, { lang: callLang, traceId: request.id }));
      const created = JSON.parse(answer.body) as { id: string };
      return await reply.redirect(`/appointments/${encodeURIComponent(created.id)}?booked=1&contact=${encodeURIComponent(id)}#outcome`, 303);
    } catch (err) {
      const r = refusal(err, t, lang);
      if (r.status === 403) await request.recordDenial('forbidden');
      return renderBook(request, reply, staff, id, { ...state, errors: r.errors, ...(r.problem ? { problem: r.problem } : {}) }, r.status);
    }
  });

  async function renderAppointment(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, id: string, form: { name: 'move' | 'cancel'; values: Record<string, string>; errors: Record<string, string>; problem?: string } | null, status = 200) {
    const lang = resolveLang(request, reply);
    const v = await appointments.get(staff, id, request.id);
    const q = request.query as Record<string, unknown>;
    const contact = /^[\w-]{1,100}$/.test(text(q.contact)) ? text(q.contact) : '';
    const mayMove = v.status === 'booked' && appointments.mayMove(staff, { office: v.office.code });
    const slots = mayMove ? slotDays(await appointments.freeSlotsFor(staff, id), v.office.timeZone, lang, 'move-slot') : [];
    const done = form ? '' : ['booked', 'moved', 'cancelled'].includes(text(q.done)) ? text(q.done) : text(q.booked) === '1' ? 'booked' : '';
    const a = present(v, appointments, lang);
    return reply.page(APPOINTMENT, {
      titleKey: 'appointments.page.title', ...(done ? { outcome: translator(lang)(`appointments.done.${done}`, { confirmation: a.confirmationNumber }) } : {}),
      a, done, contact: contact || v.contactId || '', mayMove, mayCancel: v.status === 'booked' && staff.user.role === 'tier2', slots,
      form: form ?? { name: '', values: {}, errors: {} }, limits: CANCEL_REASON,
      ...(form && (Object.keys(form.errors).length || form.problem) ? { hasError: true } : {}),
      ownCall: contact !== '' && staff.user.role !== 'office',
    }, status);
  }

  app.get('/appointments/:id', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderAppointment(request, reply, staff, (request.params as { id: string }).id, null);
  });

  app.post('/appointments/:id/reschedule', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { slotStart: text(body.slotStart), referralNumber: text(body.referralNumber) };
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const errors: Record<string, string> = {};
    if (!values.referralNumber.trim()) errors.referralNumber = t('appointments.error.referralNumber.required');
    if (!values.slotStart) errors.slotStart = t('appointments.error.slotStart.required');
    if (Object.keys(errors).length) return renderAppointment(request, reply, staff, id, { name: 'move', values, errors }, 400);
    try {
      await appointments.reschedule(staff, id, values, request.id);
      return await reply.redirect(`/appointments/${encodeURIComponent(id)}?done=moved#outcome`, 303);
    } catch (err) {
      const r = refusal(err, t, lang);
      if (r.status === 403) await request.recordDenial('forbidden');
      return renderAppointment(request, reply, staff, id, { name: 'move', values, errors: r.errors, ...(r.problem ? { problem: r.problem } : {}) }, r.status);
    }
  });

  app.post('/appointments/:id/cancel', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const { id } = request.params as { id: string };
    const values = { cancelReason: text((request.body as Record<string, unknown> | undefined)?.cancelReason) };
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    try {
      await appointments.cancel(staff, id, values.cancelReason, request.id);
      return await reply.redirect(`/appointments/${encodeURIComponent(id)}?done=cancelled#outcome`, 303);
    } catch (err) {
      const r = refusal(err, t, lang);
      if (r.status === 403) await request.recordDenial('forbidden');
      const errors = r.errors.reason ? { cancelReason: t('appointments.error.cancelReason', { min: CANCEL_REASON.min }) } : r.errors;
      return renderAppointment(request, reply, staff, id, { name: 'cancel', values, errors, ...(r.problem ? { problem: r.problem } : {}) }, r.status);
    }
  });

  app.get('/appointments/:id/confirmation', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const c = await appointments.confirmation(staff, (request.params as { id: string }).id, lang, request.id);
    return reply.page(CONFIRMATION, {
      titleKey: 'appointments.confirmation.title', c, printedOn: longDateTime(new Date().toISOString(), lang, c.view.office.timeZone),
    });
  });
}
