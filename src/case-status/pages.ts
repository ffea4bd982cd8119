/**
 * Case Status Online for people: GET /case-status (the form) and POST /case-status (the result, shown directly),
 * in English and Spanish, working without JavaScript. Malformed numbers are never echoed back.
 */
import type { FastifyInstance } from 'fastify';
import type { Localised } from '../platform/reference.ts';
import { longDate } from '../platform/i18n/format.ts';
import type { PresentedCase, PresentedEntry } from './presenter.ts';
import type { CaseStatusService } from './service.ts';
import { legacyCaseStatusForm } from './legacy.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import type { ProcessingTimeService } from '../processing-times/service.ts';

export interface CaseStatusPageDeps {
  caseStatus: CaseStatusService;
  /** When given, a result says whether the case may be asked about online yet (and links to the online request). */
  processingTimes?: Pick<ProcessingTimeService, 'inquiryByReceipt'>;
}

/** Whether the case can be asked about online now, or from which date; null when no processing time applies. */
async function askOnline(deps: CaseStatusPageDeps, receiptNumber: string, lang: Lang) {
  const inquiry = await deps.processingTimes?.inquiryByReceipt(receiptNumber).catch(() => null);
  const q = (extra: Record<string, string> = {}) => new URLSearchParams({ receiptNumber, ...extra, lang }).toString();
  return {
    decided: inquiry?.decided ?? false,
    outside: inquiry ? inquiry.outsideNormalProcessingTime && !inquiry.decided : false,
    earliest: inquiry && !inquiry.decided && !inquiry.outsideNormalProcessingTime ? longDate(inquiry.earliestInquiryDate, lang) : null,
    inquiryHref: `/service-requests/new/outside-normal-processing-time?${q()}`,
    otherHref: `/service-requests?${q()}`,
  };
}

const TEMPLATE = 'case-status/views/case-status.njk';

/** An entry with its date written out in both languages, for the templates. */
const pageEntry = (e: PresentedEntry) => ({ ...e, iso: e.date, date: { en: longDate(e.date, 'en'), es: longDate(e.date, 'es') } satisfies Localised });

/** What the result template shows of a case. */
const pageModel = (c: PresentedCase) => ({
  receiptNumber: c.receiptNumber, formType: c.formType, formTitle: c.formTitle, current: pageEntry(c.current), earlier: c.earlier.map(pageEntry),
});

const blank = { result: null, fieldError: null, unknown: false, entered: '' };

/** GET /case-status: registered inside pageContext with the other pages. */
export function caseStatusPages(app: FastifyInstance): void {
  app.get('/case-status', { config: { rateLimit: 'public' } }, async (_request, reply) =>
    reply.page(TEMPLATE, { titleKey: 'caseStatus.title', ...blank }));
}

/**
 * The public look-up forms: POST /case-status and the legacy POST /casestatus/mycasestatus.do. They only read
 * public status, so they take no CSRF token (scripts and scrapers post them directly): `config.csrf: false`.
 */
export function caseStatusForms(app: FastifyInstance, deps: CaseStatusPageDeps): void {
  app.post('/case-status', { config: { csrf: false, rateLimit: 'public' } }, async (request, reply) => {
    const raw = (request.body as Record<string, unknown> | undefined)?.receiptNumber;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    // The form has `novalidate`: every check is made here, with the catalogue's words, in the page's language.
    if (typeof raw !== 'string' || raw.trim() === '') {
      return reply.page(TEMPLATE, { titleKey: 'caseStatus.title', ...blank, fieldError: 'missing', hasError: true }, 400);
    }
    const receiptNumber = deps.caseStatus.receiptNumber(raw);
    if (!receiptNumber) return reply.page(TEMPLATE, { titleKey: 'caseStatus.title', ...blank, fieldError: 'invalid', hasError: true }, 400);
    const found = await deps.caseStatus.find(receiptNumber, { earlierDescriptions: true });
    // A well-formed number is given back so a typo can be spotted; a malformed one never is.
    if (!found) return reply.page(TEMPLATE, { titleKey: 'caseStatus.title', ...blank, unknown: true, entered: receiptNumber, hasError: true, outcome: t('caseStatus.unknownHeading') }, 404);
    return reply.page(TEMPLATE, { titleKey: 'caseStatus.title', ...blank, result: pageModel(found), ask: await askOnline(deps, receiptNumber, lang), outcome: found.current.title[lang] });
  });

  legacyCaseStatusForm(app, deps);
}
