/**
 * Public pages: "Check processing times" (GET /processing-times) and "Can I ask about my case yet?" (GET /inquiry).
 * Plain GET forms, so they work without JavaScript and a result can be bookmarked; copy in the i18n catalogues.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import type { Office } from '../platform/reference.ts';
import type { Figure, Inquiry, ProcessingTimeService } from './service.ts';
import { longDate, number } from '../platform/i18n/format.ts';
import { queryValue } from '../platform/http/query.ts';

/** The online request form for a case outside normal processing time; the "Ask online" button appears once it exists. */
const ONLINE_INQUIRY_ROUTE = '/service-requests/new/:type';
const ONLINE_INQUIRY_TYPE = 'outside-normal-processing-time';

/** Office kinds in the order the office list groups them. */
const OFFICE_KINDS: readonly Office['kind'][] = ['service-center', 'benefits-center', 'field-office', 'asylum-office', 'appeals-office'];

export function processingTimePages(app: FastifyInstance, deps: { processingTimes: ProcessingTimeService; hasPage: (path: string) => boolean }): void {
  const { forms, offices } = deps.processingTimes.reference();
  const officeName = (code: string, lang: Lang) => offices.find((o) => o.code === code)?.name[lang] ?? code;
  const formTitle = (code: string, lang: Lang) => forms.find((f) => f.code === code)?.title[lang] ?? '';

  /** A figure as the pages show it: words and dates in the page's language. */
  const presentFigure = (f: Figure, lang: Lang) => {
    const category = forms.find((x) => x.code === f.formType)?.categories.find((c) => c.code === f.formCategory);
    return {
      ...f,
      formTitle: formTitle(f.formType, lang),
      categoryLabel: f.formCategory ? (category?.[lang] ?? f.formCategory) : null,
      officeName: officeName(f.office, lang),
      months: number(f.months80, lang),
      asOfLong: longDate(f.asOf, lang),
      inquiryReceiptDateLong: longDate(f.inquiryReceiptDate, lang),
    };
  };

  app.get('/processing-times', { config: { rateLimit: 'public' } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = resolveLang(request, reply);
    const selected = { formType: queryValue(request.query, 'formType').toUpperCase(), formCategory: queryValue(request.query, 'formCategory'), office: queryValue(request.query, 'office').toUpperCase() };
    const model = {
      titleKey: 'processingTimes.title',
      forms: forms.map((f) => ({ code: f.code, title: f.title[lang], categories: f.categories.map((c) => ({ code: c.code, label: c[lang] })) })),
      officeGroups: OFFICE_KINDS.map((kind) => ({ kind, offices: offices.filter((o) => o.kind === kind).map((o) => ({ code: o.code, name: o.name[lang] })) })).filter((g) => g.offices.length),
      selected: { ...selected, categoryForm: selected.formType }, errors: {} as Record<string, string>, result: null as ReturnType<typeof presentFigure> | null, inquiryPage: deps.hasPage('/inquiry'),
    };
    // The form has `novalidate`: sent empty, it still counts as asked and every check is made here.
    const q = (request.query ?? {}) as Record<string, unknown>;
    const asked = ['formType', 'formCategory', 'office'].some((k) => k in q);
    if (!asked) return reply.page('processing-times/views/processing-times.njk', model);

    const form = forms.find((f) => f.code === selected.formType);
    const category = selected.formCategory.toLowerCase();
    // Errors in the order of the fields; a category picked under another form stays selected there.
    if (!form) model.errors.formType = 'errorForm';
    if (form && category && !form.categories.some((c) => c.code.toLowerCase() === category)) {
      model.errors.formCategory = 'errorCategory';
      model.selected.categoryForm = forms.find((f) => f.categories.some((c) => c.code.toLowerCase() === category))?.code ?? '';
    }
    if (!offices.some((o) => o.code === selected.office)) model.errors.office = 'errorOffice';
    if (Object.keys(model.errors).length) return reply.page('processing-times/views/processing-times.njk', model, 400);

    model.result = presentFigure(await deps.processingTimes.figure(selected), lang);
    const t = translator(lang);
    const months = model.result.months80 === 1 ? t('processingTimes.monthsOne') : t('processingTimes.months', { months: model.result.months });
    return reply.page('processing-times/views/processing-times.njk', { ...model, outcome: `${model.result.formType}: ${months}` });
  });

  app.get('/inquiry', { config: { rateLimit: 'public' } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = resolveLang(request, reply);
    const receiptNumber = queryValue(request.query, 'receiptNumber');
    const model = {
      titleKey: 'inquiry.title', receiptNumber, problem: null as string | null,
      result: null as (Inquiry & { receiptNumber: string; figure: ReturnType<typeof presentFigure>; receivedLong: string; earliestLong: string | null; caseOfficeName: string }) | null,
      processingTimesHref: null as string | null, onlineRequestHref: null as string | null, caseStatusPage: deps.hasPage('/case-status'), onlinePages: false,
    };
    // The form has `novalidate`: sent empty, it is an error with our own words, not the browser's.
    if (!receiptNumber) {
      if (!('receiptNumber' in ((request.query ?? {}) as Record<string, unknown>))) return reply.page('processing-times/views/inquiry.njk', model);
      return reply.page('processing-times/views/inquiry.njk', { ...model, problem: 'missing', hasError: true }, 400);
    }
    try {
      const r = await deps.processingTimes.inquiryByReceipt(receiptNumber);
      const figure = presentFigure(r.processingTime, lang);
      model.result = {
        ...r, figure, receivedLong: longDate(r.receivedDate, lang), earliestLong: longDate(r.earliestInquiryDate, lang),
        caseOfficeName: officeName(r.caseOffice, lang),
      };
      const q = new URLSearchParams({ formType: r.processingTime.formType, formCategory: r.processingTime.formCategory ?? '', office: r.processingTime.office });
      model.processingTimesHref = `/processing-times?${q.toString()}`;
      model.onlinePages = deps.hasPage(ONLINE_INQUIRY_ROUTE);
      if (model.onlinePages && r.outsideNormalProcessingTime && !r.decided) {
        model.onlineRequestHref = `/service-requests/new/${ONLINE_INQUIRY_TYPE}?${new URLSearchParams({ receiptNumber: r.receiptNumber, lang }).toString()}`;
      }
      // The form is cleared after an answer; the answer names the case by its normalised receipt number.
      model.receiptNumber = '';
      const t = translator(lang);
      const outcome = r.decided ? t('inquiry.decidedHeading') : r.outsideNormalProcessingTime ? t('inquiry.yesHeading') : t('inquiry.notYetHeading', { date: model.result.earliestLong ?? '' });
      return reply.page('processing-times/views/inquiry.njk', { ...model, outcome });
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'invalid-receipt-number' && err.code !== 'not-found')) throw err;
      // What was typed is not shown again: an invalid or unknown receipt number is never echoed.
      model.problem = err.code === 'not-found' ? 'unknown' : 'invalid';
      model.receiptNumber = '';
      return reply.page('processing-times/views/inquiry.njk', { ...model, hasError: true, outcome: translator(lang)(`inquiry.${model.problem}Heading`) }, err.status);
    }
  });
}
