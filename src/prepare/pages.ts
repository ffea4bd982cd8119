/** GET /prepare: "Prepare for my call", one printable page for the receipt numbers entered (a plain GET form). */
import type { FastifyInstance } from 'fastify';
import { resolveLang } from '../platform/views/views.ts';
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
    notices: c.notices.map((n) => ({ key: NAMED_NOTICES.has(n.type) ? `prepare.notice.${n.type}` : null, type: n.type, date: longDate(n.date, lang) })),
  };
}

export function preparePages(app: FastifyInstance, deps: { prepare: PrepareService }): void {
  app.get('/prepare', { config: { rateLimit: 'public' } }, async (request, reply) => {
    const lang = resolveLang(request, reply);
    const raw = (request.query as Record<string, unknown>).receipts;
    const input = typeof raw === 'string' ? raw.slice(0, 1000) : '';
    const entries = splitReceiptInput(input);
    const cases = entries.length ? (await deps.prepare.prepare(entries)).map((c) => view(c, lang)) : [];
    const found = cases.filter((c) => c.kind === 'found');
    return reply.page('prepare/views/prepare.njk', {
      titleKey: 'prepare.title', asked: entries.length > 0, cases, foundCount: found.length, maxReceipts: MAX_RECEIPTS,
      // Only well-formed receipt numbers go back into the form: an invalid entry is never echoed.
      receiptsValue: found.map((c) => c.receiptNumber).concat(cases.filter((c) => c.kind === 'unknown').map((c) => (c as { receiptNumber: string }).receiptNumber)).join('\n'),
      today: longDate(new Date().toISOString().slice(0, 10), lang),
    });
  });
}
