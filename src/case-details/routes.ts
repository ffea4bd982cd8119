/** The case-details API (CONTRACT.md section 9): short pipelines over CaseDetailsService. */
import type { App } from '../platform/http/types.ts';
import { ListOf, problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { CaseDetailsService } from './service.ts';
import {
  CaseDetails, NoticeBody, NoticeIssued, OfficeParams, PurposeQuery, ReceiptParams, Reissue, ReissueBody, ReissueQueueItem, ReissueQueueQuery, Rfe, RfeParams,
} from './schema.ts';

const TAG = 'Case details';
const staff = [{ bearer: [] }];

export function caseDetailsRoutes(app: App, deps: { caseDetails: CaseDetailsService }): void {
  const cd = deps.caseDetails;

  app.get('/api/v1/cases/:receiptNumber', {
    schema: {
      tags: [TAG], operationId: 'getCaseDetails', security: staff,
      summary: 'The whole case (Tier 2, supervisor, Ombudsman, the office holding it); every read is audited with its purpose',
      description: 'Tier 1 (beyond Case Status Online) and admins answer 403 naming the prohibition; office staff of another office 404, like an unknown case. '
        + 'The A-number is shown in full; RFEs are listed without their text. `actions` lists what the caller may do on the case.',
      params: ReceiptParams, querystring: PurposeQuery,
      response: { 200: CaseDetails, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => cd.getCase(await request.actor(), request.params.receiptNumber, { purpose: request.query.purpose ?? null, traceId: request.id }));

  app.get('/api/v1/cases/:receiptNumber/rfes/:id', {
    schema: {
      tags: [TAG], operationId: 'getCaseRfe', security: staff,
      summary: 'A Request for Evidence with its text (office staff of the office holding the case only); audited',
      description: 'Tier 2 answers 403 naming `review-issued-rfes`; every other role 403; office staff of another office 404.',
      params: RfeParams, querystring: PurposeQuery,
      response: { 200: Rfe, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => cd.getRfe(await request.actor(), request.params.receiptNumber, request.params.id, { purpose: request.query.purpose ?? null, traceId: request.id }));

  app.post('/api/v1/cases/:receiptNumber/notice-reissue-requests', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'requestNoticeReissue', security: staff,
      summary: 'Ask the office holding the case to re-issue a notice (Tier 2)',
      description: 'Lands in the holding office\'s queue. An unknown notice answers 422 (with `errors` on noticeId); one open request per case and notice '
        + '(409 `conflict` with `existing`). Tier 1 answers 403.',
      params: ReceiptParams, body: ReissueBody,
      response: { 201: Reissue, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await cd.requestReissue(actor, request.params.receiptNumber, request.body, idempotentRequest(request, actor), { traceId: request.id }));
  });

  app.get('/api/v1/offices/:code/notice-reissue-requests', {
    schema: {
      tags: [TAG], operationId: 'listOfficeNoticeReissueRequests', security: staff,
      summary: 'An office\'s notice re-issue requests, oldest first (office staff of that office, supervisor)',
      description: 'Without `status`: the open ones.',
      params: OfficeParams, querystring: ReissueQueueQuery,
      response: { 200: ListOf(ReissueQueueItem, 'One page of requests, oldest first'), ...problems(400, 401, 403, 404) },
    },
  }, async (request) => {
    const q = request.query;
    return cd.reissueQueue(await request.actor(), request.params.code.toUpperCase(), q.status ?? 'open', q.page ?? 1, q.pageSize ?? 50);
  });

  app.post('/api/v1/cases/:receiptNumber/notices', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'issueDuplicateNotice', security: staff,
      summary: 'Issue a duplicate notice (office staff of the office holding the case): the history shows duplicate-notice-was-mailed',
      description: 'Closes the open re-issue request for that notice. Only `"type":"duplicate"` (else 400). Tier 1 and Tier 2 answer 403 '
        + '(Tier 2\'s names `issue-notices-directly`); office staff of another office 404; an unknown notice 422.',
      params: ReceiptParams, body: NoticeBody,
      response: { 201: NoticeIssued, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await cd.issueNotice(actor, request.params.receiptNumber, request.body, idempotentRequest(request, actor), { traceId: request.id }));
  });
}
