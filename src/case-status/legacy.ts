/**
 * The agency's old Case Status Online form, POST /casestatus/mycasestatus.do with the field `appReceiptNum`,
 * answered in the old page's markup so existing scrapers keep working (CONTRACT.md section 6). Like the old
 * page, it answers 200 with the errors in the page; the old landing address leads to the current page.
 */
import type { FastifyInstance } from 'fastify';
import type { CaseStatusService } from './service.ts';
import { resolveLang } from '../platform/views/views.ts';

export function legacyCaseStatusForm(app: FastifyInstance, deps: { caseStatus: CaseStatusService }): void {
  app.post('/casestatus/mycasestatus.do', { config: { csrf: false, rateLimit: 'public' } }, async (request, reply) => {
    const raw = (request.body as Record<string, unknown> | undefined)?.appReceiptNum;
    const receiptNumber = deps.caseStatus.receiptNumber(raw);
    const found = receiptNumber ? await deps.caseStatus.find(receiptNumber) : null;
    const errors = !receiptNumber ? ['caseStatus.legacy.malformed'] : found ? [] : ['caseStatus.legacy.unknown'];
    return reply.page('case-status/views/legacy.njk', { titleKey: 'caseStatus.legacy.title', errors, result: found, outcome: found ? found.current.title[resolveLang(request, reply)] : '' });
  });

  app.get('/casestatus/landing.do', { config: { rateLimit: 'public' } }, async (_request, reply) => reply.redirect('/case-status', 301));
}
