/**
 * The Tier 2 desk: the callback queue (soonest due first, overdue ones marked), one callback with the whole story
 * before dialling and a button per attempt outcome, and the case timeline with a re-issue request per notice.
 * Cookie session, CSRF on every form, POST then redirect, no JavaScript needed. The queue's list also updates live
 * (GET /desk/callbacks/events, server-sent events through src/platform/http/live-stream.ts and live.js, the same
 * mechanics as the supervisor's view); a reload shows the same. Every rule and every refusal comes
 * from CallbackService and CaseDetailsService; a page only shows the actions they list.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Agency } from '../platform/reference.ts';
import type { Actor } from '../platform/actor.ts';
import type { CallbackService, CallbackDetail, CallbackItem, CallbackStatus } from '../callbacks/service.ts';
import { OUTCOMES } from '../callbacks/service.ts';
import type { CaseDetailsService } from '../case-details/service.ts';
import type { CaseView, TimelineEntry } from '../case-details/views.ts';
import type { StaffService } from '../staff/service.ts';
import type { ContactEventView, ContactSummary } from '../contacts/views.ts';
import type { ContactCenterPolicy } from '../contacts/policy.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { Views } from '../platform/views/views.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { liveStreams } from '../platform/http/live-stream.ts';
import { requireStaff } from '../platform/http/auth.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, number } from '../platform/i18n/format.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { formatContactReference } from '../domain/contact-reference.ts';
import { formatReferralNumber } from '../domain/referral-number.ts';
import { REISSUE_REASON_LIMITS } from '../case-details/policy.ts';
import { dueText, instantText, phoneText } from './presenter.ts';
import { CALLBACK_PAGE_SIZE } from './policy.ts';

export interface Tier2DeskDeps {
  callbacks: CallbackService;
  caseDetails: CaseDetailsService;
  agency: Pick<Agency, 'statuses' | 'timeZone' | 'offices' | 'receiptPrefixes' | 'contactCenterPhone'>;
  /** The contact center's policy: how many failed attempts close a callback, the live-help hours a missed caller is told. */
  policy: Pick<ContactCenterPolicy, 'callbacks' | 'liveHelp'>;
  /** checkToken/checkSession: the queue's stream reads the session without extending it. */
  staff: Pick<StaffService, 'namesOf' | 'checkToken' | 'checkSession'>;
  /** Renders the queue's live part for its stream (GET /desk/callbacks/events). */
  views: Views;
  /** Streams read again soon after mail is queued in this process (a callback promised or missed). */
  outbox?: Pick<OutboxService, 'onEnqueue'>;
  clock?: () => Date;
}

type StaffActor = Extract<Actor, { kind: 'staff' }>;

/** The queue's tabs: '' is "to call" (due and overdue together, the service's default). */
const TABS = ['', 'due', 'overdue', 'missed', 'done'] as const;
const QUEUE_PAGE = 'tier2-desk/views/queue.njk';
const QUEUE_LIVE = 'tier2-desk/views/_queue-live.njk';
const isStatus = (s: unknown): s is CallbackStatus => s === 'due' || s === 'overdue' || s === 'missed' || s === 'done';
const pageNumber = (s: unknown): number => (typeof s === 'string' && /^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : 1);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A purpose is a contact or callback id: short, plain characters (it goes into the audit trail and links). */
const purposeOf = (v: unknown): string | null => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null);
/** Timeline kinds and contact events the pages know how to say; others are shown by their code. */
const TIMELINE_KINDS = new Set(['status', 'notice', 'rfe', 'service-request', 'notice-reissue-request', 'contact', 'callback', 'transfer', 'appointment']);
const EVENT_KINDS = new Set(['opened', 'verified', 'verification-failed', 'case-linked', 'note', 'ended', 'record-sent', 'transferred', 'escalated', 'callback-attempt', 'script-used']);
/** The catalogue's words for a code of data (a disposition, an outcome), else the code itself. */
const wordFor = (t: Translate, prefix: string, code: string): string => {
  const key = `${prefix}.${code}`;
  const w = t(key);
  return w === key ? code : w;
};
const staffIdOf = (label: string): string | null => (label.startsWith('staff:') ? label.slice(6) : null);

export function tier2DeskPages(app: FastifyInstance, deps: Tier2DeskDeps): void {
  const cb = deps.callbacks;
  const zone = deps.agency.timeZone;
  const now = () => (deps.clock ?? (() => new Date()))();
  const statusTitle = (code: string, lang: Lang) => deps.agency.statuses.find((s) => s.code === code)?.title[lang] ?? code;
  const officeName = (code: string, lang: Lang) => deps.agency.offices.find((o) => o.code === code)?.name[lang] ?? code;
  const streams = liveStreams(app, deps.outbox ? { outbox: deps.outbox } : {});

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return requireStaff(request);
  }

  const skillText = (skills: readonly string[], t: Translate) => skills.map((s) => wordFor(t, 'tier2Desk.skill', s)).join(', ');

  function presentItem(item: CallbackItem, lang: Lang, t: Translate, viewerId?: string) {
    const due = dueText(item.dueAt, now(), lang, zone, t('tier2Desk.time.lessThanAMinute'));
    const open = item.status === 'due' || item.status === 'overdue';
    return {
      ...item,
      phoneText: phoneText(item.phone),
      dueAtText: due.at,
      dueWords: open ? t(item.status === 'overdue' ? 'tier2Desk.due.overdueBy' : 'tier2Desk.due.in', { distance: due.distance }) : '',
      /** After the "Overdue" tag: "by 5 hours", so the tag and the words read as one phrase. */
      lateBy: item.status === 'overdue' ? t('tier2Desk.due.by', { distance: due.distance }) : '',
      statusText: t(`tier2Desk.status.${item.status}`),
      urgencyText: t(`tier2Desk.urgency.${item.urgency === 'urgent' ? 'urgent' : 'regular'}`),
      languageText: wordFor(t, 'tier2Desk.skill', item.language),
      skillsText: skillText(item.skills, t),
      military: item.skills.includes('military'),
      windowText: windowText(item.window, lang),
      attemptsText: t('tier2Desk.attempts.count', { n: number(item.attempts, lang) }),
      createdText: instantText(item.createdAt, lang, zone),
      /** Held by the officer reading the queue (they tried it first, or a supervisor gave it to them). */
      mine: viewerId !== undefined && item.assignedTo === viewerId,
    };
  }

  function windowText(w: CallbackItem['window'], lang: Lang): string {
    if (!w) return '';
    if (typeof w === 'string') return w;
    return `${instantText(w.from, lang, zone)} – ${instantText(w.to, lang, zone)}`;
  }

  // ── the callback queue ────────────────────────────────────────────────────────────────────────────────────

  /** The queue's live part (list, counts, pager) for one tab and page, in `lang`: the page and the stream render it. */
  async function queueView(staff: StaffActor, status: CallbackStatus | undefined, page: number, lang: Lang) {
    const t = translator(lang);
    const list = await cb.list(staff, status, page, CALLBACK_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
    const overdueCount = list.items.filter((i) => i.status === 'overdue').length;
    return {
      status: status ?? '',
      list: { ...list, items: list.items.map((i) => presentItem(i, lang, t, staff.user.id)) },
      overdueCount,
      pager: { page, pages, previous: page > 1 ? queueHref(status ?? '', page - 1) : null, next: page < pages ? queueHref(status ?? '', page + 1) : null },
      live: {
        asOf: t('tier2Desk.live.asOf', { time: clockText(now().toISOString(), lang) }),
        summary: {
          // The live region speaks only when one of these numbers changes.
          key: [status ?? '', list.total, overdueCount].join('|'),
          text: status ? t('tier2Desk.live.announceTab', { total: list.total }) : t('tier2Desk.live.announce', { total: list.total, overdue: overdueCount }),
        },
      },
    };
  }

  const queueHref = (s: string, p = 1, base = '/desk/callbacks', lang?: Lang) => {
    const u = new URLSearchParams();
    if (s) u.set('status', s);
    if (p > 1) u.set('page', String(p));
    if (lang) u.set('lang', lang);
    const qs = u.toString();
    return `${base}${qs ? `?${qs}` : ''}`;
  };
  /** "As of 4:56 AM EST": minutes only, so an unchanged list is not sent again every poll. */
  const clockText = (iso: string, lang: Lang) => new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone: zone }).format(new Date(iso));

  const queueQuery = (request: FastifyRequest) => {
    const q = request.query as Record<string, unknown>;
    return { status: isStatus(q.status) ? q.status : undefined, page: pageNumber(q.page) };
  };

  app.get('/desk/callbacks', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const { status, page } = queueQuery(request);
    const view = await queueView(staff, status, page, lang);
    return reply.page(QUEUE_PAGE, {
      titleKey: 'tier2Desk.queue.title',
      ...(status ? { outcome: t(`tier2Desk.tab.${status}`) } : {}),
      supervisor: staff.user.role === 'supervisor',
      tabs: TABS.map((s) => ({ key: s, label: t(`tier2Desk.tab.${s || 'open'}`), href: queueHref(s), current: (status ?? '') === s })),
      ...view,
      eventsHref: queueHref(status ?? '', page, '/desk/callbacks/events', lang),
    });
  });

  // The queue's live part as server-sent events (src/platform/http/live-stream.ts): Tier 2 for their skills and
  // supervisors all, like the page; the stream never extends the session.
  app.get('/desk/callbacks/events', async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const { status, page } = queueQuery(request);
    await streams.serve(request, reply, {
      staff: deps.staff,
      capabilities: ['call-back-callers', 'watch-queues'], name: 'callback queue', page: '/desk/callbacks',
      read: async (actor) => {
        const view = await queueView(actor, status, page, lang);
        return { html: deps.views.render(QUEUE_LIVE, { t, lang, ...view }), asOf: view.live.asOf, summary: view.live.summary };
      },
      endedText: (reason) => t(`tier2Desk.live.ended.${reason}`),
    });
  });

  // ── one callback ──────────────────────────────────────────────────────────────────────────────────────────

  async function renderCallback(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, id: string, problem: string | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const d: CallbackDetail = await cb.get(staff, id);
    const staffIds = [...d.attemptLog.map((a) => a.staffId), ...d.contact.events.map((e) => staffIdOf(e.actor)).filter((x): x is string => x !== null)];
    const names = await deps.staff.namesOf(staffIds);
    const done = text((request.query as Record<string, unknown>).done);
    const outcome = problem === null && (OUTCOMES as readonly string[]).includes(done) ? t(`tier2Desk.done.${done}`) : null;
    const item = presentItem(d, lang, t);
    return reply.page('tier2-desk/views/callback.njk', {
      titleKey: 'tier2Desk.callback.title', ...(outcome ? { outcome } : {}), ...(problem ? { hasError: true } : {}),
      doneText: outcome, problem,
      c: item,
      attemptLog: d.attemptLog.map((a) => ({
        n: a.n, atText: instantText(a.at, lang, zone), outcomeText: wordFor(t, 'tier2Desk.outcome', a.outcome), by: names.get(a.staffId) ?? t('tier2Desk.who.staff'),
      })),
      failuresToMiss: deps.policy.callbacks.failedAttemptsToMiss,
      failuresLeft: Math.max(0, deps.policy.callbacks.failedAttemptsToMiss - d.attemptLog.filter((a) => a.outcome !== 'reached').length),
      reachAgain: { phone: deps.agency.contactCenterPhone, hours: deps.policy.liveHelp[lang] },
      contact: {
        ...summaryOf(d.contact, lang, t),
        notes: d.contact.notes,
        cases: d.contact.cases.map((k) => ({ ...k, href: `/desk/cases/${k.receiptNumber}?purpose=${encodeURIComponent(d.id)}` })),
        events: d.contact.events.map((e) => eventLine(e, lang, t, names)),
        noteEvents: d.contact.events.filter((e) => e.kind === 'note' && typeof e.detail?.text === 'string').map((e) => ({
          atText: instantText(e.at, lang, zone), by: whoOf(e.actor, names, t), text: String(e.detail!.text),
        })),
      },
      history: d.history.filter((h) => h.id !== d.contact.id).map((h) => summaryOf(h, lang, t)),
      canAttempt: d.actions.includes('record-attempt'),
      outcomes: OUTCOMES.map((o) => ({ value: o, label: t(`tier2Desk.attempt.${o}`) })),
      reachedHref: d.reachedContactId ? `/desk/contacts/${d.reachedContactId}` : null,
    }, status);
  }

  function whoOf(actor: string, names: Map<string, string>, t: Translate): string {
    const id = staffIdOf(actor);
    if (id) return names.get(id) ?? t('tier2Desk.who.staff');
    return t(actor === 'public' ? 'tier2Desk.who.public' : 'tier2Desk.who.system');
  }

  function summaryOf(s: ContactSummary, lang: Lang, t: Translate) {
    return {
      id: s.id,
      reference: /^\d{12}$/.test(s.reference) ? formatContactReference(s.reference) : s.reference,
      startedText: instantText(s.startedAt, lang, zone),
      endedText: s.endedAt ? instantText(s.endedAt, lang, zone) : null,
      agentId: s.agentId,
      tierText: s.tier ? t(`tier2Desk.tier.${s.tier === 'tier2' ? 'tier2' : 'tier1'}`) : '',
      dispositionText: s.disposition ? wordFor(t, 'tier2Desk.disposition', s.disposition) : t('tier2Desk.disposition.open'),
      serviceRequests: s.serviceRequests.map((r) => ({ number: r, formatted: formatReferralNumber(r) })),
    };
  }

  function eventLine(e: ContactEventView, lang: Lang, t: Translate, names: Map<string, string>) {
    const d = e.detail ?? {};
    const vars: Record<string, string> = { who: whoOf(e.actor, names, t) };
    for (const k of ['receiptNumber', 'disposition', 'channel', 'toAgentId', 'outcome', 'n']) if (d[k] !== undefined) vars[k] = String(d[k]);
    if (typeof d.dueAt === 'string') vars.due = instantText(d.dueAt, lang, zone);
    if (typeof d.urgency === 'string') vars.urgency = t(`tier2Desk.urgency.${d.urgency === 'urgent' ? 'urgent' : 'regular'}`);
    if (typeof d.outcome === 'string') vars.outcome = wordFor(t, 'tier2Desk.outcome', d.outcome);
    if (typeof d.disposition === 'string') vars.disposition = wordFor(t, 'tier2Desk.disposition', d.disposition);
    const kind = EVENT_KINDS.has(e.kind) ? e.kind : null;
    let summary = kind ? t(`tier2Desk.event.${kind}`, vars) : e.kind;
    if (e.kind === 'callback-attempt' && d.missed === true) summary += ` ${t('tier2Desk.event.missed')}`;
    // A note's words are shown once, under "What the caller said"; the log only says when it was written.
    return { atText: instantText(e.at, lang, zone), kind: e.kind, summary };
  }

  app.get('/desk/callbacks/:id', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderCallback(request, reply, staff, (request.params as { id: string }).id, null);
  });

  app.post('/desk/callbacks/:id/attempts', async (request, reply) => {
    const staff = await requireStaff(request);
    const { id } = request.params as { id: string };
    const outcome = text((request.body as Record<string, unknown> | undefined)?.outcome);
    try {
      const r = await cb.attempt(staff, id, outcome, request.id);
      // Reached: the callback is done and the officer is on their own new call with the caller.
      if (r.contactId) return await reply.redirect(`/desk/contacts/${encodeURIComponent(r.contactId)}`, 303);
      return await reply.redirect(`/desk/callbacks/${encodeURIComponent(id)}?done=${outcome}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || !['invalid-request', 'forbidden', 'conflict'].includes(err.code)) throw err;
      if (err.code === 'forbidden' && !err.audited) await request.recordDenial(err.code);
      const t = translator(resolveLang(request, reply));
      return renderCallback(request, reply, staff, id, t(`tier2Desk.error.attempt.${err.code}`), err.status);
    }
  });

  // ── the case timeline ─────────────────────────────────────────────────────────────────────────────────────

  interface ReissueState { noticeId: string; reason: string; error: string | null }

  async function renderCase(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, receiptInput: string, form: ReissueState | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = request.query as Record<string, unknown>;
    const purpose = purposeOf(q.purpose);
    let v: CaseView;
    try {
      v = await deps.caseDetails.getCase(staff, receiptInput, { purpose, traceId: request.id });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'forbidden') throw err;
      if (!err.audited) await request.recordDenial(err.code);
      const prohibition = typeof err.extensions.prohibition === 'string' ? err.extensions.prohibition : null;
      return reply.page('tier2-desk/views/forbidden.njk', {
        titleKey: 'error.title.403', hasError: true, prohibition,
        rule: prohibition ? t(`tier2Desk.forbidden.rule.${prohibition}`) : t('tier2Desk.forbidden.noRule'),
        statusOnline: prohibition === 'case-questions-beyond-status-online',
      }, 403);
    }
    const requested = text(q.requested);
    const outcome = form === null && requested && v.notices.some((n) => n.id === requested) ? t('tier2Desk.case.reissueRequested', { notice: requested }) : null;
    const openReissue = new Map(v.timeline.filter((e) => e.kind === 'notice-reissue-request' && e.detail.status === 'open').map((e) => [String(e.detail.noticeId), e]));
    const canReissue = v.actions.includes('request-notice-reissue');
    const here = `/desk/cases/${v.receiptNumber}${purpose ? `?purpose=${encodeURIComponent(purpose)}` : ''}`;
    return reply.page('tier2-desk/views/case.njk', {
      titleKey: 'tier2Desk.case.title', ...(outcome ? { outcome } : {}), ...(form?.error ? { hasError: true } : {}),
      doneText: outcome, purpose, here,
      k: {
        ...v,
        statusTitle: statusTitle(v.status, lang), statusDateText: longDate(v.statusDate, lang),
        receivedText: longDate(v.receivedDate, lang), decidedText: v.decidedDate ? longDate(v.decidedDate, lang) : null,
        officeName: officeName(v.office, lang),
        dobText: v.applicant.dateOfBirth ? longDate(v.applicant.dateOfBirth, lang) : '',
        priorityText: v.priorityDate ? longDate(v.priorityDate, lang) : null,
        phoneText: phoneText(v.applicant.phone),
      },
      history: [...v.history].reverse().map((h) => ({ ...h, dateText: longDate(h.date, lang), title: statusTitle(h.status, lang), local: h.source === 'switchboard' })),
      notices: v.notices.map((n) => ({
        ...n, dateText: longDate(n.date, lang), typeText: noticeName(n.type, t),
        open: openReissue.has(n.id) ? instantText(String(openReissue.get(n.id)!.at), lang, zone) : null,
      })),
      rfes: v.rfes.map((r) => ({ id: r.id, date: r.date, dateText: longDate(r.date, lang) })),
      timeline: v.timeline.map((e) => timelineLine(e, lang, t, staff.user.role)),
      canReissue,
      form: form ?? { noticeId: '', reason: '', error: null },
      limits: REISSUE_REASON_LIMITS,
    }, status);
  }

  function noticeName(type: string, t: Translate): string {
    const key = `prepare.notice.${type}`;
    const name = t(key);
    return name === key ? type : name;
  }

  /** One timeline entry in words. RFEs by date and id only: their text is the holding office's alone. */
  function timelineLine(e: TimelineEntry, lang: Lang, t: Translate, role: string) {
    const d = e.detail;
    const s = (k: string) => (d[k] === null || d[k] === undefined ? '' : String(d[k]));
    const vars: Record<string, string> = { ref: e.ref };
    let href: string | null = null;
    switch (e.kind) {
      case 'status': vars.title = statusTitle(e.ref, lang); break;
      case 'notice': vars.type = noticeName(s('type'), t); vars.of = s('of'); break;
      case 'service-request':
        vars.ref = /^\d{15}$/.test(e.ref) ? formatReferralNumber(e.ref) : e.ref;
        vars.office = officeName(s('office'), lang);
        vars.status = wordFor(t, 'backOffice.status', s('status'));
        href = `/staff/service-requests/${e.ref}`;
        break;
      case 'notice-reissue-request': vars.notice = s('noticeId'); vars.office = officeName(s('office'), lang); vars.status = t(`tier2Desk.reissueStatus.${s('status') === 'done' ? 'done' : 'open'}`); break;
      case 'contact':
        vars.ref = /^\d{12}$/.test(e.ref) ? formatContactReference(e.ref) : e.ref;
        vars.agent = s('agentId') || t('tier2Desk.who.staff');
        vars.disposition = d.disposition ? wordFor(t, 'tier2Desk.disposition', s('disposition')) : t('tier2Desk.disposition.open');
        break;
      case 'callback': {
        const open = s('status') === 'open';
        const late = open && s('dueAt') !== '' && Date.parse(s('dueAt')) < now().getTime();
        vars.status = t(`tier2Desk.status.${open ? (late ? 'overdue' : 'due') : s('status') === 'missed' ? 'missed' : 'done'}`);
        vars.due = s('dueAt') ? instantText(s('dueAt'), lang, zone) : '';
        vars.attempts = s('attempts');
        vars.urgency = t(`tier2Desk.urgency.${s('urgency') === 'urgent' ? 'urgent' : 'regular'}`);
        // Only the desk opens a callback (Tier 2 for their skills, supervisors).
        if (role === 'tier2' || role === 'supervisor') href = `/desk/callbacks/${encodeURIComponent(e.ref)}`;
        break;
      }
      case 'transfer': vars.urgency = t(`tier2Desk.urgency.${s('urgency') === 'urgent' ? 'urgent' : 'regular'}`); break;
      case 'appointment':
        vars.office = s('office');
        vars.start = s('start') ? instantText(s('start'), lang, s('timeZone') || zone) : '';
        vars.status = wordFor(t, 'tier2Desk.appointmentStatus', s('status'));
        href = `/appointments/${encodeURIComponent(s('appointmentId'))}`;
        break;
      default: break;
    }
    const known = TIMELINE_KINDS.has(e.kind);
    return {
      date: e.date, dateText: longDate(e.date, lang), atText: e.at ? instantText(e.at, lang, zone) : null, kind: e.kind,
      kindText: known ? t(`tier2Desk.timeline.kind.${e.kind}`) : e.kind,
      summary: known ? t(`tier2Desk.timeline.${e.kind}`, vars) : e.ref,
      href,
    };
  }

  app.get('/desk/cases/:receiptNumber', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderCase(request, reply, staff, (request.params as { receiptNumber: string }).receiptNumber, null);
  });

  app.post('/desk/cases/:receiptNumber/notice-reissue-requests', async (request, reply) => {
    const staff = await requireStaff(request);
    const { receiptNumber } = request.params as { receiptNumber: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const noticeId = text(body.noticeId).slice(0, 200);
    const reason = text(body.reason).slice(0, 10_000);
    const purpose = purposeOf(body.purpose) ?? purposeOf((request.query as Record<string, unknown>).purpose);
    const parsed = parseReceiptNumber(receiptNumber, deps.agency.receiptPrefixes);
    try {
      // No Idempotency-Key from a form: one open request per case and notice is the service's own guard (409).
      await deps.caseDetails.requestReissue(staff, receiptNumber, { noticeId, reason }, { scope: `staff:${staff.user.id}`, key: null, requestHash: '' }, { purpose, traceId: request.id });
    } catch (err) {
      if (!(err instanceof AppError) || !['invalid-request', 'conflict', 'unprocessable', 'forbidden'].includes(err.code)) throw err;
      if (err.code === 'forbidden' && !err.audited) await request.recordDenial(err.code);
      const t = translator(resolveLang(request, reply));
      const limits = { min: number(REISSUE_REASON_LIMITS.minChars, resolveLang(request, reply)), max: number(REISSUE_REASON_LIMITS.maxChars, resolveLang(request, reply)) };
      const fieldCode = ((err.extensions.errors ?? []) as Array<{ field: string; code: string }>).find((e) => e.field === 'reason')?.code;
      const message = err.code === 'invalid-request' && fieldCode
        ? t(`tier2Desk.error.reason.${['required', 'too-short', 'too-long'].includes(fieldCode) ? fieldCode : 'too-short'}`, limits)
        : t(`tier2Desk.error.reissue.${err.code}`);
      return renderCase(request, reply, staff, receiptNumber, { noticeId, reason, error: message }, err.status);
    }
    const u = new URLSearchParams();
    if (purpose) u.set('purpose', purpose);
    u.set('requested', noticeId);
    return reply.redirect(`/desk/cases/${parsed?.value ?? encodeURIComponent(receiptNumber)}?${u.toString()}#notices-heading`, 303);
  });
}
