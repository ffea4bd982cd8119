/**
 * The supervisor's live view (role supervisor, capability watch-queues):
 *   GET /supervisor         callbacks due, overdue and missed by skill; service requests per office; agents and what
 *                           they are doing; the overdue and missed callbacks, each linked to /desk/callbacks/<id>.
 *                           A plain page: a reload shows the same data without JavaScript.
 *   GET /supervisor/events  server-sent events: `snapshot` (the page's live part rendered again, and a summary for
 *                           the live region) when something changed, `tick` (the time read) when nothing did, and
 *                           `end` when the session ends or the role no longer watches queues.
 * The stream authenticates with StaffService.checkToken/checkSession, which read a session without extending it:
 * an open stream never keeps a session alive, and ends within one poll of the session's end. It reads the services
 * every STREAM_POLL_MS, and sooner after this process queues mail (a callback promised or missed). Streams end when
 * the client goes away and when the app closes (a preClose hook), so no timer outlives them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { CallbackService } from '../callbacks/service.ts';
import type { ServiceRequestService } from '../service-requests/service.ts';
import type { StaffService } from '../staff/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { Agency } from '../platform/reference.ts';
import type { Views } from '../platform/views/views.ts';
import type { StaffActor } from '../platform/authorize.ts';
import { authorize } from '../platform/authorize.ts';
import { can } from '../domain/capabilities.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { SESSION_COOKIE } from '../platform/http/auth.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDateTime, number } from '../platform/i18n/format.ts';
import { LATE_IN_HOURS_BELOW, STREAM_NUDGE_MS, STREAM_POLL_MS, STREAM_RETRY_MS } from './policy.ts';

export interface SupervisorPageDeps {
  callbacks: Pick<CallbackService, 'overview'>;
  serviceRequests: Pick<ServiceRequestService, 'overview'>;
  staff: Pick<StaffService, 'checkToken' | 'checkSession'>;
  /** Streams read again soon after mail is queued in this process (callbacks promised or missed). */
  outbox?: Pick<OutboxService, 'onEnqueue'>;
  agency: Pick<Agency, 'offices' | 'timeZone'>;
  views: Views;
}

const PAGE = 'supervisor/views/page.njk';
const LIVE = 'supervisor/views/_live.njk';

type Overview = Awaited<ReturnType<CallbackService['overview']>>;
type OfficeCounts = Awaited<ReturnType<ServiceRequestService['overview']>>;

/** What a stream sends when something changed: the live part as HTML and what the live region may announce. */
interface Snapshot {
  html: string;
  asOf: string;
  summary: { key: string; text: string };
}

interface Stream {
  /** Read the services again soon (a change was made in this process). */
  soon(): void;
  end(reason: string): void;
}

export function supervisorPages(app: FastifyInstance, deps: SupervisorPageDeps): void {
  const streams = new Set<Stream>();
  deps.outbox?.onEnqueue(() => {
    for (const s of streams) s.soon();
  });
  // Before the server stops accepting and waits for its connections: end every stream, so app.close() returns.
  app.addHook('preClose', async () => {
    for (const s of [...streams]) s.end('closing');
  });

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

  function snapshot(live: ReturnType<typeof present>, lang: Lang): Snapshot {
    return { html: deps.views.render(LIVE, { t: translator(lang), lang, live }), asOf: live.asOf, summary: live.summary };
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
    return reply.page(PAGE, { titleKey: 'supervisor.title', live, eventsHref: `/supervisor/events?lang=${lang}` });
  });

  app.get('/supervisor/events', async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    // Read without extending the session: the stream is not the person using the site.
    const token = request.cookies[SESSION_COOKIE];
    const first = token ? await deps.staff.checkToken(token) : null;
    if (!first?.live) throw new AppError('unauthenticated', 'Sign in first, then open /supervisor.');
    const sessionId = first.sessionId;
    let actor: StaffActor = authorize({ kind: 'staff', user: first.user, sessionId }, 'watch-queues');
    let last = snapshot(await read(actor, lang), lang);

    reply.hijack();
    const raw: ServerResponse = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
      // The socket closes with the stream (no idle keep-alive connection left for app.close() to wait on).
      connection: 'close', 'x-accel-buffering': 'no', 'x-trace-id': request.id,
    });
    let n = 0;
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\nid: ${++n}\ndata: ${JSON.stringify(data)}\n\n`);
    raw.write(`retry: ${STREAM_RETRY_MS}\n\n`);
    send('snapshot', last);

    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    let running = false;
    let again = false;
    const stop = (reason: string) => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      streams.delete(stream);
      request.log.info({ reason, events: n }, 'supervisor stream closed');
    };
    const stream: Stream = {
      soon: () => schedule(STREAM_NUDGE_MS),
      end: (reason) => {
        if (closed) return;
        // The app closing ends the response only: the browser reconnects to whichever instance serves next. Any
        // other end is final, and the page says why (the session ended, the role changed, the services failed).
        if (reason !== 'closing') send('end', { reason, text: t(`supervisor.ended.${reason === 'forbidden' || reason === 'error' ? reason : 'session'}`) });
        stop(reason);
        raw.end();
      },
    };
    let dueAt = 0;
    function schedule(ms: number) {
      if (closed) return;
      const at = Date.now() + ms;
      if (timer && dueAt <= at) return; // already due sooner
      clearTimeout(timer);
      dueAt = at;
      timer = setTimeout(() => {
        timer = undefined;
        void tick();
      }, ms);
    }
    async function tick() {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const check = await deps.staff.checkSession(sessionId);
        if (closed) return;
        if (!check.live) return stream.end(check.reason);
        if (!can(check.user.role, 'watch-queues')) return stream.end('forbidden');
        actor = { kind: 'staff', user: check.user, sessionId };
        const next = snapshot(await read(actor, lang), lang);
        if (closed) return;
        if (next.html !== last.html) send('snapshot', next);
        else send('tick', { asOf: next.asOf });
        last = next;
      } catch (err) {
        request.log.warn({ errName: (err as Error).name }, 'supervisor stream read failed');
        if (!closed) stream.end('error');
      } finally {
        running = false;
        if (!closed) schedule(again ? 0 : STREAM_POLL_MS);
        again = false;
      }
    }
    raw.on('close', () => stop('client-gone'));
    streams.add(stream);
    schedule(STREAM_POLL_MS);
  });
}
