/**
 * The back office (issue 7): office staff work their office's service requests from a queue, oldest due first;
 * supervisors watch every office, assign, transfer and flag answers that are only form letters. Cookie session,
 * CSRF on every form, no JavaScript needed. All data and every rule come from ServiceRequestService.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceRequestStatus } from '../platform/db/schema.ts';
import type { Agency } from '../platform/reference.ts';
import type { ServiceRequestService } from '../service-requests/service.ts';
import type { CaseContext, HistoryEntry, Page, QueueItem, ServiceRequestView } from '../service-requests/views.ts';
import type { Actor } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { requireStaff } from '../platform/http/auth.ts';
import { sameSitePath } from '../platform/http/safe-redirect.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, number } from '../platform/i18n/format.ts';
import { REASON_MAX, RESPONSE_LIMITS } from '../service-requests/policy.ts';
import { formatReferralNumber, parseReferralNumber } from '../domain/referral-number.ts';
import { QUEUE_PAGE_SIZE } from './policy.ts';
import type { StaffService } from '../staff/service.ts';

export interface BackOfficeDeps {
  serviceRequests: ServiceRequestService;
  agency: Pick<Agency, 'offices' | 'statuses' | 'timeZone'>;
  staff: Pick<StaffService, 'officeAccounts' | 'namesOf'>;
}

type StaffActor = Extract<Actor, { kind: 'staff' }>;

const STATUSES: readonly ServiceRequestStatus[] = ['open', 'claimed', 'reopened', 'answered', 'closed'];
const ACTIVE: readonly ServiceRequestStatus[] = ['open', 'claimed', 'reopened'];
const isStatus = (s: unknown): s is ServiceRequestStatus => typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
const pageNumber = (s: unknown): number => (typeof s === 'string' && /^[1-9][0-9]{0,5}$/.test(s) ? Number(s) : 1);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
/** What the history and forms know how to say; an unknown action is shown by its code. */
const ACTIONS = new Set(['created', 'released', 'claimed', 'assigned', 'answered', 'transferred', 'moved-with-case', 'reopened', 'overdue', 'closed', 'flagged', 'unflagged']);
/** The outcomes a POST redirects with (?done=…). */
const DONE = new Set(['claimed', 'answered', 'transferred', 'assigned', 'flagged', 'unflagged', 'released']);
const DONE_OF = { claim: 'claimed', respond: 'answered', transfer: 'transferred', assign: 'assigned', release: 'released' } as const;
/** Field error codes with their own words (backOffice.error.<field>.<code>); others fall back to the field's general message. */
const FIELD_ERRORS: Record<string, readonly string[]> = {
  response: ['too-short', 'too-long', 'same-as-before'],
  reason: ['required', 'too-long'],
  note: ['too-long'],
  office: ['unknown-office', 'same-office'],
  userId: ['not-in-office'],
};

/** A request page form's state after a refused POST: which form, what was typed, what is wrong. */
interface FormState {
  form: 'claim' | 'respond' | 'transfer' | 'assign' | 'review' | 'release';
  values: Record<string, string>;
  /** Field → translated message. */
  errors: Record<string, string>;
  /** A refusal that is not about one field (403, 409), translated. */
  problem?: string;
}

export function backOfficePages(app: FastifyInstance, deps: BackOfficeDeps): void {
  const sr = deps.serviceRequests;
  const officeCodes = new Set(deps.agency.offices.map((o) => o.code));
  const officeName = (code: string, lang: Lang) => deps.agency.offices.find((o) => o.code === code)?.name[lang] ?? code;
  const officeZone = (code: string) => deps.agency.offices.find((o) => o.code === code)?.timeZone ?? deps.agency.timeZone;
  const kindTitle = (type: string, lang: Lang) => sr.rules.kind(type)?.title[lang] ?? type;
  const kinds = (lang: Lang) => sr.rules.policy.kinds.map((k) => ({ type: k.type, title: k.title[lang] }));
  const offices = (lang: Lang) => deps.agency.offices.map((o) => ({ code: o.code, name: o.name[lang] }));
  const caseStatusTitle = (code: string, lang: Lang) => deps.agency.statuses.find((s) => s.code === code)?.title[lang] ?? code;

  /** The error handler audits the denials it answers; a denial a page answers itself is written here. */
  /** Signed-in staff, or a redirect to the sign-in page that comes back here. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return requireStaff(request);
  }

  const row = (item: QueueItem, lang: Lang, t: Translate) => ({
    ...item,
    formatted: formatReferralNumber(item.referralNumber),
    kind: kindTitle(item.type, lang),
    statusText: t(`backOffice.status.${item.status}`),
    priorityText: t(`backOffice.priority.${item.priority === 'high' ? 'high' : 'normal'}`),
    due: longDate(item.dueDate, lang),
    officeName: officeName(item.office, lang),
  });

  function pager<T>(list: Page<T>, href: (p: number) => string) {
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
    return { pages, page: list.page, total: list.total, previous: list.page > 1 ? href(list.page - 1) : null, next: list.page < pages ? href(list.page + 1) : null };
  }

  // ── the queue ─────────────────────────────────────────────────────────────────────────────────────────────

  app.get('/staff/queue', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const { user } = await requireStaff(request, ['office', 'supervisor']);
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = request.query as Record<string, unknown>;
    const supervisor = user.role === 'supervisor';
    const askedOffice = text(q.office).trim().toUpperCase();
    const office = supervisor ? (officeCodes.has(askedOffice) ? askedOffice : null) : user.office!;
    const filter = {
      type: sr.rules.kind(text(q.type)) ? text(q.type) : undefined,
      status: isStatus(q.status) ? q.status : undefined,
      overdue: q.overdue === '1' ? true : undefined,
      mine: !supervisor && q.mine === '1' ? true : undefined,
    };
    const claimedRef = parseReferralNumber(text(q.claimed));
    const outcome = claimedRef.ok ? t('backOffice.done.claimedRow', { referral: formatReferralNumber(claimedRef.value) }) : null;
    const transferredRef = parseReferralNumber(text(q.transferred));
    const transferred = transferredRef.ok ? t('backOffice.done.transferredAway', { referral: formatReferralNumber(transferredRef.value) }) : null;
    const context = {
      titleKey: 'backOffice.queue.title', supervisor, office, officeName: office ? officeName(office, lang) : null,
      kinds: kinds(lang), statuses: STATUSES, offices: offices(lang), filter,
      claimedReferral: claimedRef.ok ? claimedRef.value : null, claimedOutcome: outcome, transferredOutcome: transferred,
      ...(outcome ?? transferred ? { outcome: outcome ?? transferred } : {}),
    };
    if (!office) {
      const overview = await sr.overview(staff);
      const counts = new Map(overview.map((o) => [o.office, o]));
      return reply.page('back-office/views/queue.njk', {
        ...context, list: null, choose: offices(lang).map((o) => ({ ...o, active: counts.get(o.code)?.active ?? 0, overdue: counts.get(o.code)?.overdue ?? 0 })),
      });
    }
    const page = pageNumber(q.page);
    const list = await sr.queue(staff, office, filter, page, QUEUE_PAGE_SIZE);
    const params = (p: number) => {
      const s = new URLSearchParams();
      if (supervisor) s.set('office', office);
      if (filter.type) s.set('type', filter.type);
      if (filter.status) s.set('status', filter.status);
      if (filter.overdue) s.set('overdue', '1');
      if (filter.mine) s.set('mine', '1');
      if (p > 1) s.set('page', String(p));
      const qs = s.toString();
      return `/staff/queue${qs ? `?${qs}` : ''}`;
    };
    const filtered = Boolean(filter.type || filter.status || filter.overdue || filter.mine);
    return reply.page('back-office/views/queue.njk', {
      ...context, choose: null, filtered,
      list: { ...list, items: list.items.map((i) => row(i, lang, t)) }, pager: pager(list, params), here: params(page),
      canClaim: user.role === 'office',
    });
  });

  app.post('/staff/queue/claim', async (request, reply) => {
    const staff = await requireStaff(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const referral = text(body.referralNumber);
    const next = sameSitePath(text(body.next), '/staff/queue');
    const back = next.startsWith('/staff/queue') ? next : '/staff/queue';
    let view;
    try {
      ({ view } = await sr.claim(staff, referral, request.id));
    } catch (err) {
      // Someone was quicker (409), or this account may not claim (403): the request's page says who has it and why.
      if (!(err instanceof AppError) || (err.code !== 'conflict' && err.code !== 'forbidden')) throw err;
      if (err.code === 'forbidden') await request.recordDenial(err.code);
      const t = translator(resolveLang(request, reply));
      return renderRequest(request, reply, staff, referral, { form: 'claim', values: {}, errors: {}, problem: t(`backOffice.error.${err.code}.claim`) }, err.status);
    }
    const url = new URL(back, 'http://x');
    url.searchParams.delete('transferred');
    url.searchParams.set('claimed', view.referralNumber);
    return reply.redirect(`${url.pathname}${url.search}`, 303);
  });

  // ── one request ───────────────────────────────────────────────────────────────────────────────────────────

  async function renderRequest(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, referral: string, state: FormState | null, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const v = await sr.get(staff, referral, request.id);
    const ctx: CaseContext | null = await sr.caseContext(staff, referral, request.id).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'not-found') return null;
      throw err;
    });
    const user = staff.user;
    const active = ACTIVE.includes(v.status);
    const isHolderOffice = user.role === 'office' && user.office === v.office;
    const supervisor = user.role === 'supervisor';
    const can = {
      claim: isHolderOffice && (v.status === 'open' || v.status === 'reopened') && v.claimedBy === null,
      respond: isHolderOffice && v.status === 'claimed' && v.claimedBy?.id === user.id,
      release: isHolderOffice && v.status === 'claimed' && v.claimedBy?.id === user.id,
      transfer: active && (isHolderOffice || supervisor),
      assign: active && supervisor,
      review: supervisor && v.response !== null,
    };
    const accounts = can.assign ? await deps.staff.officeAccounts(v.office) : [];
    const assignedTo = v.history.filter((h) => h.action === 'assigned').map((h) => String(h.detail?.to ?? ''));
    const names = await deps.staff.namesOf(assignedTo.filter(Boolean));
    const zone = officeZone(v.office);
    const history = v.history.map((h) => historyLine(h, lang, t, zone, names, officeName));
    const lastReopen = [...v.history].reverse().find((h) => h.action === 'reopened');
    const done = text((request.query as Record<string, unknown>).done);
    const outcome = state === null && DONE.has(done) ? t(`backOffice.done.${done}`) : null;
    return reply.page('back-office/views/request.njk', {
      titleKey: 'backOffice.request.title', ...(outcome ? { outcome } : {}), doneText: outcome,
      ...(state && (Object.keys(state.errors).length || state.problem) ? { hasError: true } : {}),
      r: presentView(v, lang, t, zone),
      formatted: formatReferralNumber(v.referralNumber),
      kind: kindTitle(v.type, lang),
      officeName: officeName(v.office, lang),
      fields: presentFields(v.fields, t),
      reopenReason: lastReopen && typeof lastReopen.detail?.reason === 'string' ? lastReopen.detail.reason : null,
      reopenedBy: lastReopen ? whoDid(lastReopen, t) : null,
      reopenedAt: lastReopen ? when(lastReopen.at, lang, zone) : null,
      history, can, accounts,
      transferOffices: offices(lang).filter((o) => o.code !== v.office),
      caseContext: ctx && {
        ...ctx,
        received: longDate(ctx.receivedDate, lang),
        statusTitle: caseStatusTitle(ctx.status, lang),
        officeName: officeName(ctx.office, lang),
        timeline: ctx.timeline.map((e) => ({ date: e.date, dateText: longDate(e.date, lang), title: caseStatusTitle(e.status, lang) })),
        notices: ctx.notices.map((n) => ({ date: n.date, dateText: longDate(n.date, lang), type: noticeName(n.type, t) })),
        otherRequests: ctx.otherRequests.map((o) => ({
          ...o, formatted: formatReferralNumber(o.referralNumber), kind: kindTitle(o.type, lang), statusText: t(`backOffice.status.${o.status}`),
          created: when(o.createdAt, lang, zone),
        })),
      },
      state: state ?? { form: null, values: {}, errors: {} },
      minChars: RESPONSE_LIMITS.minChars,
    }, status);
  }

  app.get('/staff/service-requests/:referralNumber', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const { referralNumber } = request.params as { referralNumber: string };
    return renderRequest(request, reply, staff, referralNumber, null);
  });

  /**
   * One POST of the request page: runs `act`; on success 303 back to the page (or where `after` says) with the
   * outcome; a refusal the worker can fix (400), or one that says why not (403, 409), shows the page again with
   * what was typed and the message beside the field. 404 and other errors go to the error page.
   */
  function action(form: FormState['form'], fields: readonly string[], act: (staff: StaffActor, referral: string, values: Record<string, string>, request: FastifyRequest) => Promise<string | null>) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const staff = await requireStaff(request);
      const { referralNumber } = request.params as { referralNumber: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(fields.map((f) => [f, text(body[f]).slice(0, 10_000)]));
      const parsed = parseReferralNumber(referralNumber);
      const page = `/staff/service-requests/${parsed.ok ? parsed.value : encodeURIComponent(referralNumber)}`;
      try {
        const after = await act(staff, referralNumber, values, request);
        const done = form === 'review' ? (values.formLetter === '1' ? 'flagged' : 'unflagged') : DONE_OF[form];
        return await reply.redirect(after ?? `${page}?done=${done}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid-request', 'forbidden', 'conflict'].includes(err.code)) throw err;
        const lang = resolveLang(request, reply);
        const t = translator(lang);
        const limits = { min: number(RESPONSE_LIMITS.minChars, lang), max: number(form === 'respond' ? RESPONSE_LIMITS.maxChars : REASON_MAX, lang) };
        const state: FormState = { form, values, errors: {} };
        if (err.code === 'invalid-request') {
          const list = (err.extensions.errors ?? []) as Array<{ field: string; code: string }>;
          for (const e of list) {
            const field = form === 'review' && e.field === 'reason' ? 'note' : e.field;
            if (!(field in FIELD_ERRORS) || state.errors[field]) continue;
            state.errors[field] = t(FIELD_ERRORS[field]!.includes(e.code) ? `backOffice.error.${field}.${e.code}` : `backOffice.error.${field}.invalid`, limits);
          }
          if (!Object.keys(state.errors).length) state.problem = t('backOffice.error.invalid');
        } else {
          if (err.code === 'forbidden') {
            await request.recordDenial(err.code);
          }
          state.problem = t(err.code === 'forbidden' ? `backOffice.error.forbidden.${form}` : `backOffice.error.conflict.${form}`);
        }
        return renderRequest(request, reply, staff, referralNumber, state, err.status);
      }
    };
  }

  app.post('/staff/service-requests/:referralNumber/claim', action('claim', [], async (staff, ref, _v, request) => {
    await sr.claim(staff, ref, request.id);
    return null;
  }));
  app.post('/staff/service-requests/:referralNumber/release', action('release', [], async (staff, ref, _v, request) => {
    await sr.release(staff, ref, request.id);
    return null;
  }));
  app.post('/staff/service-requests/:referralNumber/respond', action('respond', ['response'], async (staff, ref, v, request) => {
    await sr.respond(staff, ref, v.response!, request.id);
    return null;
  }));
  app.post('/staff/service-requests/:referralNumber/transfer', action('transfer', ['office', 'reason'], async (staff, ref, v, request) => {
    const moved = await sr.transfer(staff, ref, { office: v.office!, reason: v.reason! }, request.id);
    // Office staff no longer see a request their office gave away: back to their queue, saying where it went.
    return staff.user.role === 'office' ? `/staff/queue?transferred=${moved.referralNumber}` : null;
  }));
  app.post('/staff/service-requests/:referralNumber/assign', action('assign', ['userId'], async (staff, ref, v, request) => {
    await sr.assign(staff, ref, v.userId!, request.id);
    return null;
  }));
  app.post('/staff/service-requests/:referralNumber/review', action('review', ['formLetter', 'note'], async (staff, ref, v, request) => {
    await sr.review(staff, ref, { formLetter: v.formLetter === '1', note: v.note }, request.id);
    return null;
  }));

  // ── the supervisor's overdue view ─────────────────────────────────────────────────────────────────────────

  app.get('/staff/overdue', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const supervisor = await requireStaff(request, ['supervisor']);
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = request.query as Record<string, unknown>;
    const askedOffice = text(q.office).trim().toUpperCase();
    const office = officeCodes.has(askedOffice) ? askedOffice : undefined;
    const page = pageNumber(q.page);
    const flaggedPage = pageNumber(q.flaggedPage);
    const [overview, overdue, flagged] = await Promise.all([
      sr.overview(supervisor),
      sr.list(supervisor, { overdue: true, ...(office ? { office } : {}) }, page, QUEUE_PAGE_SIZE),
      sr.list(supervisor, { flagged: true, status: 'answered', ...(office ? { office } : {}) }, flaggedPage, QUEUE_PAGE_SIZE),
    ]);
    const href = (p: number, fp: number) => {
      const s = new URLSearchParams();
      if (office) s.set('office', office);
      if (p > 1) s.set('page', String(p));
      if (fp > 1) s.set('flaggedPage', String(fp));
      const qs = s.toString();
      return `/staff/overdue${qs ? `?${qs}` : ''}`;
    };
    return reply.page('back-office/views/overdue.njk', {
      titleKey: 'backOffice.overdue.title', office, officeName: office ? officeName(office, lang) : null, offices: offices(lang),
      overview: overview.map((o) => ({ ...o, name: officeName(o.office, lang) })),
      overdue: { ...overdue, items: overdue.items.map((i) => row(i, lang, t)) }, overduePager: pager(overdue, (p) => `${href(p, flaggedPage)}#overdue-heading`),
      flagged: { ...flagged, items: flagged.items.map((i) => row(i, lang, t)) }, flaggedPager: pager(flagged, (p) => `${href(page, p)}#flagged-heading`),
    });
  });
}

// ── presenting ───────────────────────────────────────────────────────────────────────────────────────────────

const WHEN: Record<Lang, string> = { en: 'en-US', es: 'es-US' };

/** An instant written out in the office's time zone: "December 2, 2026, 9:05 AM EST". */
function when(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(WHEN[lang], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso)) + ' ' + zoneName(iso, lang, timeZone);
}

function zoneName(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(WHEN[lang], { timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

function presentView(v: ServiceRequestView, lang: Lang, t: Translate, zone: string) {
  return {
    ...v,
    statusText: t(`backOffice.status.${v.status}`),
    priorityText: t(`backOffice.priority.${v.priority === 'high' ? 'high' : 'normal'}`),
    due: longDate(v.dueDate, lang),
    created: when(v.createdAt, lang, zone),
    claimed: v.claimedAt ? when(v.claimedAt, lang, zone) : null,
    answered: v.answeredAt ? when(v.answeredAt, lang, zone) : null,
    creatorText: t(`backOffice.creator.${v.creator === 'public' ? 'public' : 'agent'}`),
  };
}

/** The request's own fields in words: details, urgency, the expedite criterion, the new address. */
function presentFields(fields: Record<string, unknown>, t: Translate) {
  const out: Array<{ label: string; value: string; multiline?: boolean }> = [];
  if (typeof fields.details === 'string' && fields.details.trim()) out.push({ label: t('backOffice.field.details'), value: fields.details, multiline: true });
  if (fields.urgency === 'urgent' || fields.urgency === 'regular') out.push({ label: t('backOffice.field.urgency'), value: t(`backOffice.urgency.${fields.urgency}`) });
  const criteria = ['severe-financial-loss', 'urgent-humanitarian', 'nonprofit-cultural-social', 'government-interest', 'agency-error'];
  if (typeof fields.expediteCriterion === 'string') {
    out.push({ label: t('backOffice.field.expediteCriterion'), value: criteria.includes(fields.expediteCriterion) ? t(`backOffice.expedite.${fields.expediteCriterion}`) : fields.expediteCriterion });
  }
  if (fields.newAddress !== undefined && fields.newAddress !== null) out.push({ label: t('backOffice.field.newAddress'), value: addressText(fields.newAddress), multiline: true });
  return out;
}

function addressText(a: unknown): string {
  if (typeof a === 'string') return a;
  if (typeof a !== 'object' || a === null) return String(a);
  const o = a as Record<string, unknown>;
  const s = (k: string) => (typeof o[k] === 'string' || typeof o[k] === 'number' ? String(o[k]) : '');
  const lines = [s('street'), s('street2'), [s('city'), [s('state'), s('zip')].filter(Boolean).join(' ')].filter(Boolean).join(', '), s('country')].filter(Boolean);
  const known = new Set(['street', 'street2', 'city', 'state', 'zip', 'country']);
  for (const [k, v] of Object.entries(o)) if (!known.has(k) && (typeof v === 'string' || typeof v === 'number')) lines.push(`${k}: ${v}`);
  return lines.join('\n');
}

/** A notice's name as "Prepare for my call" writes it (prepare.notice.<type>), else the feed's own word for it. */
function noticeName(type: string | undefined, t: Translate): string {
  if (!type) return '';
  const key = `prepare.notice.${type}`;
  const name = t(key);
  return name === key ? type : name;
}

function whoDid(h: HistoryEntry, t: Translate): string {
  if (h.by) return h.by.name || t('backOffice.who.staff');
  if (h.actor === 'public') return t('backOffice.who.public');
  if (h.actor === 'system') return t('backOffice.who.system');
  return t('backOffice.who.staff');
}

/** One history event in plain words, with its details (the reason, the offices, the dates). */
function historyLine(h: HistoryEntry, lang: Lang, t: Translate, zone: string, names: Map<string, string>, officeName: (code: string, lang: Lang) => string) {
  const d = h.detail ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] as string : '');
  const who = whoDid(h, t);
  const action = ACTIONS.has(h.action) ? h.action : null;
  const vars: Record<string, string> = { who };
  if (h.action === 'created') Object.assign(vars, { office: officeName(str('office'), lang), due: str('dueDate') ? longDate(str('dueDate'), lang) : '' });
  if (h.action === 'assigned') vars.to = names.get(str('to')) ?? str('to');
  if (h.action === 'transferred' || h.action === 'moved-with-case') Object.assign(vars, { from: officeName(str('from'), lang), to: officeName(str('to'), lang) });
  if (h.action === 'reopened' || h.action === 'overdue') vars.due = str('dueDate') ? longDate(str('dueDate'), lang) : '';
  let summary = action ? t(`backOffice.history.${action}`, vars) : h.action;
  if (h.action === 'answered' && d.mailed === false) summary += ` ${t('backOffice.history.notMailed')}`;
  const quote = h.action === 'reopened' || h.action === 'transferred' ? str('reason') : h.action === 'flagged' || h.action === 'unflagged' ? str('note') : '';
  return { at: h.at, atText: when(h.at, lang, zone), action: h.action, summary, quote, quoteLabel: quote ? t(h.action === 'reopened' ? 'backOffice.history.reasonPerson' : h.action === 'transferred' ? 'backOffice.history.reason' : 'backOffice.history.note') : '' };
}
