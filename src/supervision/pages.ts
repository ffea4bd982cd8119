/**
 * The supervisor's tools in the browser (English and Spanish, no JavaScript needed), beside the live view:
 *   GET  /supervisor/reassign?agent=<staff id>       an agent's open work (requests they claimed, callbacks they hold),
 *                                                    each with the people who may take it; a form per item and "move all"
 *   POST /supervisor/reassign/requests/:referral     one claimed request  ┐ body: agent, to, _csrf; then 303 back
 *   POST /supervisor/reassign/callbacks/:id          one held callback    │ saying what moved; a refusal shows the page
 *   POST /supervisor/reassign/all                    every open item      ┘ again (400) with nothing changed
 *   GET  /supervisor/agent-day?agent=&date=          one agent's calls, callbacks and service requests on a date
 *   GET  /supervisor/denied-access?agent=&page=      the denied entries of the audit trail for the reader's staff
 * SupervisionService authorizes before anything is read (403 for a role without the capability, audited by the
 * error handler); the page context checks the CSRF token of every POST.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Agency } from '../platform/reference.ts';
import type { ServiceRequestService } from '../service-requests/service.ts';
import type { StaffActor } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, longDateTime, number } from '../platform/i18n/format.ts';
import { formatReferralNumber } from '../domain/referral-number.ts';
import { formatContactReference } from '../domain/contact-reference.ts';
import { staffPage } from '../platform/http/auth.ts';
import type { Agent, MoveItem, OpenItems, SupervisionService } from './service.ts';
import { DENIED_COUNT_CAP, DENIED_PAGE_SIZE } from './policy.ts';

export interface SupervisionPageDeps {
  supervision: SupervisionService;
  serviceRequests: Pick<ServiceRequestService, 'rules'>;
  agency: Pick<Agency, 'timeZone' | 'offices'>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : '');
const pageNumber = (s: unknown): number => (typeof s === 'string' && /^[1-9][0-9]{0,3}$/.test(s) ? Number(s) : 1);
/** The catalogue's words for a code, else the code itself (an action or reason the catalogue does not name). */
const wordFor = (t: Translate, key: string, fallback: string): string => { const w = t(key); return w === key ? fallback : w; };

export function supervisionPages(app: FastifyInstance, deps: SupervisionPageDeps): void {
  const sv = deps.supervision;
  const zone = deps.agency.timeZone;
  const officeName = (code: string | null, lang: Lang) => (code ? deps.agency.offices.find((o) => o.code === code)?.name[lang] ?? code : '');
  const kindTitle = (type: string, lang: Lang) => deps.serviceRequests.rules.kind(type)?.title[lang] ?? type;
  const time = (iso: string, lang: Lang) => new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short' }).format(new Date(iso));
  const when = (iso: string, lang: Lang) => longDateTime(iso, lang, zone);
  const skillsText = (skills: readonly string[], t: Translate) => skills.map((s) => wordFor(t, `tier2Desk.skill.${s}`, s)).join(' + ');
  const agentLabel = (a: Agent, t: Translate) => t('supervisorTools.agentOption', { name: a.name, agentId: a.agentId });
  /** The pickers' options grouped by role (an <optgroup> each), in the catalogue's role names. */
  const groups = (agents: Agent[], t: Translate, roles: readonly string[]) => roles.map((role) => ({
    label: t(`staff.role.${role}`), options: agents.filter((a) => a.role === role).map((a) => ({ value: a.id, label: a.role === 'office' ? `${a.name} (${a.agentId}, ${a.office})` : `${a.name} (${a.agentId})` })),
  })).filter((g) => g.options.length);

  const signedIn = (request: FastifyRequest, reply: FastifyReply) => staffPage(request, reply);

  const nav = (current: string, staff: StaffActor, t: Translate) => [
    { href: '/supervisor', label: t('supervisorTools.nav.live'), key: 'live', show: staff.user.role === 'supervisor' },
    { href: '/supervisor/reassign', label: t('supervisorTools.reassign.title'), key: 'reassign', show: staff.user.role === 'supervisor' },
    { href: '/supervisor/agent-day', label: t('supervisorTools.day.title'), key: 'day', show: staff.user.role === 'supervisor' },
    { href: '/supervisor/denied-access', label: t('supervisorTools.denied.title'), key: 'denied', show: true },
  ].filter((l) => l.show).map((l) => ({ ...l, current: l.key === current }));

  // ── reassigning work ────────────────────────────────────────────────────────────────────────────────────

  function presentOpen(open: OpenItems, lang: Lang, t: Translate) {
    const option = (a: Agent) => ({ value: a.id, label: agentLabel(a, t) });
    return {
      agent: { ...open.agent, roleText: t(`staff.role.${open.agent.role}`), officeText: officeName(open.agent.office, lang) },
      requests: open.requests.map(({ item, targets }) => ({
        id: item.referralNumber, formatted: formatReferralNumber(item.referralNumber), href: `/staff/service-requests/${encodeURIComponent(item.referralNumber)}`,
        kind: kindTitle(item.type, lang), office: officeName(item.office, lang), due: longDate(item.dueDate, lang), overdue: item.overdue, targets: targets.map(option),
      })),
      callbacks: open.callbacks.map(({ item, targets }) => ({
        id: item.id, href: `/desk/callbacks/${encodeURIComponent(item.id)}`, due: when(item.dueAt, lang), overdue: item.status === 'overdue',
        urgency: t(`tier2Desk.urgency.${item.urgency === 'urgent' ? 'urgent' : 'regular'}`), skills: skillsText(item.skills, t), attempts: item.attempts, reason: item.reason,
        targets: targets.map(option),
      })),
      allTargets: open.allTargets.map(option), count: open.requests.length + open.callbacks.length, truncated: open.truncated,
    };
  }

  async function renderReassign(request: FastifyRequest, reply: FastifyReply, staff: StaffActor, agentId: string, extra: { error?: { field: string; text: string }; values?: Record<string, string> } = {}, status = 200) {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const agents = (await sv.agents(staff)).filter((a) => a.role === 'tier2' || a.role === 'office');
    const open = agentId ? presentOpen(await sv.openItems(staff, agentId), lang, t) : null;
    const q = request.query as Record<string, unknown>;
    const moved = status === 200 && /^[0-9]{1,4}$/.test(text(q.moved)) ? Number(q.moved) : null;
    const movedTo = moved !== null ? (await sv.agents(staff)).find((a) => a.id === text(q.to))?.name ?? '' : '';
    const done = moved !== null ? t(moved === 1 ? 'supervisorTools.reassign.movedOne' : 'supervisorTools.reassign.moved', { n: number(moved, lang), name: movedTo }) : '';
    const errors = extra.error ? { [extra.error.field]: extra.error.text } : {};
    return reply.page('supervision/views/reassign.njk', {
      titleKey: 'supervisorTools.reassign.title', ...(done ? { outcome: done } : {}), done, errors,
      errorList: extra.error ? [{ href: extra.error.field, text: extra.error.text }] : [],
      values: extra.values ?? {}, nav: nav('reassign', staff, t), groups: groups(agents, t, ['tier2', 'office']), agentId, open,
    }, status);
  }

  app.get('/supervisor/reassign', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    return renderReassign(request, reply, staff, text((request.query as Record<string, unknown>).agent));
  });

  /** One move (an item, or all): done by the service, then back to the agent's open work saying what moved. */
  const move = (path: string, which: (request: FastifyRequest) => MoveItem | 'all') => {
    app.post(path, async (request, reply) => {
      const staff = await signedIn(request, reply);
      if (!staff) return reply;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const agent = text(body.agent);
      const to = text(body.to);
      const item = which(request);
      const field = item === 'all' ? 'to-all' : `to-${item.id}`;
      try {
        const r = await sv.reassign(staff, agent, to, item, request.id);
        return reply.redirect(`/supervisor/reassign?${new URLSearchParams({ agent, moved: String(r.moved), to: r.to.id }).toString()}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || (err.code !== 'invalid-request' && err.code !== 'conflict')) throw err;
        const t = translator(resolveLang(request, reply));
        const target = (await sv.agents(staff)).find((a) => a.id === to);
        const refused = err.extensions.refused as { code: string; item: { kind: string; id: string; office?: string; skills?: string[] } } | undefined;
        const words = err.code === 'conflict' ? t('supervisorTools.reassign.error.conflict')
          : refused ? t(`supervisorTools.reassign.error.${refused.code}`, {
            name: target?.name ?? '', office: officeName(refused.item.office ?? '', resolveLang(request, reply)),
            referral: refused.item.kind === 'request' ? formatReferralNumber(refused.item.id) : '', skills: skillsText(refused.item.skills ?? [], t),
          })
          : t('supervisorTools.reassign.error.unknown-agent');
        request.log.info({ code: err.code, refusal: refused?.code }, 'reassignment refused');
        return renderReassign(request, reply, staff, agent, { error: { field, text: words }, values: { [field]: to } }, err.code === 'conflict' ? 409 : 400);
      }
    });
  };
  move('/supervisor/reassign/requests/:referral', (request) => ({ kind: 'request', id: text((request.params as { referral: string }).referral) }));
  move('/supervisor/reassign/callbacks/:id', (request) => ({ kind: 'callback', id: text((request.params as { id: string }).id) }));
  move('/supervisor/reassign/all', () => 'all');

  // ── an agent's day ──────────────────────────────────────────────────────────────────────────────────────

  app.get('/supervisor/agent-day', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = request.query as Record<string, unknown>;
    const agentId = text(q.agent);
    const dateInput = text(q.date).trim();
    const agents = await sv.agents(staff, 'day');
    let day: Awaited<ReturnType<SupervisionService['day']>> | null = null;
    let error: { field: string; text: string } | null = null;
    if (agentId) {
      try {
        day = await sv.day(staff, agentId, dateInput, request.id);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'invalid-request') throw err;
        error = { field: 'date', text: t('supervisorTools.day.error.date') };
      }
    }
    const view = day && {
      agent: { ...day.agent, roleText: t(`staff.role.${day.agent.role}`) }, dateText: longDate(day.date, lang), date: day.date,
      calls: { more: day.calls.more, rows: day.calls.rows.map((c) => ({
        time: time(c.started_at, lang), at: c.started_at, ended: c.ended_at ? time(c.ended_at, lang) : t('supervisorTools.day.stillOpen'),
        reference: formatContactReference(c.reference), tier: c.tier ? wordFor(t, `supervisorTools.tier.${c.tier}`, c.tier) : '—',
        disposition: c.disposition ? wordFor(t, `desk.disposition.${c.disposition}`, c.disposition) : t('supervisorTools.day.noDisposition'), cases: c.cases,
      })) },
      attempts: { more: day.attempts.more, rows: day.attempts.rows.map((a) => ({
        time: time(a.at, lang), at: a.at, n: a.n, outcome: wordFor(t, `tier2Desk.outcome.${a.outcome}`, a.outcome), href: `/desk/callbacks/${encodeURIComponent(a.id)}`,
        urgency: t(`tier2Desk.urgency.${a.urgency === 'urgent' ? 'urgent' : 'regular'}`), skills: skillsText(a.skills, t), reason: a.reason,
      })) },
      given: { more: day.given.more, rows: day.given.rows.map((g) => ({
        time: time(g.assigned_at!, lang), at: g.assigned_at, href: `/desk/callbacks/${encodeURIComponent(g.id)}`, due: when(g.due_at, lang),
        status: t(`supervisorTools.callbackStatus.${g.status}`), skills: skillsText(g.skills, t), reason: g.reason,
      })) },
      transfers: { more: day.transfers.more, rows: day.transfers.rows.map((x) => ({ time: time(x.created_at, lang), at: x.created_at, skills: skillsText(x.skills, t), reason: x.reason })) },
      created: { more: day.created.more, rows: day.created.rows.map((r) => requestRow(r, r.created_at, lang, t)) },
      answered: { more: day.answered.more, rows: day.answered.rows.map((r) => requestRow(r, r.answered_at!, lang, t)) },
    };
    return reply.page('supervision/views/day.njk', {
      titleKey: 'supervisorTools.day.title', ...(view ? { outcome: t('supervisorTools.day.outcome', { name: view.agent.name, date: view.dateText }) } : {}),
      errors: error ? { [error.field]: error.text } : {}, errorList: error ? [{ href: error.field, text: error.text }] : [],
      nav: nav('day', staff, t), groups: groups(agents, t, ['tier1', 'tier2', 'office']), agentId, date: dateInput || (day?.date ?? ''), day: view,
    }, error ? 400 : 200);
  });

  const requestRow = (r: { referral_number: string; type: string; status: string; office: string }, at: string, lang: Lang, t: Translate) => ({
    time: time(at, lang), at, formatted: formatReferralNumber(r.referral_number), href: `/staff/service-requests/${encodeURIComponent(r.referral_number)}`,
    kind: kindTitle(r.type, lang), office: officeName(r.office, lang), status: t(`backOffice.status.${r.status}`),
  });

  // ── denied access ───────────────────────────────────────────────────────────────────────────────────────

  app.get('/supervisor/denied-access', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = request.query as Record<string, unknown>;
    const agent = text(q.agent);
    const page = pageNumber(q.page);
    const r = await sv.denied(staff, { staffId: agent || undefined }, page, DENIED_PAGE_SIZE, request.id);
    const pages = Math.max(1, Math.ceil(Math.min(r.total, DENIED_COUNT_CAP) / r.pageSize));
    const href = (p: number) => `/supervisor/denied-access?${new URLSearchParams({ ...(agent ? { agent } : {}), page: String(p) }).toString()}`;
    return reply.page('supervision/views/denied.njk', {
      titleKey: 'supervisorTools.denied.title', nav: nav('denied', staff, t), scope: r.scope, agent,
      groups: groups(r.staff, t, ['tier1', 'tier2', 'office', 'supervisor', 'ombudsman', 'admin']),
      total: r.total, capped: r.capped, page, pages,
      previous: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null,
      items: r.items.map((e) => ({
        ...e, when: when(e.at, lang), roleText: t(`staff.role.${e.staff.role}`), office: e.staff.office,
        why: e.code ? wordFor(t, `supervisorTools.denied.code.${e.code}`, e.code) : '—',
      })),
    });
  });
}
