/**
 * Writing and reviewing scripts in the browser (admins; English and Spanish; no JavaScript needed):
 *   GET  /admin/scripts                          every script (newest version, published or retired), drafts waiting
 *   GET  /admin/scripts/new                      the form for a new script
 *   GET  /admin/scripts/:slug                    a script: its text, its versions, its drafts, "Retire"
 *   GET  /admin/scripts/:slug/draft              the form for its next version, filled in with the newest text
 *   POST /admin/scripts/drafts                   writes a draft → 303 to the draft
 *   GET  /admin/scripts/drafts/:id               the draft beside the published text, with the actions the reader may take
 *   POST /admin/scripts/drafts/:id/approve       a second admin approves (never the author)
 *   POST /admin/scripts/drafts/:id/reject        sends it back, saying why (the author may withdraw their own)
 *   POST /admin/scripts/drafts/:id/publish       publishes an approved draft: what GET /api/v1/scripts finds from then on
 *   POST /admin/scripts/:slug/retire             retires a script, saying why
 * Every change goes through ScriptService (authorize, the review rule of policy.ts, the change and its audit entry in
 * one transaction); forms are CSRF-checked by the page context.
 */
import { staffPage } from '../platform/http/auth.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../platform/errors/catalogue.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import type { ScriptService } from './service.ts';
import type { ScriptText } from './checks.ts';
import type { DraftView } from './views.ts';
import { BODY_MAX, BODY_MIN, BOUNDARY_MAX, NOTE_MAX, SLUG_MAX, TITLE_MAX, TITLE_MIN } from './policy.ts';

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const paragraphs = (body: string) => body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
const LANGS = ['en', 'es'] as const;
const PARTS = ['title', 'body', 'keywords', 'legalAdviceBoundary'] as const;
/** A form field's id: `en.title` → `enTitle`, `es.legalAdviceBoundary` → `esBoundary`. */
const fieldId = (field: string) => {
  const [lang, part] = field.split('.');
  if (!part) return field;
  return `${lang}${part === 'legalAdviceBoundary' ? 'Boundary' : part[0]!.toUpperCase() + part.slice(1)}`;
};
/** The shortest and longest of each field, for its error message. */
const LIMITS: Record<string, [number, number]> = { title: [TITLE_MIN, TITLE_MAX], body: [BODY_MIN, BODY_MAX], legalAdviceBoundary: [0, BOUNDARY_MAX], slug: [1, SLUG_MAX] };
const DONE = ['drafted', 'approved', 'rejected', 'published', 'retired'] as const;

type FormValues = Record<string, string>;
const emptyValues = (): FormValues => Object.fromEntries(['slug', ...LANGS.flatMap((l) => PARTS.map((p) => fieldId(`${l}.${p}`)))].map((k) => [k, '']));
const valuesOf = (t: { en: ScriptText; es: ScriptText }, slug: string): FormValues => ({
  slug,
  ...Object.fromEntries(LANGS.flatMap((l) => [
    [fieldId(`${l}.title`), t[l].title], [fieldId(`${l}.body`), t[l].body], [fieldId(`${l}.keywords`), t[l].keywords.join('\n')],
    [fieldId(`${l}.legalAdviceBoundary`), t[l].legalAdviceBoundary ?? ''],
  ])),
});

/** The text of one language as a page shows it. */
const shown = (t: ScriptText) => ({ title: t.title, paragraphs: paragraphs(t.body), keywords: t.keywords, boundary: t.legalAdviceBoundary ?? null });

export function adminScriptPages(app: FastifyInstance, deps: { scripts: ScriptService; timeZone: string }): void {
  const when = (instant: string | null, lang: Lang) => (instant ? longDateTime(instant, lang, deps.timeZone) : '');

  /** The signed-in admin, or a redirect to sign in and back (null); 403 for every other role, before anything is read. */
  const admin = (request: FastifyRequest, reply: FastifyReply) => staffPage(request, reply, 'publish-reference-data');

  /** Field errors in the page's words (`adminScripts.error.<field>.<code>`), keyed by form field id. */
  const fieldErrors = (err: AppError, lang: Lang): Record<string, string> => {
    const t = translator(lang);
    const out: Record<string, string> = {};
    for (const e of (err.extensions.errors as FieldError[] | undefined) ?? []) {
      const part = e.field.includes('.') ? e.field.split('.')[1]! : e.field;
      const message = t(`adminScripts.error.${part}.${e.code}`, { min: LIMITS[part]?.[0] ?? 0, max: LIMITS[part]?.[1] ?? NOTE_MAX });
      // Both languages have the same fields: the message says which one.
      const lang = e.field.includes('.') ? e.field.split('.')[0]! : null;
      out[fieldId(e.field)] ??= lang ? t('adminScripts.error.inLanguage', { language: t(`adminScripts.field.language.${lang}`), message }) : message;
    }
    return out;
  };
  /** A 409 in the page's words, by the service's reason. */
  const conflictText = (err: AppError, lang: Lang) => translator(lang)(`adminScripts.conflict.${String(err.extensions.reason ?? 'moved-on')}`);
  const summary = (errors: Record<string, string>) => Object.entries(errors).map(([id, msg]) => ({ href: id, text: msg }));

  // ---------------------------------------------------------------- the list

  app.get('/admin/scripts', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const { topics, drafts } = await deps.scripts.manage(staff);
    const titles = new Map(topics.map((s) => [s.id, s.title]));
    return reply.page('scripts/views/admin-list.njk', {
      titleKey: 'adminScripts.title',
      topics: topics.map((s) => ({ ...s, atText: when(s.at, lang) })),
      drafts: drafts.map((d) => ({ ...d, title: titles.get(d.slug) ?? d.en.title, createdText: when(d.createdAt, lang) })),
      published: topics.filter((s) => s.status === 'published').length, retired: topics.filter((s) => s.status === 'retired').length,
    });
  });

  // ---------------------------------------------------------------- writing a draft

  const renderForm = (reply: FastifyReply, ctx: { slug: string | null; baseVersion: number | null; values: FormValues; errors?: Record<string, string>; problem?: string }, status = 200) => {
    const errors = ctx.errors ?? {};
    return reply.page('scripts/views/admin-draft-form.njk', {
      titleKey: ctx.slug ? 'adminScripts.form.versionTitle' : 'adminScripts.form.newTitle',
      slug: ctx.slug, baseVersion: ctx.baseVersion, values: ctx.values, errors, errorList: summary(errors), problem: ctx.problem ?? '',
      hasError: Boolean(ctx.problem), max: { title: TITLE_MAX, body: BODY_MAX, boundary: BOUNDARY_MAX, slug: SLUG_MAX },
    }, status);
  };

  app.get('/admin/scripts/new', async (request, reply) => {
    if (!await admin(request, reply)) return reply;
    return renderForm(reply, { slug: null, baseVersion: null, values: emptyValues() });
  });

  app.get('/admin/scripts/:slug/draft', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    const topic = await deps.scripts.topic(staff, (request.params as { slug: string }).slug);
    // A draft already waits: review it (one open draft per script).
    if (topic.openDraft) return reply.redirect(`/admin/scripts/drafts/${topic.openDraft.id}`, 303);
    return renderForm(reply, { slug: topic.id, baseVersion: topic.version, values: valuesOf(topic.current, topic.id) });
  });

  app.post('/admin/scripts/drafts', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(Object.keys(emptyValues()).map((k) => [k, text(body[k]).slice(0, 20_000)]));
    const newTopic = text(body.newTopic) === '1';
    const base = Number.parseInt(text(body.baseVersion), 10);
    const baseVersion = Number.isInteger(base) && base > 0 ? base : null;
    const input = Object.fromEntries(LANGS.map((l) => [l, Object.fromEntries(PARTS.map((p) => [p, values[fieldId(`${l}.${p}`)]]))]));
    try {
      const d = await deps.scripts.writeDraft(staff, { slug: values.slug!, newTopic, baseVersion, en: input.en!, es: input.es! }, request.id);
      return reply.redirect(`/admin/scripts/drafts/${d.id}?done=drafted`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || !['invalid-request', 'conflict'].includes(err.code)) throw err;
      const ctx = { slug: newTopic ? null : values.slug!, baseVersion, values };
      if (err.code === 'conflict') return renderForm(reply, { ...ctx, problem: conflictText(err, lang) }, 409);
      return renderForm(reply, { ...ctx, errors: fieldErrors(err, lang) }, 400);
    }
  });

  // ---------------------------------------------------------------- one script

  const renderTopic = async (request: FastifyRequest, reply: FastifyReply, staff: StaffActor, slug: string, extra: { done?: string; errors?: Record<string, string>; reason?: string; problem?: string } = {}, status = 200) => {
    const lang = resolveLang(request, reply);
    const topic = await deps.scripts.topic(staff, slug);
    const errors = extra.errors ?? {};
    const done = (DONE as readonly string[]).includes(extra.done ?? '') ? extra.done! : '';
    return reply.page('scripts/views/admin-topic.njk', {
      titleKey: 'adminScripts.topic.title', ...(done ? { outcome: translator(lang)(`adminScripts.done.${done}`) } : {}), done,
      topic: { ...topic, retiredText: when(topic.retiredAt, lang) }, current: { en: shown(topic.current.en), es: shown(topic.current.es) },
      versions: topic.versions.map((v) => ({ ...v, publishedText: when(v.publishedAt, lang) })),
      drafts: topic.drafts.map((d) => ({ ...d, createdText: when(d.createdAt, lang) })),
      errors, errorList: summary(errors), reason: extra.reason ?? '', problem: extra.problem ?? '', hasError: Boolean(extra.problem),
    }, status);
  };

  app.get('/admin/scripts/:slug', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    return renderTopic(request, reply, staff, (request.params as { slug: string }).slug, { done: text((request.query as Record<string, unknown>).done) });
  });

  app.post('/admin/scripts/:slug/retire', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    const { slug } = request.params as { slug: string };
    const reason = text((request.body as Record<string, unknown> | undefined)?.reason).slice(0, 20_000);
    const lang = resolveLang(request, reply);
    try {
      await deps.scripts.retire(staff, slug, reason, request.id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'invalid-request') return renderTopic(request, reply, staff, slug, { errors: fieldErrors(err, lang), reason }, 400);
      if (err.code === 'conflict') return renderTopic(request, reply, staff, slug, { problem: conflictText(err, lang) }, 409);
      throw err;
    }
    return reply.redirect(`/admin/scripts/${encodeURIComponent(slug)}?done=retired`, 303);
  });

  // ---------------------------------------------------------------- one draft: review, send back, publish

  const renderDraft = async (request: FastifyRequest, reply: FastifyReply, staff: StaffActor, id: string, extra: { done?: string; errors?: Record<string, string>; note?: string; problem?: string } = {}, status = 200) => {
    const lang = resolveLang(request, reply);
    const d: DraftView = await deps.scripts.draft(staff, id);
    const topic = d.baseVersion === null ? null : await deps.scripts.topic(staff, d.slug);
    const errors = extra.errors ?? {};
    const done = (DONE as readonly string[]).includes(extra.done ?? '') ? extra.done! : '';
    return reply.page('scripts/views/admin-draft.njk', {
      titleKey: 'adminScripts.draft.title', ...(done ? { outcome: translator(lang)(`adminScripts.done.${done}`) } : {}), done,
      draft: { ...d, createdText: when(d.createdAt, lang), reviewedText: when(d.reviewedAt, lang), publishedText: when(d.publishedAt, lang) },
      proposed: { en: shown(d.en), es: shown(d.es) },
      current: topic ? { version: topic.version, status: topic.status, en: shown(topic.current.en), es: shown(topic.current.es) } : null,
      nextVersion: (topic?.version ?? 0) + 1,
      errors, errorList: summary(errors), note: extra.note ?? '', problem: extra.problem ?? '', hasError: Boolean(extra.problem),
    }, status);
  };

  app.get('/admin/scripts/drafts/:id', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    return renderDraft(request, reply, staff, (request.params as { id: string }).id, { done: text((request.query as Record<string, unknown>).done) });
  });

  const act = (path: 'approve' | 'reject' | 'publish', done: (typeof DONE)[number], run: (staff: StaffActor, id: string, body: Record<string, unknown>, request: FastifyRequest) => Promise<DraftView>) => {
    app.post(`/admin/scripts/drafts/:id/${path}`, async (request, reply) => {
      const staff = await admin(request, reply);
      if (!staff) return reply;
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, unknown>;
      const lang = resolveLang(request, reply);
      let d: DraftView;
      try {
        d = await run(staff, id, body, request);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'invalid-request') return renderDraft(request, reply, staff, id, { errors: fieldErrors(err, lang), note: text(body.note).slice(0, 20_000) }, 400);
        if (err.code === 'conflict') return renderDraft(request, reply, staff, id, { problem: conflictText(err, lang) }, 409);
        throw err;
      }
      // Published: the script's page shows the new version; otherwise back to the draft.
      return reply.redirect(path === 'publish' ? `/admin/scripts/${encodeURIComponent(d.slug)}?done=published` : `/admin/scripts/drafts/${d.id}?done=${done}`, 303);
    });
  };
  act('approve', 'approved', (staff, id, _body, request) => deps.scripts.approveDraft(staff, id, request.id));
  act('reject', 'rejected', (staff, id, body, request) => deps.scripts.rejectDraft(staff, id, text(body.note).slice(0, 20_000), request.id));
  act('publish', 'published', (staff, id, _body, request) => deps.scripts.publishDraft(staff, id, request.id));
}
