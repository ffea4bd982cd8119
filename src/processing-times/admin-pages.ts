/**
 * /admin/processing-times (admin, English and Spanish): what the public sees for each category and office of a form
 * (the figure, and whether it is published, computed from recent decisions or the 6-month default), and a form that
 * publishes one row. The page calls the same ProcessingTimeService methods as GET and PUT /api/v1/processing-times
 * (figure, publish), so the page and the API never disagree; publish audits in its transaction. Forms are
 * CSRF-checked by the page context; authorize() runs before anything is read or changed (403 for other roles).
 */
import { staffPage } from '../platform/http/auth.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../platform/authorize.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { longDate, number } from '../platform/i18n/format.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import type { Office } from '../platform/reference.ts';
import { categoryKey, type ProcessingTimeService } from './service.ts';
import { MONTHS80_MAX } from './policy.ts';

const PATH = '/admin/processing-times';
const text = (v: unknown, max = 200): string => (typeof v === 'string' ? v.slice(0, max) : '');
/** Months as typed: digits with an optional decimal point or comma (Spanish writes 7,5). */
const MONTHS_TYPED = /^\d{1,3}(?:[.,]\d{1,2})?$/;
const OFFICE_KINDS: readonly Office['kind'][] = ['service-center', 'benefits-center', 'field-office', 'asylum-office', 'appeals-office'];

/** The signed-in staff member allowed to publish reference data, or a redirect to sign in (null); 403 for other roles. */
const publisher = (request: FastifyRequest, reply: FastifyReply, next: string) => staffPage(request, reply, 'publish-reference-data', next);

export function processingTimeAdminPages(app: FastifyInstance, deps: { processingTimes: ProcessingTimeService }): void {
  const pt = deps.processingTimes;
  const { forms, offices } = pt.reference();
  const form = (code: string) => forms.find((f) => f.code === code.trim().toUpperCase());
  const office = (code: string) => offices.find((o) => o.code === code.trim().toUpperCase());
  const categoryOf = (formCode: string, category: string) => form(formCode)?.categories.find((c) => c.code.toLowerCase() === categoryKey(category));
  const formChoices = (lang: Lang) => forms.map((f) => ({ code: f.code, title: f.title[lang], categories: f.categories.map((c) => ({ code: c.code, label: c[lang] })) }));
  const officeGroups = (lang: Lang) => OFFICE_KINDS.map((kind) => ({ kind, offices: offices.filter((o) => o.kind === kind).map((o) => ({ code: o.code, name: o.name[lang] })) })).filter((g) => g.offices.length);

  /** What the public sees for one row, in words: the figure, its basis, and (when published) the row it comes from. */
  const present = async (formType: string, category: { code: string; label: string } | null, officeCode: string, publishedKeys: Set<string>, lang: Lang) => {
    const f = await pt.figure({ formType, formCategory: category?.code ?? '', office: officeCode });
    const exact = publishedKeys.has(`${categoryKey(category?.code)}|${officeCode}`);
    return {
      formType, category: category?.code ?? '', categoryLabel: category?.label ?? null, office: officeCode, officeName: office(officeCode)?.name[lang] ?? officeCode,
      months80: f.months80, months: number(f.months80, lang), basis: f.basis, asOfLong: longDate(f.asOf, lang),
      // A category without a row of its own shows the form's "all categories" row: say so, a row of its own would win.
      fromAllCategories: f.basis === 'published' && category !== null && !exact,
      publishHref: `${PATH}/new?${new URLSearchParams({ formType, formCategory: category?.code ?? '', office: officeCode }).toString()}`,
    };
  };

  app.get(PATH, async (request, reply) => {
    if (!await publisher(request, reply, PATH)) return reply;
    const lang = resolveLang(request, reply);
    const q = (request.query ?? {}) as Record<string, unknown>;
    const chosen = form(text(q.formType)) ?? forms[0]!;
    const officeFilter = office(text(q.office))?.code ?? '';
    const published = await pt.publishedOf(chosen.code);
    const keys = new Set(published.map((r) => `${categoryKey(r.formCategory)}|${r.office}`));
    const categories = [null, ...chosen.categories.map((c) => ({ code: c.code, label: c[lang] }))];
    const rows = [];
    for (const o of offices.filter((x) => !officeFilter || x.code === officeFilter)) {
      for (const c of categories) rows.push(await present(chosen.code, c, o.code, keys, lang));
    }
    const done = q.published === '1';
    return reply.page('processing-times/views/admin-list.njk', {
      titleKey: 'adminTimes.title', ...(done ? { outcome: translator(lang)('adminTimes.publishedDone') } : {}), done,
      forms: formChoices(lang), officeGroups: officeGroups(lang), filter: { formType: chosen.code, office: officeFilter }, formTitle: chosen.title[lang],
      rows, counts: { published: rows.filter((r) => r.basis === 'published').length, computed: rows.filter((r) => r.basis === 'computed').length, default: rows.filter((r) => r.basis === 'default').length },
      newHref: `${PATH}/new?${new URLSearchParams({ formType: chosen.code, office: officeFilter }).toString()}`,
    });
  });

  type Values = { formType: string; formCategory: string; office: string; months80: string; asOf: string };
  const renderForm = async (reply: FastifyReply, lang: Lang, values: Values, errors: Record<string, string>, status = 200) => {
    // The row as the public sees it now, when the form names one.
    const f = form(values.formType);
    const o = office(values.office);
    const cat = f ? categoryOf(f.code, values.formCategory) : undefined;
    const current = f && o && (values.formCategory === '' || cat)
      ? await present(f.code, cat ? { code: cat.code, label: cat[lang] } : null, o.code, new Set((await pt.publishedOf(f.code)).map((r) => `${categoryKey(r.formCategory)}|${r.office}`)), lang)
      : null;
    return reply.page('processing-times/views/admin-new.njk', {
      titleKey: 'adminTimes.new.title', forms: formChoices(lang), officeGroups: officeGroups(lang), values: { ...values, categoryForm: cat ? f!.code : '' }, current,
      errors, errorList: Object.entries(errors).map(([field, msg]) => ({ href: field, text: msg })),
    }, status);
  };

  app.get(`${PATH}/new`, async (request, reply) => {
    if (!await publisher(request, reply, `${PATH}/new`)) return reply;
    const q = (request.query ?? {}) as Record<string, unknown>;
    const values = { formType: text(q.formType).toUpperCase(), formCategory: text(q.formCategory), office: text(q.office).toUpperCase(), months80: '', asOf: pt.today() };
    return renderForm(reply, resolveLang(request, reply), values, {});
  });

  app.post(PATH, async (request, reply) => {
    const actor = await publisher(request, reply, `${PATH}/new`);
    if (!actor) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: Values = { formType: text(body.formType).toUpperCase(), formCategory: text(body.formCategory), office: text(body.office).toUpperCase(), months80: text(body.months80, 20).trim(), asOf: text(body.asOf, 20).trim() };
    // What only the form can get wrong: a category of another form, months that are not a number. The rest (a
    // known form and office, a real date, months in range) is the service's own check, the one the API makes.
    const errors: Record<string, string> = {};
    const category = categoryOf(values.formType, values.formCategory);
    if (values.formCategory && form(values.formType) && !category) errors.formCategory = t('adminTimes.error.formCategory.other-form', { form: values.formType });
    const months80 = MONTHS_TYPED.test(values.months80) ? Number(values.months80.replace(',', '.')) : Number.NaN;
    if (Number.isNaN(months80)) errors.months80 = t(values.months80 ? 'adminTimes.error.months80.not-a-number' : 'adminTimes.error.months80.missing');
    const row = { formType: values.formType, formCategory: category?.code ?? null, office: values.office, months80, asOf: values.asOf };
    for (const e of pt.problems([row])) {
      const field = e.field.replace(/^0\./, '');
      errors[field] ??= t(`adminTimes.error.${field}.${e.code}`, { max: MONTHS80_MAX });
    }
    if (Object.keys(errors).length) {
      // In the order of the fields on the form, so the summary reads top to bottom.
      const ordered = Object.fromEntries(['formType', 'formCategory', 'office', 'months80', 'asOf'].filter((k) => errors[k]).map((k) => [k, errors[k]!]));
      return renderForm(reply, lang, values, ordered, 400);
    }
    await pt.publish([row], actor, request.id);
    return reply.redirect(`${PATH}?${new URLSearchParams({ formType: values.formType, office: values.office, published: '1' }).toString()}`, 303);
  });
}
