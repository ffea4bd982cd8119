/** The Ombudsman's requests to the agency and letters to the person: short pipelines over OmbudsmanAgencyService. */
import type { App } from '../platform/http/types.ts';
import { ListOf, problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { OmbudsmanAgencyService } from './service.ts';
import { AgencyRequest, AgencyRequestList, AnswerBody, AskBody, ItemParams, LetterBody, LetterSent, OfficeParams, OfficeQueueQuery, RequestParams } from './schema.ts';

const TAG = 'Ombudsman';
const staff = [{ bearer: [] }];

export function ombudsmanAgencyRoutes(app: App, deps: { ombudsmanAgency: OmbudsmanAgencyService }): void {
  const oa = deps.ombudsmanAgency;

  app.post('/api/v1/ombudsman/case-assistance/:requestNumber/agency-requests', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'askAgency', security: staff,
      summary: 'Ask the office holding one of the cited cases a question (Ombudsman): a work item in its queue; the request moves to agency-asked',
      description: 'The case must be one the request cites (else 400 naming `receiptNumber`) and held by Switchboard (else 422); a closed request 409. '
        + 'Due 15 business days of the office\'s calendar later.',
      params: RequestParams, body: AskBody, response: { 201: AgencyRequest, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await oa.ask(actor, request.params.requestNumber, request.body, idempotentRequest(request, actor), request.id));
  });

  app.get('/api/v1/ombudsman/case-assistance/:requestNumber/agency-requests', {
    schema: {
      tags: [TAG], operationId: 'listAgencyRequestsOfCaseAssistance', security: staff, summary: 'The request\'s questions to the agency and their answers (Ombudsman)',
      params: RequestParams, response: { 200: AgencyRequestList, ...problems(401, 403, 404) },
    },
  }, async (request) => ({ items: await oa.ofRequest(await request.actor(), request.params.requestNumber) }));

  app.post('/api/v1/ombudsman/case-assistance/:requestNumber/letters', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'sendCaseAssistanceLetter', security: staff,
      summary: 'Send the person a letter at any stage (Ombudsman): through the outbox in the request\'s language, or by post without an e-mail',
      params: RequestParams, body: LetterBody, response: { 201: LetterSent, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await oa.sendLetter(actor, request.params.requestNumber, request.body, idempotentRequest(request, actor), request.id));
  });

  app.get('/api/v1/offices/:code/ombudsman-requests', {
    schema: {
      tags: [TAG], operationId: 'listOfficeOmbudsmanRequests', security: staff,
      summary: 'An office\'s requests from the Ombudsman, oldest due first (office staff of that office, supervisor)',
      description: 'Without `status`: the waiting ones (open and claimed). Office staff of another office 403.',
      params: OfficeParams, querystring: OfficeQueueQuery,
      response: { 200: ListOf(AgencyRequest, 'One page of requests, oldest due first'), ...problems(400, 401, 403, 404) },
    },
  }, async (request) => {
    const q = request.query;
    return oa.officeQueue(await request.actor(), request.params.code.toUpperCase(), q.status, q.page ?? 1, q.pageSize ?? 50);
  });

  app.get('/api/v1/ombudsman-requests/:id', {
    schema: {
      tags: [TAG], operationId: 'getOmbudsmanRequest', security: staff,
      summary: 'One request from the Ombudsman (the office holding it, supervisor, Ombudsman); audited', params: ItemParams,
      response: { 200: AgencyRequest, ...problems(401, 403, 404) },
    },
  }, async (request) => oa.get(await request.actor(), request.params.id, request.id));

  app.post('/api/v1/ombudsman-requests/:id/claim', {
    schema: {
      tags: [TAG], operationId: 'claimOmbudsmanRequest', security: staff,
      summary: 'Claim a request from the Ombudsman (office staff of the office holding it): one claimant wins, the others 409; the holder again 200',
      params: ItemParams, response: { 200: AgencyRequest, ...problems(401, 403, 404, 409) },
    },
  }, async (request) => oa.claim(await request.actor(), request.params.id, request.id));

  app.post('/api/v1/ombudsman-requests/:id/answer', {
    schema: {
      tags: [TAG], operationId: 'answerOmbudsmanRequest', security: staff,
      summary: 'Answer a request from the Ombudsman (its claimant; others 403): the answer goes to the case assistance request',
      description: 'When every question of the request is answered, the request moves from agency-asked to answered.',
      params: ItemParams, body: AnswerBody, response: { 200: AgencyRequest, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => oa.answer(await request.actor(), request.params.id, request.body, request.id));
}
