/** Ombudsman case assistance requests (CONTRACT.md section 11): short pipelines over CaseAssistanceService. */
import type { App } from '../platform/http/types.ts';
import { ListOf, problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { CaseAssistanceService } from './service.ts';
import { AssignBody, Created, Detail, NoteBody, QueueItem, QueueQuery, RequestParams, StatusBody, SubmitBody } from './schema.ts';

const TAG = 'Ombudsman';
const staff = [{ bearer: [] }];

export function caseAssistanceRoutes(app: App, deps: { caseAssistance: CaseAssistanceService }): void {
  const ca = deps.caseAssistance;

  app.post('/api/v1/ombudsman/case-assistance', {
    config: { idempotent: true, rateLimit: 'public' },
    schema: {
      tags: [TAG], operationId: 'submitCaseAssistance', security: [], summary: 'Ask the Ombudsman for case assistance (DHS Form 7001; public)',
      description: 'Filing for someone else (an applicant with another name) needs `consent: true` or `g28OnFile: true`, else 400 naming `consent`. '
        + 'Cited referral numbers are checked (`priorActionVerified`) and the advice tells the person what to know first; it never refuses. Rate limited per address.',
      body: SubmitBody, response: { 201: Created, ...problems(400, 409, 422, 429) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    const lang = request.headers['accept-language']?.trim().toLowerCase().startsWith('es') ? 'es' : 'en';
    return sendIdempotentAnswer(reply, await ca.submit(actor, request.body, idempotentRequest(request, actor), { lang, traceId: request.id }));
  });

  app.get('/api/v1/ombudsman/case-assistance', {
    schema: {
      tags: [TAG], operationId: 'listCaseAssistance', security: staff, summary: 'The analyst queue, oldest first, with review-by (30 days) and act-by (90 days) dates (Ombudsman)',
      querystring: QueueQuery, response: { 200: ListOf(QueueItem, 'One page of requests, oldest first'), ...problems(400, 401, 403) },
    },
  }, async (request) => ca.list(await request.actor(), request.query.status, request.query.page ?? 1, request.query.pageSize ?? 50, request.id));

  app.get('/api/v1/ombudsman/case-assistance/:requestNumber', {
    schema: {
      tags: [TAG], operationId: 'getCaseAssistance', security: staff, summary: 'One request, its cited referral numbers and calls checked (Ombudsman; audited)',
      params: RequestParams, response: { 200: Detail, ...problems(401, 403, 404) },
    },
  }, async (request) => ca.get(await request.actor(), request.params.requestNumber, request.id));

  app.post('/api/v1/ombudsman/case-assistance/:requestNumber/assign', {
    schema: {
      tags: [TAG], operationId: 'assignCaseAssistance', security: staff, summary: 'Assign the request to an analyst (Ombudsman)',
      params: RequestParams, body: AssignBody, response: { 200: Detail, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => ca.assign(await request.actor(), request.params.requestNumber, request.body.userId, request.id));

  app.post('/api/v1/ombudsman/case-assistance/:requestNumber/notes', {
    schema: {
      tags: [TAG], operationId: 'noteCaseAssistance', security: staff, summary: 'Add a note to the request\'s history (Ombudsman)',
      params: RequestParams, body: NoteBody, response: { 200: Detail, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => ca.note(await request.actor(), request.params.requestNumber, request.body.text, request.id));

  app.post('/api/v1/ombudsman/case-assistance/:requestNumber/status', {
    schema: {
      tags: [TAG], operationId: 'changeCaseAssistanceStatus', security: staff,
      summary: 'Move the request on (Ombudsman); closing needs the outcome, sent to the person as a letter through the outbox',
      params: RequestParams, body: StatusBody, response: { 200: Detail, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => ca.changeStatus(await request.actor(), request.params.requestNumber, request.body, request.id));
}
