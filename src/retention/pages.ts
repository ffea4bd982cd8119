/**
 * Retention rules in the browser (admins; English and Spanish; no JavaScript needed):
 *   GET  /admin/retention          every kind's rule, its default, what the next purge would remove and what holds keep
 *   GET  /admin/retention/:kind    the form for one rule (period and basis)
 *   POST /admin/retention/:kind    changes it → 303 to the list saying so; refused input: the form again, each field's error
 * The change goes through RetentionService#changeRule (authorize, the rules file's own limits, the change and its
 * audit entry in one transaction); the purge reads the table each time it runs, on every instance.
 */
import { staffPage } from '../platform/http/auth.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../platform/errors/catalogue.ts';
import { authorize, type StaffActor } from '../platform/authorize.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import { REVIEW_WINDOW_DAYS } from '../call-reviews/policy.ts';
import { DRAFT_KEEP_DAYS } from '../ombudsman/policy.ts';
import type { RetentionService, RuleView } from './service.ts';
import { BASIS_MAX, UNIT_MAX, UNITS, type RetentionRule } from './policy.ts';

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const DONE_KINDS = new Set(['contacts', 'recordings', 'feedback', 'documents']);

/** A rule in the reader's words: "3 years after the call ended" / "3 años después de terminar la llamada". */
export function ruleWords(rule: RetentionRule, lang: Lang): string {
  const t = translator(lang);
  if ('with' in rule) return t(`adminRetention.with.${rule.with}`);
  return t(`adminRetention.after.${rule.after}`, { period: t(`adminRetention.unit.${rule.keep.unit}${rule.keep.n === 1 ? 'One' : ''}`, { n: rule.keep.n }) });
}

export function retentionPages(app: FastifyInstance, deps: { retention: RetentionService; timeZone: string }): void {
  const admin = (request: FastifyRequest, reply: FastifyReply) => staffPage(request, reply, 'publish-reference-data');

  const view = (r: RuleView, lang: Lang) => ({
    ...r, wordsText: ruleWords(r.rule, lang), updatedText: r.updatedAt ? longDateTime(r.updatedAt, lang, deps.timeZone) : '',
    isDefault: r.words === r.defaultWords, fromFile: r.updatedBy === 'system',
  });

  app.get('/admin/retention', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const rules = await deps.retention.ruleList(staff);
    const plan = await deps.retention.plan();
    const byKind = new Map(plan.kinds.map((k) => [k.kind, k]));
    const done = text((request.query as Record<string, unknown>).changed);
    const changed = DONE_KINDS.has(done) ? done : '';
    const t = translator(lang);
    return reply.page('retention/views/rules.njk', {
      titleKey: 'adminRetention.title', ...(changed ? { outcome: t('adminRetention.changed', { kind: t(`adminRetention.kind.${changed}`) }) } : {}), changed,
      rules: rules.map((r) => ({ ...view(r, lang), due: byKind.get(r.kind)?.removed ?? 0, held: byKind.get(r.kind)?.held ?? null })),
      draftDays: DRAFT_KEEP_DAYS,
    });
  });

  const renderForm = async (reply: FastifyReply, staff: StaffActor, lang: Lang, kind: string, extra: { values?: { unit: string; n: string; basis: string; revision: string }; errors?: Record<string, string>; problem?: string } = {}, status = 200) => {
    const rule = (await deps.retention.ruleList(staff)).find((r) => r.kind === kind && r.changeable);
    if (!rule || 'with' in rule.rule) throw new AppError('not-found', 'There is no rule of this kind that can be changed here.');
    const errors = extra.errors ?? {};
    return reply.page('retention/views/rule-form.njk', {
      titleKey: 'adminRetention.form.title', rule: view(rule, lang),
      values: extra.values ?? { unit: rule.rule.keep.unit, n: String(rule.rule.keep.n), basis: rule.rule.basis, revision: String(rule.revision) },
      units: UNITS, unitMax: UNIT_MAX, reviewDays: REVIEW_WINDOW_DAYS, basisMax: BASIS_MAX, reviewed: kind === 'contacts' || kind === 'recordings',
      errors, errorList: Object.entries(errors).map(([href, msg]) => ({ href, text: msg })), problem: extra.problem ?? '', hasError: Boolean(extra.problem),
    }, status);
  };

  app.get('/admin/retention/:kind', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    return renderForm(reply, staff, resolveLang(request, reply), (request.params as { kind: string }).kind);
  });

  app.post('/admin/retention/:kind', async (request, reply) => {
    const staff = await admin(request, reply);
    if (!staff) return reply;
    const lang = resolveLang(request, reply);
    const { kind } = request.params as { kind: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { unit: text(body.unit).slice(0, 20), n: text(body.n).slice(0, 20), basis: text(body.basis).slice(0, 20_000), revision: text(body.revision).slice(0, 12) };
    const revision = /^[0-9]{1,9}$/.test(values.revision) ? Number(values.revision) : -1;
    try {
      await deps.retention.changeRule(staff, kind, { unit: values.unit, n: values.n, basis: values.basis, revision }, request.id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const t = translator(lang);
      if (err.code === 'invalid-request') {
        const errors: Record<string, string> = {};
        for (const e of (err.extensions.errors as FieldError[] | undefined) ?? []) {
          errors[e.field] ??= t(`adminRetention.error.${e.field}.${e.code}`, { days: REVIEW_WINDOW_DAYS, max: e.field === 'basis' ? BASIS_MAX : UNIT_MAX[values.unit as keyof typeof UNIT_MAX] ?? 0, unit: t(`adminRetention.unitName.${values.unit}`) });
        }
        return renderForm(reply, staff, lang, kind, { values, errors }, 400);
      }
      if (err.code === 'conflict') return renderForm(reply, staff, lang, kind, { problem: t('adminRetention.conflict') }, 409);
      throw err;
    }
    return reply.redirect(`/admin/retention?changed=${encodeURIComponent(kind)}`, 303);
  });
}
