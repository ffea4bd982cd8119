/**
 * Pages of scripts and the knowledge base:
 *   GET  /ask?q=&lang=                      public: answers from the published scripts (retrieval only), else where to go
 *   POST /desk/contacts/:id/scripts         the agent records the script read on the call → 303 back to the panel
 * and the desk's scripts panel (scriptsPanel), which the call screen (src/desk/pages.ts) shows: a GET search in the
 * call's language with a switch to the other, "Use this script" per match, the scripts already used on the call.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveLang, translator } from '../platform/views/views.ts';
import { requireStaff } from '../platform/http/auth.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import type { StaffActor } from '../platform/authorize.ts';
import type { ContactService } from '../contacts/service.ts';
import type { ContactView } from '../contacts/views.ts';
import type { ScriptService } from './service.ts';
import { ASK_OTHER_ANSWERS, DESK_PANEL_RESULTS, MAX_QUERY_CHARS } from './policy.ts';

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const langOf = (v: string): Lang => (v === 'es' ? 'es' : 'en');
/** A script's body as paragraphs (the reference files separate them with a blank line). */
const paragraphs = (body: string) => body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

export interface ScriptsPanel {
  q: string;
  scriptLang: Lang;
  otherLang: Lang;
  /** The same search in the other language (a link; no JavaScript needed). */
  otherHref: string;
  searched: boolean;
  total: number;
  results: Array<{ id: string; title: string; version: number; paragraphs: string[]; boundary: string | null; keywords: string[] }>;
  used: Array<{ id: string; title: string; version: number; language: string; at: string }>;
  /** The script just recorded (?script=…), to say so. */
  justUsed: string;
  open: boolean;
}

/** What the call screen's scripts panel shows for this call and query (?sq= words, ?slang= language). */
export function scriptsPanelFor(scripts: ScriptService) {
  return async (staff: StaffActor, query: Record<string, unknown>, view: ContactView): Promise<ScriptsPanel> => {
    const q = text(query.sq).slice(0, MAX_QUERY_CHARS);
    const asked = text(query.slang);
    const scriptLang = asked === 'en' || asked === 'es' ? asked : langOf(view.language);
    const otherLang: Lang = scriptLang === 'en' ? 'es' : 'en';
    const open = view.endedAt === null;
    const found = open && q.trim() ? await scripts.find(staff, q, scriptLang, DESK_PANEL_RESULTS) : { items: [], total: 0 };
    const used = view.events.filter((e) => e.kind === 'script').map((e) => ({
      id: String(e.detail?.scriptId ?? ''), title: String(e.detail?.title ?? ''), version: Number(e.detail?.version ?? 0), language: String(e.detail?.language ?? ''), at: e.at,
    }));
    return {
      q, scriptLang, otherLang, open, searched: q.trim() !== '', total: found.total,
      otherHref: `/desk/contacts/${encodeURIComponent(view.id)}?sq=${encodeURIComponent(q)}&slang=${otherLang}#scripts-heading`,
      results: found.items.map((s) => ({ id: s.id, title: s.title, version: s.version, paragraphs: paragraphs(s.body), boundary: s.legalAdviceBoundary, keywords: s.keywords })),
      used, justUsed: text(query.script),
    };
  };
}

export function scriptDeskPages(app: FastifyInstance, deps: { scripts: ScriptService; contacts: ContactService }): void {
  app.post('/desk/contacts/:id/scripts', async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = requireStaff(request, ['tier1', 'tier2']);
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const scriptId = text(body.scriptId).slice(0, 100);
    const slang = text(body.slang) === 'es' ? 'es' : 'en';
    const sq = text(body.sq).slice(0, MAX_QUERY_CHARS);
    const used = await deps.scripts.use(await staff, id, { scriptId, language: slang }, request.id);
    return reply.redirect(`/desk/contacts/${encodeURIComponent(id)}?sq=${encodeURIComponent(sq)}&slang=${slang}&script=${encodeURIComponent(used.scriptId)}#scripts-used`, 303);
  });
}

export function askPages(app: FastifyInstance, deps: { scripts: ScriptService }): void {
  app.get('/ask', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const q = text((request.query as Record<string, unknown>).q).slice(0, MAX_QUERY_CHARS);
    const asked = q.trim() !== '';
    const found = asked ? await deps.scripts.ask(q, lang, ASK_OTHER_ANSWERS + 1) : [];
    const [top, ...others] = found.map((s) => ({ id: s.id, title: s.title, paragraphs: paragraphs(s.body), boundary: s.legalAdviceBoundary }));
    const topics = asked ? [] : await deps.scripts.topics(lang);
    return reply.page('scripts/views/ask.njk', {
      titleKey: 'ask.title', q, asked, top: top ?? null, others,
      topics: topics.map((s) => ({ id: s.id, title: s.title, href: `/ask?q=${encodeURIComponent(s.title)}&lang=${lang}` })),
      heading: !asked ? '' : top ? t('ask.answerHeading') : t('ask.noAnswerHeading'),
    });
  });
}
