/**
 * The contact center report as a page (CONTRACT.md section 12), for signed-in staff who may view reports:
 *   GET /reports/contact-center?from=&to=  or  ?fiscalYear=   the figures, a bar chart for each breakdown (server-
 *       rendered SVG, role="img" with its title and a description giving every value) and a data table beside each
 *       with the same numbers; a period form and a fiscal-year form (no JavaScript); English and Spanish.
 *   ...&format=csv   the same CSV as the API, for a browser session.
 * The fiscal-year view covers 1 October to 30 September, the period of the Ombudsman's annual report.
 */
import type { FastifyInstance } from 'fastify';
import type { ServiceRequestRules } from '../domain/service-request-rules.ts';
import type { Agency } from '../platform/reference.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang, Translate } from '../platform/i18n/i18n.ts';
import { longDate, number } from '../platform/i18n/format.ts';
import { todayIn } from '../domain/calendar.ts';
import type { ReportService } from './service.ts';
import { fiscalYearBounds, fiscalYearOf, type Period } from './checks.ts';
import { barChartSvg, type Bar } from './chart.ts';
import { toCsv } from './csv.ts';
import { csvRows, type ContactCenterReport } from './views.ts';

export interface ReportPageDeps {
  reports: ReportService;
  rules: Pick<ServiceRequestRules, 'kind'>;
  agency: Pick<Agency, 'offices' | 'timeZone'>;
}

const PAGE = 'reports/views/page.njk';
/** Fiscal years offered in the form: the current one and this many before it. */
const FISCAL_YEARS_OFFERED = 5;

interface Query { from?: string; to?: string; fiscalYear?: string; format?: string }

export function reportPages(app: FastifyInstance, deps: ReportPageDeps): void {
  const percent = (share: number | null, lang: Lang, t: Translate) =>
    share === null ? t('reports.none') : new Intl.NumberFormat(lang === 'es' ? 'es-US' : 'en-US', { style: 'percent', maximumFractionDigits: 1 }).format(share);
  const officeName = (code: string, lang: Lang) => deps.agency.offices.find((o) => o.code === code)?.name[lang] ?? code;

  function bars(counts: Record<string, number>, label: (key: string) => string, lang: Lang): Bar[] {
    return Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([k, v]) => ({ label: label(k), value: v, shown: number(v, lang) }));
  }

  function present(r: ContactCenterReport, period: Period, lang: Lang) {
    const t = translator(lang);
    const label = (prefix: string) => (k: string) => { const key = `${prefix}.${k}`; const s = t(key); return s === key ? k : s; };
    const chart = (id: string, title: string, summary: string, list: Bar[]) => ({ id, title, bars: list, svg: barChartSvg({ id, title, summary, bars: list }, t('reports.chart.empty')) });
    const cb = r.callbacks;
    const charts = [
      chart('calls-tier', t('reports.chart.callsByTier'), t('reports.chart.callsByTierSummary', { total: number(r.calls.total, lang) }), bars(r.calls.byTier, label('reports.tier'), lang)),
      chart('calls-language', t('reports.chart.callsByLanguage'), t('reports.chart.callsByLanguageSummary', { total: number(r.calls.total, lang) }), bars(r.calls.byLanguage, label('reports.language'), lang)),
      chart('callbacks', t('reports.chart.callbacks'), t('reports.chart.callbacksSummary', { made: number(cb.made, lang) }),
        [['onTime', cb.onTime], ['late', cb.late], ['missed', cb.missed], ['waiting', Math.max(0, cb.made - cb.onTime - cb.late - cb.missed)]].map(([k, v]) => ({ label: t(`reports.callbacks.${k}`), value: v as number, shown: number(v as number, lang) }))),
      chart('requests-type', t('reports.chart.requestsByType'), t('reports.chart.requestsSummary', { total: number(r.serviceRequests.total, lang) }),
        bars(r.serviceRequests.byType, (k) => deps.rules.kind(k)?.title[lang] ?? k, lang)),
      chart('requests-office', t('reports.chart.requestsByOffice'), t('reports.chart.requestsSummary', { total: number(r.serviceRequests.total, lang) }),
        bars(r.serviceRequests.byOffice, (k) => `${officeName(k, lang)} (${k})`, lang)),
      chart('feedback', t('reports.chart.feedback'), t('reports.chart.feedbackSummary'),
        [['helpful', r.feedback.helpful], ['notHelpful', r.feedback.notHelpful], ['comments', r.feedback.comments]].map(([k, v]) => ({ label: t(`reports.feedback.${k}`), value: v as number, shown: number(v as number, lang) }))),
    ];
    const sr = r.serviceRequests;
    const figures = [
      ['calls', number(r.calls.total, lang)],
      ['escalations', t('reports.figure.escalationsValue', { n: number(r.escalations.total, lang), share: percent(r.escalations.share, lang, t) })],
      ['callbacksMade', number(cb.made, lang)],
      ['requests', number(sr.total, lang)],
      ['onTimeShare', percent(sr.onTimeShare, lang, t)],
      ['median', sr.medianBusinessDaysToAnswer === null ? t('reports.none') : t('reports.figure.days', { n: number(sr.medianBusinessDaysToAnswer, lang) })],
      ['reopenedShare', percent(sr.reopenedShare, lang, t)],
      ['repeatCallers', number(r.repeatCallers, lang)],
      ['caseAssistance', number(r.ombudsman.caseAssistance, lang)],
      ['callReviews', number(r.ombudsman.callReviews, lang)],
    ].map(([key, value]) => ({ key, label: t(`reports.figure.${key}`), value }));
    const query = period.fiscalYear !== null ? `fiscalYear=${period.fiscalYear}` : `from=${period.from}&to=${period.to}`;
    return {
      periodText: t('reports.periodText', { from: longDate(period.from, lang), to: longDate(period.to, lang) }),
      fiscalYear: period.fiscalYear,
      toDate: period.fiscalYear === null && period.from === fiscalYearBounds(fiscalYearOf(period.to)).from ? fiscalYearOf(period.to) : null,
      figures, charts, csvHref: `/reports/contact-center?${query}&format=csv`,
    };
  }

  app.get<{ Querystring: Query }>('/reports/contact-center', async (request, reply) => {
    const actor = await request.actor();
    if (actor.kind !== 'staff') return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
    authorize(actor, 'view-reports');
    const lang = resolveLang(request, reply);
    const q = request.query ?? {};
    const asked = { from: str(q.from), to: str(q.to), fiscalYear: str(q.fiscalYear) };
    const today = todayIn(deps.agency.timeZone);
    const current = fiscalYearOf(today);
    const years = Array.from({ length: FISCAL_YEARS_OFFERED + 1 }, (_, i) => current - i);
    try {
      const { report, period } = await deps.reports.contactCenter(actor, asked);
      if (q.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="contact-center-${period.from}-to-${period.to}.csv"`)
          .send(toCsv(['metric', 'dimension', 'value'], csvRows(report)));
      }
      return reply.page(PAGE, { titleKey: 'reports.title', view: present(report, period, lang), form: { from: period.from, to: period.to, fiscalYear: period.fiscalYear }, years, today });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'invalid-request') throw e;
      const errors = ((e.extensions as { errors?: Array<{ field: string; detail: string }> }).errors ?? []);
      const t = translator(lang);
      const problem = errors.map((x) => t(`reports.error.${x.field}`)).filter((s, i, all) => all.indexOf(s) === i).join(' ');
      return reply.page(PAGE, { titleKey: 'reports.title', view: null, problem, form: asked, years, today, hasError: true }, 400);
    }
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
