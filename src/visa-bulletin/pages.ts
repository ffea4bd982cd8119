/**
 * Public page: "Check your priority date" (GET /priority-date). A plain GET form (works without JavaScript):
 * the priority date as three fields (USWDS memorable date), the category, the chargeability and the chart.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import { isIsoDate } from '../domain/calendar.ts';
import { BULLETIN_CATEGORIES, CHARGEABILITIES, CHARTS, normaliseCategory, normaliseChargeability, type Chart } from '../domain/visa-bulletin.ts';
import { longDate, monthNames, monthYear } from '../platform/i18n/format.ts';
import { queryValue } from '../platform/http/query.ts';
import type { CheckResult, VisaBulletinService } from './service.ts';

const FAMILY = BULLETIN_CATEGORIES.filter((c) => c.startsWith('F'));
const EMPLOYMENT = BULLETIN_CATEGORIES.filter((c) => !c.startsWith('F'));

/** A chargeability's name for people: from the catalogue, else the bulletin's own column name in title case. */
function chargeabilityLabel(code: string, lang: Lang): string {
  const t = translator(lang);
  const key = `priorityDate.chargeability.${code}`;
  const label = t(key);
  return label !== key ? label : code.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

/** The priority date from the query: `priorityDate=YYYY-MM-DD` (for links), else the three fields. */
function readDate(query: unknown): { value: string | null; parts: { month: string; day: string; year: string }; error: 'errorDateMissing' | 'errorDateInvalid' | null } {
  const parts = { month: queryValue(query, 'pdMonth'), day: queryValue(query, 'pdDay'), year: queryValue(query, 'pdYear') };
  const whole = queryValue(query, 'priorityDate');
  if (whole) {
    const [y = '', m = '', d = ''] = whole.split('-');
    const p = { month: String(Number(m) || ''), day: String(Number(d) || ''), year: y };
    return isIsoDate(whole) ? { value: whole, parts: p, error: null } : { value: null, parts, error: 'errorDateInvalid' };
  }
  if (!parts.month || !parts.day || !parts.year) return { value: null, parts, error: 'errorDateMissing' };
  if (!/^\d{1,2}$/.test(parts.month) || !/^\d{1,2}$/.test(parts.day) || !/^\d{4}$/.test(parts.year)) return { value: null, parts, error: 'errorDateInvalid' };
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  return isIsoDate(iso) ? { value: iso, parts, error: null } : { value: null, parts, error: 'errorDateInvalid' };
}

export function visaBulletinPages(app: FastifyInstance, deps: { visaBulletins: VisaBulletinService }): void {
  app.get('/priority-date', { config: { rateLimit: 'public' } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = resolveLang(request, reply);
    const bulletin = await deps.visaBulletins.applicable();
    const rawCategory = queryValue(request.query, 'category');
    const rawChargeability = queryValue(request.query, 'chargeability');
    const rawChart = queryValue(request.query, 'chart');
    // The form has `novalidate`: sent empty, it still counts as asked, and every check is made here.
    const asked = ['priorityDate', 'pdMonth', 'pdDay', 'pdYear', 'category'].some((f) => f in ((request.query ?? {}) as Record<string, unknown>));
    const date = readDate(request.query);
    const category = normaliseCategory(rawCategory);
    const chargeability = rawChargeability ? normaliseChargeability(rawChargeability) : 'ALL';
    const chart: Chart = (CHARTS as readonly string[]).includes(rawChart) ? (rawChart as Chart) : 'final-action';
    // The standard columns, then any other column this month's bulletin has (EL SALVADOR GUATEMALA HONDURAS, …).
    const extra = new Set<string>();
    for (const table of bulletin ? [bulletin.finalActionDates, bulletin.datesForFiling] : []) for (const row of Object.values(table)) for (const c of Object.keys(row)) extra.add(c);
    const columns = [...CHARGEABILITIES, ...[...extra].filter((c) => !(CHARGEABILITIES as readonly string[]).includes(c)).sort()];

    const model = {
      titleKey: 'priorityDate.title',
      monthNames: monthNames(lang),
      family: FAMILY, employment: EMPLOYMENT,
      columns: columns.map((code) => ({ code, label: chargeabilityLabel(code, lang) })),
      charts: CHARTS,
      selected: { ...date.parts, category: category ?? '', chargeability: chargeability ?? 'ALL', chart },
      bulletinMonth: bulletin ? monthYear(bulletin.month, lang) : null,
      errors: {} as Record<string, string>,
      noBulletin: !bulletin, noRow: false,
      result: null as (CheckResult & { priorityDateLong: string; cutoffLong: string | null; bulletinLong: string; columnLabel: string; chargeabilityLabel: string; thisMonth: boolean }) | null,
    };
    if (!asked) return reply.page('visa-bulletin/views/priority-date.njk', model);

    if (date.error) model.errors.priorityDate = date.error;
    if (!category) model.errors.category = 'errorCategory';
    if (!chargeability) model.errors.chargeability = 'errorChargeability';
    if (Object.keys(model.errors).length) return reply.page('visa-bulletin/views/priority-date.njk', model, 400);
    if (!bulletin) return reply.page('visa-bulletin/views/priority-date.njk', { ...model, outcome: translator(lang)('priorityDate.noBulletinHeading') });

    try {
      const r = await deps.visaBulletins.check({ priorityDate: date.value!, category: category!, chargeability: chargeability!, chart });
      model.result = {
        ...r, priorityDateLong: longDate(r.priorityDate, lang), cutoffLong: r.cutoff === 'C' || r.cutoff === 'U' ? null : longDate(r.cutoff, lang),
        bulletinLong: monthYear(r.bulletin, lang), columnLabel: chargeabilityLabel(r.column, lang), chargeabilityLabel: chargeabilityLabel(r.chargeability, lang),
        thisMonth: r.bulletin === deps.visaBulletins.today().slice(0, 7),
      };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'not-found') throw err;
      model.noRow = true;
    }
    const t = translator(lang);
    const outcome = model.result ? t(model.result.current ? 'priorityDate.currentHeading' : 'priorityDate.notCurrentHeading') : model.noRow ? t('priorityDate.noRowTitle') : '';
    return reply.page('visa-bulletin/views/priority-date.njk', { ...model, outcome });
  });
}
