/**
 * The agent desk (CONTRACT.md sections 8–10, DOMAIN.md "The two tiers"): the pages Tier 1 and Tier 2 agents work
 * calls in, all day, with the keyboard. Cookie session, CSRF on every form, no JavaScript needed: each POST answers
 * 303 back to the call with ?done=…, or the page again with the message beside the field.
 *   GET  /desk                              start a call; my open calls; Tier 2: presence and the callback queue
 *   POST /desk/contacts                     open a call → 303 to its screen
 *   POST /desk/presence                     Tier 2: available for live transfers, or away
 *   GET  /desk/contacts/:id                 one screen per call (the call record once it ended)
 *   POST /desk/contacts/:id/{verify,notes,service-requests,escalate,reissue,end}
 * What a screen offers is exactly the call's `actions` (ContactService#actionsOn, from the capability matrix): Tier 1
 * sees what Case Status Online shows and never more; Tier 2 the case's timeline, read with the call as its purpose.
 * Every rule, check and audit entry is the services'; this file only asks them and shows the answers.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Actor } from '../platform/actor.ts';
import type { StaffActor } from '../platform/authorize.ts';
import type { Agency } from '../platform/reference.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { requireStaff } from '../platform/http/auth.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, longDateTime } from '../platform/i18n/format.ts';
import { idempotencyScope, keyProblem, requestHash } from '../platform/idempotency/key.ts';
import type { IdempotentAnswer, IdempotentRequest } from '../platform/idempotency/service.ts';
import { formatContactReference } from '../domain/contact-reference.ts';
import { formatReferralNumber, parseReferralNumber } from '../domain/referral-number.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import type { ContactService } from '../contacts/service.ts';
import type { ContactSummary, ContactView } from '../contacts/views.ts';
import { TEXT_LIMITS } from '../contacts/policy.ts';
import type { CallbackService } from '../callbacks/service.ts';
import type { CaseDetailsService } from '../case-details/service.ts';
import type { CaseView } from '../case-details/views.ts';
import { REISSUE_REASON_LIMITS } from '../case-details/policy.ts';
import type { CaseStatusService } from '../case-status/service.ts';
import type { CreateInput, ServiceRequestService } from '../service-requests/service.ts';
import { dateOfBirth } from '../service-requests/pages.ts';
import { FIELD_MAX, HISTORY_WITH_NOTES, IN_FLIGHT_WAIT_MS } from './policy.ts';

export interface DeskDeps {
  contacts: ContactService;
  callbacks: CallbackService;
  caseDetails: CaseDetailsService;
  caseStatus: CaseStatusService;
  serviceRequests: ServiceRequestService;
  agency: Pick<Agency, 'timeZone' | 'statuses' | 'receiptPrefixes' | 'offices'>;
  /** The scripts panel of the call screen (src/scripts/pages.ts), from ?sq= and ?slang=. */
  scriptsPanel?: (staff: StaffActor, query: Record<string, unknown>, view: ContactView) => Promise<unknown>;
  /** Tier 2's "In-person appointment" panel of an open call (src/appointments/pages.ts), or null. */
  appointmentPanel?: (staff: StaffActor, call: ContactView, lang: Lang) => Promise<unknown>;
}

const START = 'desk/views/start.njk';
const CALL = 'desk/views/call.njk';
const AGENT_ROLES = ['tier1', 'tier2'] as const;

type FormName = 'start' | 'verify' | 'note' | 'sr' | 'escalate' | 'reissue' | 'end';

/** A form's state after a refused POST: which form, what was typed, what is wrong (translated). */
interface FormState {
  form: FormName;
  values: Record<string, string>;
  errors: Record<string, string>;
  /** A refusal that is not about one field (403, 409, a rule's advice), translated. */
  problem?: string;
  /** The notice a re-issue form was for. */
  noticeId?: string;
}

/** A refusal the page shows beside its fields: thrown by an action, caught by `action()`. */
class FormProblem extends Error {
  constructor(readonly errors: Record<string, string>, readonly problem?: string, readonly status = 400) {
    super('form problem');
  }
}

const FORM_FIELDS: Record<FormName, readonly string[]> = {
  start: ['callerPhone', 'language', 'formToken'],
  verify: ['receiptNumber', 'name', 'dobMonth', 'dobDay', 'dobYear'],
  note: ['text'],
  sr: ['srReceipt', 'srType', 'srDetails', 'srUrgent', 'srCriterion', 'srStreet', 'srStreet2', 'srCity', 'srState', 'srZip', 'formToken'],
  escalate: ['reason', 'urgency', 'callbackPhone', 'callbackWindow', 'notifyChannel', 'notifyEmail', 'formToken'],
  reissue: ['receiptNumber', 'noticeId', 'reissueReason', 'formToken'],
  end: ['disposition', 'endNotes', 'sendChannel', 'sendTo'],
};

/** A service's field name → the page's field, per form. */
const FIELD_OF: Partial<Record<FormName, Record<string, string>>> = {
  start: { callerPhone: 'callerPhone', language: 'language' },
  verify: { receiptNumber: 'receiptNumber', name: 'name', dateOfBirth: 'dobMonth' },
  note: { text: 'text' },
  sr: { receiptNumber: 'srReceipt', type: 'srType', details: 'srDetails', urgency: 'srUrgent', expediteCriterion: 'srCriterion', newAddress: 'srStreet' },
  escalate: { reason: 'reason', urgency: 'urgency', 'callback.phone': 'callbackPhone', 'callback.window': 'callbackWindow', 'notify.channel': 'notifyChannel' },
  reissue: { reason: 'reissueReason', noticeId: 'reissueReason' },
  end: { disposition: 'disposition', notes: 'endNotes', 'sendRecord.to': 'sendTo', 'sendRecord.channel': 'sendChannel' },
};

/** The call action each form of the call screen needs (ContactView#actions). */
const NEEDS: Record<Exclude<FormName, 'start'>, string> = {
  verify: 'verify', note: 'add-note', sr: 'create-service-request', escalate: 'escalate', reissue: 'request-notice-reissue', end: 'end',
};

/** The outcomes a POST redirects with (?done=…). */
const DONE = new Set(['started', 'verified', 'verify-failed', 'note', 'sr', 'escalated', 'reissue', 'ended']);

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const langOf = (v: string): Lang => (v === 'es' ? 'es' : 'en');

/** A phone number the way an agent reads it out: "(202) 555-0143" at home, "+52 55 1234 5678" abroad. */
export function readablePhone(e164: string | null): string {
  if (!e164) return '—';
  const p = parsePhoneNumberFromString(e164);
  if (!p) return e164;
  return p.country === 'US' || p.countryCallingCode === '1' ? p.formatNational() : p.formatInternational();
}

export function deskPages(app: FastifyInstance, deps: DeskDeps): void {
  const { contacts, callbacks, caseDetails, caseStatus, serviceRequests: sr } = deps;
  const zone = deps.agency.timeZone;
  const statusTitle = (code: string, lang: Lang) => deps.agency.statuses.find((s) => s.code === code)?.title[lang] ?? code;
  const officeName = (code: string, lang: Lang) => deps.agency.offices.find((o) => o.code === code)?.name[lang] ?? code;
  const has = (t: Translate, key: string) => t(key) !== key;
  const words = (t: Translate, key: string, fallback: string) => (has(t, key) ? t(key) : fallback);
  const at = (iso: string, lang: Lang) => longDateTime(iso, lang, zone);

  /** Signed-in Tier 1 or Tier 2 staff; anyone signed out goes to sign in and comes back (a GET), others get 403. */
  async function agent(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      if (request.method === 'GET') {
        await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
        return null;
      }
      return requireStaff(request);
    }
    return requireStaff(request, [...AGENT_ROLES]);
  }

  /**
   * Runs a creation with the form's token as its idempotency key: a double submit gets the first answer; a key
   * reused with other answers (the form sent, changed, sent again) makes a new one; a first submit still running
   * is waited for a moment.
   */
  async function once(token: string, route: string, actor: Actor, body: unknown, run: (idem: IdempotentRequest) => Promise<IdempotentAnswer>): Promise<IdempotentAnswer> {
    const hash = requestHash({ method: 'POST', route, params: {}, body });
    const scope = idempotencyScope(actor, 'POST', route);
    let key: string | null = keyProblem(token) === null ? token : null;
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (;;) {
      try {
        return await run({ key, scope, requestHash: hash });
      } catch (err) {
        if (!(err instanceof AppError) || key === null) throw err;
        if (err.code === 'idempotency-key-reused') key = null;
        else if (err.code === 'conflict' && err.extensions.inFlight === true && Date.now() < deadline) await sleep(100);
        else throw err;
      }
    }
  }

  // ── the start page ────────────────────────────────────────────────────────────────────────────────────────

  async function renderStart(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, state: FormState | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const open = await contacts.openCallsOf(staff);
    const tier2 = staff.user.role === 'tier2';
    const presence = tier2 ? await callbacks.presenceOf(staff) : null;

    const done = text((request.query as Record<string, unknown>).done);
    const outcome = state === null && (done === 'available' || done === 'away') ? t(`desk.start.presenceDone.${done}`) : null;
    return reply.page(START, {
      titleKey: 'desk.start.title', ...(outcome ? { outcome } : {}), doneText: outcome,
      ...(state && (Object.keys(state.errors).length || state.problem) ? { hasError: true } : {}),
      calls: open.map((c) => summaryRow(c, lang, t)),
      tier2, presence: presence?.status === 'available' || presence?.status === 'busy' ? presence.status : 'away',
      state: state ?? { form: null, values: { callerPhone: '', language: 'en' }, errors: {} },
      formToken: randomUUID(),
    }, status);
  }

  const summaryRow = (c: ContactSummary, lang: Lang, t: Translate) => ({
    id: c.id, reference: formatContactReference(c.reference), phone: readablePhone(c.callerPhone), language: t(`desk.language.${langOf(c.language)}`),
    started: at(c.startedAt, lang), startedAt: c.startedAt, ended: c.endedAt ? at(c.endedAt, lang) : '', agentId: c.agentId ?? '—',
    disposition: c.disposition ? words(t, `desk.disposition.${c.disposition}`, c.disposition) : '',
    referrals: c.serviceRequests.map(formatReferralNumber), source: c.source,
  });

  app.get('/desk', async (request, reply) => {
    const staff = await agent(request, reply);
    if (!staff) return reply;
    return renderStart(request, reply, staff, null);
  });

  app.post('/desk/contacts', async (request, reply) => {
    const staff = await agent(request, reply);
    if (!staff) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(FORM_FIELDS.start.map((f) => [f, text(body[f]).slice(0, 200)]));
    const input = { channel: 'phone', callerPhone: values.callerPhone!, language: values.language! };
    try {
      const answer = await once(values.formToken!, '/desk/contacts', staff, input, (idem) => contacts.open(staff, input, idem, request.id));
      const opened = JSON.parse(answer.body) as { id: string };
      return reply.redirect(`/desk/contacts/${opened.id}?done=started`, 303);
    } catch (err) {
      const state = await refusal(request, reply, 'start', values, err);
      return renderStart(request, reply, staff, state, state.status);
    }
  });

  app.post('/desk/presence', async (request, reply) => {
    const staff = await agent(request, reply);
    if (!staff) return reply;
    const status = text((request.body as Record<string, unknown> | undefined)?.status);
    await callbacks.setPresence(staff, status, request.id);
    return reply.redirect(`/desk?done=${status}`, 303);
  });

  // ── one call ──────────────────────────────────────────────────────────────────────────────────────────────

  async function renderCall(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, id: string, state: FormState | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const view = await contacts.get(staff, id);
    const { row } = await contacts.actable(staff, id);
    const actions = new Set(view.actions);
    const ended = view.endedAt !== null;
    const q = request.query as Record<string, unknown>;
    const done = state === null && DONE.has(text(q.done)) ? text(q.done) : null;

    // The caller's earlier calls, newest first; the latest few with their notes, so nobody asks again.
    const history = await contacts.historyFor(staff, row);
    const earlier = await Promise.all(history.map(async (h, i) => ({
      ...summaryRow(h, lang, t),
      notes: i < HISTORY_WITH_NOTES ? [...h.notes, ...(h.endNotes ? [h.endNotes] : [])] : [],
    })));

    // The case panel: Tier 1 what Case Status Online shows; Tier 2 the whole case of a verified caller.
    const cases = ended ? [] : await Promise.all(view.cases.map(async (c) => {
      if (actions.has('view-case-details')) {
        if (!c.verified) return { receiptNumber: c.receiptNumber, verified: false, details: null, status: null };
        const k = await caseDetails.getCase(staff, c.receiptNumber, { purpose: view.id, traceId: request.id });
        return { receiptNumber: c.receiptNumber, verified: true, details: presentCase(k, lang, t, actions.has('request-notice-reissue')), status: null };
      }
      if (actions.has('view-case-status')) {
        const found = await caseStatus.find(c.receiptNumber);
        return {
          receiptNumber: c.receiptNumber, verified: c.verified, details: null,
          status: found ? { title: found.current.title[lang], description: found.current.description[lang], date: longDate(found.current.date, lang) } : { title: '', description: '', date: '' },
        };
      }
      return { receiptNumber: c.receiptNumber, verified: c.verified, details: null, status: null };
    }));

    const verifiedReceipts = view.cases.filter((c) => c.verified).map((c) => c.receiptNumber);
    const transfers = new Map(view.events.filter((e) => e.kind === 'transferred').map((e) => [String(e.detail?.escalationId ?? ''), String(e.detail?.toAgentId ?? '')]));
    const escalations = view.escalations.map((e) => ({
      mode: e.mode, urgency: t(`desk.escalate.urgency.${e.urgency === 'urgent' ? 'urgent' : 'regular'}`),
      toAgentId: transfers.get(e.id) ?? '', due: at(e.dueAt, lang), dueAt: e.dueAt, status: e.status,
    }));
    const callbacksDue = escalations.filter((e) => e.mode === 'callback');

    let doneText: string | null = null;
    if (done === 'verify-failed') {
      const left = Number(text(q.left));
      doneText = Number.isInteger(left) && left > 0
        ? t('desk.done.verify-failed', { left })
        : t('desk.done.verify-locked', { hours: contacts.policy.verification.lockHours });
    } else if (done === 'sr') {
      const ref = parseReferralNumber(text(q.referral));
      doneText = ref.ok && view.serviceRequests.includes(ref.value) ? t('desk.done.sr', { referral: formatReferralNumber(ref.value) }) : null;
    } else if (done === 'escalated') {
      const last = escalations[escalations.length - 1];
      doneText = !last ? null : last.mode === 'transfer' ? t('desk.done.transferred', { agentId: last.toAgentId }) : t('desk.done.callback', { due: last.due });
    } else if (done) {
      doneText = t(`desk.done.${done}`);
    }

    const kinds = actions.has('create-service-request') ? sr.kindsFor(staff.user.role === 'tier2' ? 'tier2' : 'tier1') : [];
    const criteria = [...new Set(kinds.flatMap((k) => k.fields.expediteCriterion?.oneOf ?? []))];
    const events = view.events.map((e) => ({ at: at(e.at, lang), iso: e.at, kind: e.kind, text: eventText(e, t) }));
    const notes = view.events.filter((e) => e.kind === 'note').map((e) => ({ at: at(e.at, lang), iso: e.at, text: String(e.detail?.text ?? '') }));
    const values = state?.values ?? {};
    const v = (form: FormName, field: string, fallback = '') => (state?.form === form ? values[field] ?? fallback : fallback);

    // Where the keyboard starts: a result the agent must read out takes focus (focus.js); else the next field to fill.
    const mustRead = done === 'sr' || done === 'escalated' || done === 'verify-failed';
    const autofocus = state || ended || mustRead ? '' : verifiedReceipts.length ? 'text' : 'receiptNumber';

    return reply.page(CALL, {
      doneFocus: mustRead || ended, doneWarn: done === 'verify-failed', autofocus,
      titleKey: ended ? 'desk.call.titleEnded' : 'desk.call.title', ...(doneText ? { outcome: doneText } : {}), doneText: doneText ?? '',
      ...(state && (Object.keys(state.errors).length || state.problem) ? { hasError: true } : {}),
      call: {
        id: view.id, reference: formatContactReference(view.reference), phone: readablePhone(view.callerPhone), phoneE164: view.callerPhone ?? '',
        language: t(`desk.language.${langOf(view.language)}`), agentId: view.agentId ?? '—', started: at(view.startedAt, lang), startedAt: view.startedAt,
        ended: view.endedAt ? at(view.endedAt, lang) : '', endedAt: view.endedAt ?? '', source: view.source,
        disposition: view.disposition ? words(t, `desk.disposition.${view.disposition}`, view.disposition) : '',
        endNotes: view.notes ?? '', referrals: view.serviceRequests.map(formatReferralNumber),
      },
      ended, can: Object.fromEntries([...actions].map((a) => [a, true])), role: staff.user.role,
      appointment: !ended && deps.appointmentPanel ? await deps.appointmentPanel(staff, view, lang) : null,
      scriptsPanel: deps.scriptsPanel ? await deps.scriptsPanel(staff, q, view) : null,
      verifiedReceipts, linked: view.cases, cases, escalations, callbacksDue, events, notes, earlier,
      kinds: kinds.map((k) => ({ value: k.type, label: k.title[lang] })),
      criteria: criteria.map((c) => ({ value: c, label: words(t, `desk.criterion.${c}`, c) })),
      dispositions: contacts.policy.dispositions.map((d) => ({ value: d, label: words(t, `desk.disposition.${d}`, d) })),
      limits: {
        reason: TEXT_LIMITS.reason.min, note: TEXT_LIMITS.note.max, reissue: REISSUE_REASON_LIMITS.minChars,
        urgentHours: contacts.policy.callbacks.urgentHours, regularDays: contacts.policy.callbacks.regularBusinessDays,
      },
      state: state ?? { form: null, values: {}, errors: {} }, problem: state?.problem ?? '', problemForm: state?.problem ? state.form : '',
      reissueNotice: state?.form === 'reissue' ? state.noticeId ?? '' : '',
      f: {
        receiptNumber: v('verify', 'receiptNumber', verifiedReceipts.length ? '' : ''), name: v('verify', 'name'), dobMonth: v('verify', 'dobMonth'), dobDay: v('verify', 'dobDay'), dobYear: v('verify', 'dobYear'),
        text: v('note', 'text'),
        srReceipt: v('sr', 'srReceipt', verifiedReceipts[verifiedReceipts.length - 1] ?? ''), srType: v('sr', 'srType'), srDetails: v('sr', 'srDetails'), srUrgent: v('sr', 'srUrgent'),
        srCriterion: v('sr', 'srCriterion'), srStreet: v('sr', 'srStreet'), srStreet2: v('sr', 'srStreet2'), srCity: v('sr', 'srCity'), srState: v('sr', 'srState'), srZip: v('sr', 'srZip'),
        reason: v('escalate', 'reason'), urgency: v('escalate', 'urgency'), callbackPhone: v('escalate', 'callbackPhone', readablePhone(view.callerPhone)),
        callbackWindow: v('escalate', 'callbackWindow'), notifyChannel: v('escalate', 'notifyChannel', 'sms'), notifyEmail: v('escalate', 'notifyEmail'),
        reissueReason: v('reissue', 'reissueReason'),
        disposition: v('end', 'disposition'), endNotes: v('end', 'endNotes'), sendChannel: v('end', 'sendChannel', 'none'), sendTo: v('end', 'sendTo'),
      },
      formToken: randomUUID(),
    }, status);
  }

  /** The whole case as Tier 2 reads it to the caller: facts, the timeline (newest first), the notices. */
  function presentCase(k: CaseView, lang: Lang, t: Translate, mayReissue: boolean) {
    return {
      receiptNumber: k.receiptNumber, formType: k.formType, office: `${officeName(k.office, lang)} (${k.office})`, received: longDate(k.receivedDate, lang),
      status: statusTitle(k.status, lang), statusDate: longDate(k.statusDate, lang), applicant: k.applicant.name, dateOfBirth: longDate(k.applicant.dateOfBirth, lang),
      aNumber: k.applicant.aNumber ?? '—', military: k.military,
      representative: k.representative?.name ? `${k.representative.name}${k.representative.g28OnFile ? ` (${t('desk.case.g28')})` : ''}` : '',
      timeline: k.timeline.map((e) => ({ date: longDate(e.date, lang), iso: e.date, kind: e.kind, text: timelineText(e, lang, t) })),
      notices: k.notices.map((n) => ({ id: n.id, type: words(t, `desk.notice.${n.type}`, n.type), date: longDate(n.date, lang), iso: n.date })),
      mayReissue: mayReissue && k.actions.includes('request-notice-reissue'),
    };
  }

  function timelineText(e: CaseView['timeline'][number], lang: Lang, t: Translate): string {
    const d = e.detail;
    switch (e.kind) {
      case 'status': return statusTitle(e.ref, lang);
      case 'notice': return t('desk.timeline.notice', { type: words(t, `desk.notice.${String(d.type)}`, String(d.type)) });
      case 'rfe': return t('desk.timeline.rfe');
      case 'service-request': return t('desk.timeline.serviceRequest', {
        referral: formatReferralNumber(e.ref), kind: sr.rules.kind(String(d.type))?.title[lang] ?? String(d.type), status: words(t, `desk.srStatus.${String(d.status)}`, String(d.status)),
      });
      case 'notice-reissue-request': return t('desk.timeline.reissue', { notice: String(d.noticeId), status: words(t, `desk.reissueStatus.${String(d.status)}`, String(d.status)) });
      case 'contact': return t('desk.timeline.contact', { reference: /^\d{12}$/.test(e.ref) ? formatContactReference(e.ref) : e.ref, agentId: String(d.agentId ?? '—') });
      case 'transfer': return t('desk.timeline.transfer');
      case 'callback': return t('desk.timeline.callback', { due: at(String(d.dueAt), lang), status: words(t, `desk.callbackStatus.${String(d.status)}`, String(d.status)) });
      case 'appointment': return t(`appointments.timeline.${d.status === 'cancelled' ? 'cancelled' : 'booked'}`, { confirmation: e.ref, office: officeName(String(d.office), lang), when: longDateTime(String(d.start), lang, String(d.timeZone)) });
      default: return e.kind;
    }
  }

  function eventText(e: ContactView['events'][number], t: Translate): string {
    const d = e.detail ?? {};
    const vars: Record<string, string> = {};
    for (const [k, val] of Object.entries(d)) if (typeof val === 'string' || typeof val === 'number') vars[k] = String(val);
    if (typeof d.disposition === 'string') vars.disposition = words(t, `desk.disposition.${d.disposition}`, d.disposition);
    if (typeof d.channel === 'string') vars.channel = t(`desk.channel.${d.channel === 'email' ? 'email' : 'sms'}`);
    if (typeof d.outcome === 'string') vars.outcome = words(t, `desk.attemptOutcome.${d.outcome}`, d.outcome);
    if (e.kind === 'note') return t('desk.event.note');
    return words(t, `desk.event.${e.kind}`, e.kind).replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
  }

  app.get('/desk/contacts/:id', async (request, reply) => {
    const staff = await agent(request, reply);
    if (!staff) return reply;
    return renderCall(request, reply, staff, (request.params as { id: string }).id, null);
  });

  /** A refused POST as the form's state: field errors beside their fields, or one problem for the form. */
  async function refusal(request: FastifyRequest, reply: FastifyReply, form: FormName, values: Record<string, string>, err: unknown): Promise<FormState & { status: number }> {
    const t = translator(resolveLang(request, reply));
    const state: FormState & { status: number } = { form, values, errors: {}, status: 400 };
    const fieldText = (field: string, code: string) => {
      const specific = `desk.error.${field}.${code}`;
      return has(t, specific) ? t(specific, { min: TEXT_LIMITS.reason.min, reissueMin: REISSUE_REASON_LIMITS.minChars }) : t(`desk.error.${field}.invalid`, { min: TEXT_LIMITS.reason.min, reissueMin: REISSUE_REASON_LIMITS.minChars });
    };
    if (err instanceof FormProblem) {
      for (const [field, code] of Object.entries(err.errors)) state.errors[field] = fieldText(field, code);
      if (err.problem) state.problem = err.problem;
      state.status = err.status;
      return state;
    }
    if (!(err instanceof AppError)) throw err;
    state.status = err.status;
    switch (err.code) {
      case 'invalid-request': {
        const list = (err.extensions.errors ?? []) as Array<{ field: string; code: string }>;
        for (const e of list) {
          let field = FIELD_OF[form]?.[e.field] ?? (e.field.startsWith('newAddress') ? 'srStreet' : undefined);
          if (form === 'escalate' && e.field === 'notify.to') field = values.notifyChannel === 'email' ? 'notifyEmail' : 'callbackPhone';
          if (!field || state.errors[field]) continue;
          state.errors[field] = fieldText(field, e.code);
        }
        if (!Object.keys(state.errors).length) state.problem = t('desk.error.invalid');
        return state;
      }
      case 'invalid-receipt-number': {
        state.errors[form === 'sr' ? 'srReceipt' : 'receiptNumber'] = t('desk.error.receiptNumber.invalid');
        return state;
      }
      case 'verification-locked': {
        await request.recordDenial(err.code);
        state.problem = t('desk.error.locked', { until: at(String(err.extensions.lockedUntil), resolveLang(request, reply)) });
        return state;
      }
      case 'forbidden': {
        await request.recordDenial(err.code);
        state.problem = t('desk.error.forbidden');
        return state;
      }
      case 'conflict': {
        state.problem = t(err.extensions.inFlight === true ? 'desk.error.stillSending' : form === 'reissue' ? 'desk.error.reissueOpen' : 'desk.error.conflict');
        return state;
      }
      case 'duplicate-service-request': {
        const e = err.extensions.existing as { referralNumber: string; dueDate: string };
        state.problem = t('desk.error.duplicateRequest', { referral: formatReferralNumber(e.referralNumber), due: longDate(e.dueDate, resolveLang(request, reply)) });
        return state;
      }
      case 'too-early': {
        state.problem = t('desk.error.tooEarly', { date: longDate(String(err.extensions.earliestInquiryDate), resolveLang(request, reply)) });
        return state;
      }
      case 'unprocessable': {
        const advice = err.extensions.advice as Record<Lang, string> | undefined;
        state.problem = advice?.[resolveLang(request, reply)] ?? t('desk.error.refused');
        return state;
      }
      default: throw err;
    }
  }

  /**
   * One POST of the call screen: runs `act`; on success 303 back to the call with what happened (?done=…); a
   * refusal shows the call again with what was typed and the message beside the field (or above the form).
   * A call that is not this agent's is 404, like no call at all (the error page).
   */
  function action(form: Exclude<FormName, 'start'>, act: (staff: StaffActor, id: string, values: Record<string, string>, request: FastifyRequest, lang: Lang) => Promise<string>) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const staff = await agent(request, reply);
      if (!staff) return reply;
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(FORM_FIELDS[form].map((f) => [f, text(body[f]).slice(0, FIELD_MAX)]));
      // The action must be one of the call's actions now (the screen showed its form only then).
      const { row } = await contacts.actable(staff, id);
      try {
        if (!contacts.actionsOn(staff, row).includes(NEEDS[form])) {
          throw row.ended_at !== null ? new FormProblem({}, translator(resolveLang(request, reply))('desk.error.ended'), 409)
            : new AppError('forbidden', `"${NEEDS[form]}" is not an action of yours on this call.`);
        }
        const query = await act(staff, id, values, request, resolveLang(request, reply));
        // A result to read out is the fragment (the browser focuses it); otherwise the page's autofocus field leads.
        const fragment = form === 'end' ? '#record' : /^done=(sr|escalated|verify-failed)\b/.test(query) ? '#outcome' : '';
        return await reply.redirect(`/desk/contacts/${encodeURIComponent(id)}?${query}${fragment}`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'not-found' && !(form === 'sr' || form === 'reissue')) throw err;
        const state = await refusal(request, reply, form, values, err);
        if (form === 'reissue') state.noticeId = values.noticeId ?? '';
        return renderCall(request, reply, staff, id, state, state.status);
      }
    };
  }

  app.post('/desk/contacts/:id/verify', action('verify', async (staff, id, v, request, _lang) => {
    const errors: Record<string, string> = {};
    if (!v.receiptNumber!.trim()) errors.receiptNumber = 'required';
    else if (!parseReceiptNumber(v.receiptNumber!, deps.agency.receiptPrefixes)) errors.receiptNumber = 'invalid';
    if (!v.name!.trim()) errors.name = 'required';
    const dob = dateOfBirth(v.dobMonth!, v.dobDay!, v.dobYear!, new Date().toISOString().slice(0, 10));
    if (!dob.ok) errors.dobMonth = dob.code;
    if (Object.keys(errors).length || !dob.ok) throw new FormProblem(errors);
    const r = await contacts.verify(staff, id, { receiptNumber: v.receiptNumber!, name: v.name!.trim(), dateOfBirth: dob.value }, request.id);
    return r.verified ? 'done=verified' : `done=verify-failed&left=${r.failuresLeft ?? 0}`;
  }));

  app.post('/desk/contacts/:id/notes', action('note', async (staff, id, v, request, _lang) => {
    if (!v.text!.trim()) throw new FormProblem({ text: 'required' });
    await contacts.addNote(staff, id, v.text!, request.id);
    return 'done=note';
  }));

  app.post('/desk/contacts/:id/service-requests', action('sr', async (staff, id, v, request, lang) => {
    const kind = sr.kindsFor(staff.user.role === 'tier2' ? 'tier2' : 'tier1').find((k) => k.type === v.srType);
    const errors: Record<string, string> = {};
    const receipt = parseReceiptNumber(v.srReceipt!, deps.agency.receiptPrefixes)?.value ?? null;
    if (!v.srReceipt!.trim()) errors.srReceipt = 'required';
    else if (!receipt) errors.srReceipt = 'invalid';
    if (!kind) errors.srType = 'required';
    if (!v.srDetails!.trim()) errors.srDetails = 'required';
    if (kind && 'expediteCriterion' in kind.fields && !v.srCriterion) errors.srCriterion = 'required';
    if (Object.keys(errors).length || !kind || !receipt) throw new FormProblem(errors);
    const input: CreateInput = { receiptNumber: receipt, type: kind.type, contactId: id, details: v.srDetails!.trim() };
    if (kind.urgentPriority !== undefined) input.urgency = v.srUrgent === 'urgent' ? 'urgent' : 'regular';
    if ('expediteCriterion' in kind.fields) input.expediteCriterion = v.srCriterion;
    if ('newAddress' in kind.fields && [v.srStreet, v.srCity, v.srState, v.srZip].some((x) => x!.trim())) {
      input.newAddress = { street: v.srStreet!.trim(), ...(v.srStreet2!.trim() ? { street2: v.srStreet2!.trim() } : {}), city: v.srCity!.trim(), state: v.srState!.trim().toUpperCase(), zip: v.srZip!.trim() };
    }
    // The call must be this agent's and still open before anything is filed for it.
    await contacts.actable(staff, id, { open: true });
    let answer: IdempotentAnswer;
    try {
      answer = await once(v.formToken!, '/desk/contacts/:id/service-requests', staff, input, (idem) => sr.create(staff, input, idem, { lang, traceId: request.id }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'not-found') throw new FormProblem({ srReceipt: 'not-found' }, undefined, 404);
      throw err;
    }
    const created = JSON.parse(answer.body) as { referralNumber: string };
    return `done=sr&referral=${created.referralNumber}`;
  }));

  app.post('/desk/contacts/:id/escalate', action('escalate', async (staff, id, v, request, _lang) => {
    const errors: Record<string, string> = {};
    if (v.urgency !== 'urgent' && v.urgency !== 'regular') errors.urgency = 'required';
    if (v.notifyChannel === 'email' && !v.notifyEmail!.trim()) errors.notifyEmail = 'required';
    if (v.reason!.trim().length < TEXT_LIMITS.reason.min) errors.reason = v.reason!.trim() ? 'length' : 'required';
    if (Object.keys(errors).length) throw new FormProblem(errors);
    const input = {
      reason: v.reason!.trim(), urgency: v.urgency!,
      callback: { ...(v.callbackPhone!.trim() ? { phone: v.callbackPhone!.trim() } : {}), ...(v.callbackWindow!.trim() ? { window: v.callbackWindow!.trim() } : {}) },
      notify: v.notifyChannel === 'email' ? { channel: 'email' as const, to: v.notifyEmail!.trim() } : { channel: 'sms' as const },
    };
    await once(v.formToken!, `/desk/contacts/${id}/escalate`, staff, input, (idem) => callbacks.escalate(staff, id, input, idem, request.id));
    return 'done=escalated';
  }));

  app.post('/desk/contacts/:id/reissue', action('reissue', async (staff, id, v, request, lang) => {
    if (v.reissueReason!.trim().length < REISSUE_REASON_LIMITS.minChars) throw new FormProblem({ reissueReason: v.reissueReason!.trim() ? 'too-short' : 'required' });
    // Only for a case verified on this call, by the agent of this call.
    const view = await contacts.get(staff, id);
    if (!view.cases.some((c) => c.verified && c.receiptNumber === v.receiptNumber)) throw new FormProblem({}, translator(lang)('desk.error.verifyFirst'), 409);
    const body = { noticeId: v.noticeId!, reason: v.reissueReason!.trim(), contactId: id };
    await once(v.formToken!, `/desk/contacts/${id}/reissue`, staff, { receipt: v.receiptNumber, ...body }, (idem) =>
      caseDetails.requestReissue(staff, v.receiptNumber!, body, idem, { purpose: id, traceId: request.id }));
    return 'done=reissue';
  }));

  app.post('/desk/contacts/:id/end', action('end', async (staff, id, v, request, _lang) => {
    const errors: Record<string, string> = {};
    if (!contacts.policy.dispositions.includes(v.disposition!)) errors.disposition = 'required';
    if (v.sendChannel === 'email' && !v.sendTo!.trim()) errors.sendTo = 'required';
    if (Object.keys(errors).length) throw new FormProblem(errors);
    let sendRecord: { channel: 'sms' | 'email'; to: string } | undefined;
    if (v.sendChannel === 'sms') {
      const view = await contacts.get(staff, id);
      sendRecord = { channel: 'sms', to: v.sendTo!.trim() || view.callerPhone || '' };
    } else if (v.sendChannel === 'email') sendRecord = { channel: 'email', to: v.sendTo!.trim() };
    await contacts.end(staff, id, { disposition: v.disposition!, notes: v.endNotes, sendRecord }, request.id);
    return 'done=ended';
  }));
}
