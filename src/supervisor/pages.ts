/**
 * The supervisor's live view (role supervisor, capability watch-queues):
 *   GET /supervisor         callbacks due, overdue and missed by skill; service requests per office; agents and what
 *                           they are doing; the overdue and missed callbacks, each linked to /desk/callbacks/<id>.
 *                           A plain page: a reload shows the same data without JavaScript.
 *   GET /supervisor/events  server-sent events: `snapshot` (the page's live part rendered again, and a summary for
 *                           the live region) when something changed, `tick` (the time read) when nothing did, and
 *                           `end` when the session ends or the role no longer watches queues.
 * The stream's mechanics (a session read without extending it, polling, the nudge after mail is queued, the end on
 * app close) are src/platform/http/live-stream.ts, shared with the Tier 2 callback queue.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallbackService } from '../callbacks/service.ts';
import type { ServiceRequestService } from '../service-requests/service.ts';
import type { StaffService } from '../staff/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { Agency } from '../platform/reference.ts';
import type { Views } from '../platform/views/views.ts';
import type { StaffActor } from '../platform/authorize.ts';
import { authorize } from '../platform/authorize.ts';
import { liveStreams, type LiveSnapshot } from '../platform/http/live-stream.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDateTime, number } from '../platform/i18n/format.ts';
import { LATE_IN_HOURS_BELOW } from './policy.ts';
import type { SupervisorReviews } from '../call-reviews/pages.ts';

export interface SupervisorPageDeps {
  callbacks: Pick<CallbackService, 'overview'>;
  serviceRequests: Pick<ServiceRequestService, 'overview'>;
  staff: Pick<StaffService, 'checkToken' | 'checkSession'>;
  /** Streams read again soon after mail is queued in this process (callbacks promised or missed). */
  outbox?: Pick<OutboxService, 'onEnqueue'>;
  agency: Pick<Agency, 'offices' | 'timeZone'>;
  views: Views;
  /** "Calls under Ombudsman review" (src/call-reviews/pages.ts): the open reviews, under the live part. */
  callReviews?: SupervisorReviews;
}

const PAGE = 'supervisor/views/page.njk';
const LIVE = 'supervisor/views/_live.njk';

type Overview = Awaited<ReturnType<CallbackService['overview']>>;
type OfficeCounts = Awaited<ReturnType<ServiceRequestService['overview']>>;

export function supervisorPages(app: FastifyInstance, deps: SupervisorPageDeps): void {
  const streams = liveStreams(app, deps.outbox ? { outbox: deps.outbox } : {});

  const officeName = (code: string, lang: Lang) => deps.agency.offices.find((o) => o.code === code)?.name[lang] ?? code;
  const skillText = (key: string, t: Translate) => key.split('+').map((s) => t(`supervisor.skill.${s}`)).join(' + ');
  const when = (iso: string, lang: Lang) => longDateTime(iso, lang, deps.agency.timeZone);
  const locale = (lang: Lang) => (lang === 'es' ? 'es-US' : 'en-US');
  const clock = (iso: string, lang: Lang) => new Intl.DateTimeFormat(locale(lang), { hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short', timeZone: deps.agency.timeZone }).format(new Date(iso));
  /** A due time in a table: "Dec 1, 2026, 4:56 AM EST". */
  const short = (iso: string, lang: Lang) => new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: deps.agency.timeZone }).format(new Date(iso))
    + ' ' + (new Intl.DateTimeFormat('en-US', { timeZone: deps.agency.timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value ?? '');

  function lateBy(dueAt: string, now: string, t: Translate, lang: Lang): string {
    const hours = Math.max(0, (Date.parse(now) - Date.parse(dueAt)) / 3_600_000);
    if (hours < 1) return t('supervisor.late.underHour');
    if (hours < LATE_IN_HOURS_BELOW) return t('supervisor.late.hours', { n: number(Math.floor(hours), lang) });
    return t('supervisor.late.days', { n: number(Math.floor(hours / 24), lang) });
  }

  /** The view's data in the page's language (pure apart from the formatting). */
  function present(o: Overview, offices: OfficeCounts, lang: Lang) {
    const t = translator(lang);
    const bySkill = new Map<string, { key: string; due: number; overdue: number; missed: number }>();
    for (const c of o.callbacks) {
      const row = bySkill.get(c.skillKey) ?? { key: c.skillKey, due: 0, overdue: 0, missed: 0 };
      if (c.status === 'missed') row.missed += c.n;
      else if (c.overdue) row.overdue += c.n;
      else row.due += c.n;
      bySkill.set(c.skillKey, row);
    }
    const skills = [...bySkill.values()].sort((a, b) => b.overdue - a.overdue || b.due - a.due || a.key.localeCompare(b.key)).map((r) => ({ ...r, label: skillText(r.key, t) }));
    const totals = skills.reduce((s, r) => ({ due: s.due + r.due, overdue: s.overdue + r.overdue, missed: s.missed + r.missed }), { due: 0, overdue: 0, missed: 0 });
    const item = (c: Overview['overdue']['items'][number]) => ({
      id: c.id, href: `/desk/callbacks/${encodeURIComponent(c.id)}`, due: short(c.dueAt, lang), late: lateBy(c.dueAt, o.at, t, lang),
      skills: c.skills.map((s) => t(`supervisor.skill.${s}`)).join(' + '), urgency: t(`supervisor.urgency.${c.urgency === 'urgent' ? 'urgent' : 'regular'}`),
      attempts: c.attempts, reason: c.reason,
    });
    const agents = o.agents.map((a) => {
      // Tier 1 agents (and Tier 2 officers who never said) have no presence recorded: say so, not "away".
      const tracked = a.since !== null && a.since !== undefined;
      return {
        name: a.name, role: t(`staff.role.${a.role}`), agentId: a.agentId, skills: a.skills.map((s) => t(`supervisor.skill.${s}`)).join(', '),
        status: tracked ? a.status : 'untracked',
        statusText: tracked ? t(`supervisor.presence.${a.status}`) : t(a.role === 'tier1' ? 'supervisor.presence.untrackedTier1' : 'supervisor.presence.untracked'),
        onCall: a.onCall, since: tracked ? when(a.since!, lang) : null,
      };
    });
    const srTotals = offices.reduce((s, r) => ({ active: s.active + r.active, overdue: s.overdue + r.overdue }), { active: 0, overdue: 0 });
    const available = agents.filter((a) => a.status === 'available').length;
    return {
      at: o.at, asOf: t('supervisor.asOf', { time: clock(o.at, lang) }), asOfLong: when(o.at, lang),
      skills, totals,
      offices: offices.map((r) => ({ ...r, name: officeName(r.office, lang), href: `/staff/queue?office=${encodeURIComponent(r.office)}` })), srTotals,
      agents, available, onCall: agents.filter((a) => a.onCall).length,
      overdue: { items: o.overdue.items.map(item), total: o.overdue.total },
      missed: { items: o.missed.items.map(item), total: o.missed.total },
      summary: {
        // The live region speaks only when one of these numbers changes.
        key: [totals.due, totals.overdue, totals.missed, srTotals.overdue, available].join('|'),
        text: t('supervisor.announce', { due: totals.due, overdue: totals.overdue, missed: totals.missed, requests: srTotals.overdue, available }),
      },
    };
  }

  async function read(actor: StaffActor, lang: Lang) {
    const [o, offices] = await Promise.all([deps.callbacks.overview(actor), deps.serviceRequests.overview(actor)]);
    return present(o, offices, lang);
  }

  function snapshot(view: ReturnType<typeof present>, lang: Lang): LiveSnapshot {
    return { html: deps.views.render(LIVE, { t: translator(lang), lang, live: view }), asOf: view.asOf, summary: view.summary };
  }

  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<StaffActor | null> {
    const actor = await request.actor();
    if (actor.kind !== 'staff') {
      await reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
      return null;
    }
    return authorize(actor, 'watch-queues');
  }

  app.get('/supervisor', async (request, reply) => {
    const staff = await signedIn(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const live = await read(staff, lang);
    const callReviews = deps.callReviews ? await deps.callReviews(staff, lang, request.id) : null;
    return reply.page(PAGE, { titleKey: 'supervisor.title', live, callReviews, eventsHref: `/supervisor/events?lang=${lang}` });
  });

  app.get('/supervisor/events', async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    await streams.serve(request, reply, {
      staff: deps.staff, capabilities: ['watch-queues'], name: 'supervisor', page: '/supervisor',
      read: async (actor) => snapshot(await read(actor, lang), lang),
      endedText: (reason) => t(`supervisor.ended.${reason}`),
    });
  });
}
