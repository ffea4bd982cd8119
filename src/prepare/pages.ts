/** GET /prepare: "Prepare for my call", one printable page for the receipt numbers entered (a plain GET form). */
import type { FastifyInstance } from 'fastify';
import { resolveLang, translator } from '../platform/views/views.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import { longDate, monthYear } from '../platform/i18n/format.ts';
import { MAX_RECEIPTS, splitReceiptInput, type PrepareService, type PreparedCase } from './service.ts';

/** Notice types with a name in the catalogues (prepare.notice.<type>); others are shown as the feed names them. */
const NAMED_NOTICES = new Set(['receipt', 'rejection', 'request-for-initial-evidence', 'request-for-evidence', 'biometrics-appointment', 'transfer', 'interview', 'approval', 'denial', 'withdrawal-acknowledgement', 'card', 'duplicate']);

function view(c: PreparedCase, lang: Lang) {
  if (c.kind !== 'found') return c;
  const { presented, inquiry, priority } = c;
  return {
    ...c,
    formType: presented.formType,
    formTitle: presented.formTitle[lang],
    statusTitle: presented.current.title[lang],
    statusDescription: presented.current.description[lang],
    statusDate: longDate(presented.current.date, lang),
    history: presented.earlier.map((e) => ({ title: e.title[lang], date: longDate(e.date, lang) })),
    inquiryReceiptDate: longDate(inquiry.inquiryReceiptDate, lang),
    earliestInquiryDate: longDate(inquiry.earliestInquiryDate, lang),
    months80: inquiry.processingTime.months80.toLocaleString(lang === 'es' ? 'es-US' : 'en-US'),
    priority: priority && {
      ...priority,
      cutoffText: priority.cutoff === 'C' || priority.cutoff === 'U' ? null : longDate(priority.cutoff, lang),
      bulletinMonth: monthYear(priority.bulletin, lang),
    },
    adviceLinks: adviceLinks(c.advice, c.receiptNumber, lang),
    notices: c.notices.map((n) => ({ key: NAMED_NOTICES.has(n.type) ? `prepare.notice.${n.type}` : null, type: n.type, date: longDate(n.date, lang) })),
  };
}

/** Where each piece of advice is done online (prepare.adviceLink.<code> names the link); `{receipt}` is the case's. */
const ADVICE_LINKS: Partial<Record<string, string>> = {
  'check-status-online': '/case-status',
  'wait-processing-time': '/processing-times',
  'online-inquiry-outside-time': '/service-requests/new/outside-normal-processing-time?receiptNumber={receipt}',
  'reschedule-appointment': '/service-requests/new/appointment-reschedule?receiptNumber={receipt}',
  'card-not-received': '/service-requests/new/card-not-received?receiptNumber={receipt}',
  'notice-not-received': '/service-requests/new/notice-not-received?receiptNumber={receipt}',
  'check-visa-bulletin': '/priority-date',
  'change-address-online': '/service-requests/new/change-of-address?receiptNumber={receipt}',
};

/** The advice with the address of the page that does it, in the page's language. */
export function adviceLinks(advice: readonly string[], receipt: string, lang: Lang): Array<{ code: string; href: string | null }> {
  return advice.map((code) => {
    const link = ADVICE_LINKS[code];
    if (!link) return { code, href: null };
    const href = link.replace('{receipt}', encodeURIComponent(receipt));
    return { code, href: `${href}${href.includes('?') ? '&' : '?'}lang=${lang}` };
  });
}

/** What may go back into the field after an error: the characters a list of receipt numbers is made of, nothing else. */
const refill = (input: string) => input.replace(/[^A-Za-z0-9 ,;\r\n-]/g, '');

export function preparePages(app: FastifyInstance, deps: { prepare: PrepareService }): void {
  app.get('/prepare', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const raw = query.receipts;
    const input = typeof raw === 'string' ? raw.slice(0, 1000) : '';
    const entries = splitReceiptInput(input);
    const base = { titleKey: 'prepare.title', maxReceipts: MAX_RECEIPTS, asked: false, cases: [], foundCount: 0, errors: [] as Array<{ key: string; position?: number }>, receiptsValue: '' };
    // The form has `novalidate`: sent empty, it is an error in our own words, not the browser's.
    if (!entries.length) {
      if (!('receipts' in query)) return reply.page('prepare/views/prepare.njk', base);
      return reply.page('prepare/views/prepare.njk', { ...base, errors: [{ key: 'missing' }] }, 400);
    }
    const cases = (await deps.prepare.prepare(entries)).map((c) => view(c, lang));
    const invalid = cases.filter((c) => c.kind === 'invalid');
    // A bad entry is a form error: the field keeps what was typed (receipt-number characters only, never markup),
    // the message sits beside it, and no page to print is offered until every entry is a receipt number.
    if (invalid.length) {
      return reply.page('prepare/views/prepare.njk', { ...base, errors: invalid.map((c) => ({ key: 'invalid', position: (c as { position: number }).position })), receiptsValue: refill(input) }, 400);
    }
    const found = cases.filter((c) => c.kind === 'found');
    const t = translator(lang);
    return reply.page('prepare/views/prepare.njk', {
      ...base, asked: true, cases, foundCount: found.length,
      outcome: found.length === 0 ? t('prepare.readyNone') : found.length === 1 ? t('prepare.readyOne') : t('prepare.readyMany', { count: found.length }),
      receiptsValue: cases.map((c) => (c as { receiptNumber: string }).receiptNumber).join('\n'),
      today: longDate(new Date().toISOString().slice(0, 10), lang),
    });
  });
}
