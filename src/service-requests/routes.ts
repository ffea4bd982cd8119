/** The service-request API (CONTRACT.md section 10): short pipelines over ServiceRequestService. */
import { Type } from '@fastify/type-provider-typebox';
import type { App } from '../platform/http/types.ts';
import { ListOf, problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { ServiceRequestService } from './service.ts';
import type { ServiceRequestStatus } from '../platform/db/schema.ts';
import {
  AssignBody, CreateBody, Created, ListQuery, OfficeParams, PublicReopenBody, PublicStatus, PublicStatusQuery, QueueItem, QueueQuery, ReasonBody,
  ReferralParams, RequestView, RequestWithHistory, RespondBody, ReviewBody, TransferBody,
} from './schema.ts';

const TAG = 'Service requests';
const staff = [{ bearer: [] }];

export function serviceRequestRoutes(app: App, deps: { serviceRequests: ServiceRequestService }): void {
  const sr = deps.serviceRequests;

  app.post('/api/v1/service-requests', {
    config: { idempotent: true, rateLimit: 'anonymous' },
    schema: {
      tags: [TAG], operationId: 'createServiceRequest', security: [{ bearer: [] }, {}],
      summary: 'Make a service request for a case (Tier 1, Tier 2, or the person with verification)',
      description: 'An agent sends a bearer token; the person sends no token and `verification` (name and date of birth), and a failed '
        + 'verification answers 404. Refusals name the rule (`rule`) and carry `advice` in English and Spanish; `too-early` carries `earliestInquiryDate`, '
        + 'a duplicate carries `existing`. Requests without a token are rate limited per address.',
      body: CreateBody,
      response: { 201: Created, ...problems(400, 401, 403, 404, 409, 422, 429) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    const lang = request.headers['accept-language']?.trim().toLowerCase().startsWith('es') ? 'es' : 'en';
    const answer = await sr.create(actor, request.body, idempotentRequest(request, actor), { lang, traceId: request.id });
    return sendIdempotentAnswer(reply, answer);
  });

  app.get('/api/v1/service-requests', {
    schema: {
      tags: [TAG], operationId: 'listServiceRequests', security: staff,
      summary: 'Requests across offices, oldest due first (supervisor): the overdue view, flagged answers',
      querystring: ListQuery,
      response: { 200: ListOf(QueueItem, 'One page of requests, oldest due first'), ...problems(400, 401, 403) },
    },
  }, async (request) => {
    const q = request.query;
    return sr.list(await request.actor(), {
      office: q.office?.toUpperCase(), status: q.status as ServiceRequestStatus | undefined, type: q.type, overdue: q.overdue, flagged: q.flagged,
    }, q.page ?? 1, q.pageSize ?? 50);
  });

  app.get('/api/v1/service-requests/:referralNumber', {
    schema: {
      tags: [TAG], operationId: 'getServiceRequest', security: staff,
      summary: 'One request and its history (staff who may see the case; office staff: their office only)',
      params: ReferralParams,
      response: { 200: RequestWithHistory, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => sr.get(await request.actor(), request.params.referralNumber, request.id));

  app.get('/api/v1/public/service-requests/:referralNumber', {
    config: { rateLimit: 'public' },
    schema: {
      tags: [TAG], operationId: 'getPublicServiceRequestStatus', security: [],
      summary: 'The status and due date of a request, for the person (with the matching receipt number, else 404)',
      params: ReferralParams, querystring: PublicStatusQuery,
      response: { 200: PublicStatus, ...problems(400, 404, 429) },
    },
  }, async (request) => sr.publicStatus(request.params.referralNumber, request.query.receiptNumber ?? ''));

  app.post('/api/v1/public/service-requests/:referralNumber/reopen', {
    config: { rateLimit: 'public' },
    schema: {
      tags: [TAG], operationId: 'reopenPublicServiceRequest', security: [],
      summary: '"This did not resolve my problem": the person reopens an answered request',
      description: 'Verified by receipt number, name and date of birth (else 404). The request goes back to its office\'s queue with a new due date. '
        + 'A request still being worked on answers 409; one closed after its reopen window answers 422.',
      params: ReferralParams, body: PublicReopenBody,
      response: { 200: PublicStatus, ...problems(400, 404, 409, 422, 429) },
    },
  }, async (request) => sr.publicReopen(request.params.referralNumber, request.body, request.id));

  app.get('/api/v1/offices/:code/service-requests', {
    schema: {
      tags: [TAG], operationId: 'listOfficeServiceRequests', security: staff,
      summary: 'An office\'s queue, oldest due first (office staff of that office, supervisor)',
      description: 'Without `status`: the work still to do (open, claimed, reopened).',
      params: OfficeParams, querystring: QueueQuery,
      response: { 200: ListOf(QueueItem, 'One page of the queue, oldest due first'), ...problems(400, 401, 403, 404) },
    },
  }, async (request) => {
    const q = request.query;
    return sr.queue(await request.actor(), request.params.code.toUpperCase(), {
      status: q.status as ServiceRequestStatus | undefined, type: q.type, overdue: q.overdue, mine: q.claimedBy === 'me',
    }, q.page ?? 1, q.pageSize ?? 50);
  });

  app.post('/api/v1/service-requests/:referralNumber/claim', {
    schema: {
      tags: [TAG], operationId: 'claimServiceRequest', security: staff,
      summary: 'Claim a request (office staff of the office holding it): exactly one claimant wins',
      description: 'A request claimed by someone else answers 409; the holder claiming again answers 200.',
      params: ReferralParams,
      response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => (await sr.claim(await request.actor(), request.params.referralNumber, request.id)).view);

  app.post('/api/v1/service-requests/:referralNumber/release', {
    schema: {
      tags: [TAG], operationId: 'releaseServiceRequest', security: staff,
      summary: 'Give a claimed request back to its office\'s queue (its claimant); the due date stays',
      params: ReferralParams,
      response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => sr.release(await request.actor(), request.params.referralNumber, request.id));

  app.post('/api/v1/service-requests/:referralNumber/respond', {
    schema: {
      tags: [TAG], operationId: 'respondToServiceRequest', security: staff,
      summary: 'Answer a request (its claimant): the person is told by mail',
      params: ReferralParams, body: RespondBody,
      response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => sr.respond(await request.actor(), request.params.referralNumber, request.body.response, request.id));

  app.post('/api/v1/service-requests/:referralNumber/reopen', {
    schema: {
      tags: [TAG], operationId: 'reopenServiceRequest', security: staff,
      summary: 'Reopen an answered request for the caller (Tier 1, Tier 2): back to the queue with a new due date',
      params: ReferralParams, body: ReasonBody,
      response: { 200: RequestView, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => sr.reopen(await request.actor(), request.params.referralNumber, request.body.reason, request.id));

  app.post('/api/v1/service-requests/:referralNumber/assign', {
    schema: {
      tags: [TAG], operationId: 'assignServiceRequest', security: staff,
      summary: 'Give a request to a worker of its office (supervisor)',
      params: ReferralParams, body: AssignBody,
      response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => sr.assign(await request.actor(), request.params.referralNumber, request.body.userId, request.id));

  app.post('/api/v1/service-requests/:referralNumber/transfer', {
    schema: {
      tags: [TAG], operationId: 'transferServiceRequest', security: staff,
      summary: 'Move a request to another office\'s queue, due date unchanged (office staff of the holding office, supervisor)',
      params: ReferralParams, body: TransferBody,
      response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => sr.transfer(await request.actor(), request.params.referralNumber, request.body, request.id));

  app.post('/api/v1/service-requests/:referralNumber/review', {
    schema: {
      tags: [TAG], operationId: 'reviewServiceRequestAnswer', security: staff,
      summary: 'Flag an answer as a bare form letter, or take the flag back (supervisor)',
      params: ReferralParams, body: ReviewBody,
      response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => sr.review(await request.actor(), request.params.referralNumber, request.body, request.id));

  app.get('/api/v1/service-requests/overview', {
    schema: {
      tags: [TAG], operationId: 'serviceRequestOverview', security: staff,
      summary: 'Active and overdue requests per office (supervisor)',
      response: {
        200: Type.Object({ offices: Type.Array(Type.Object({ office: Type.String(), active: Type.Integer(), overdue: Type.Integer() })) }, { description: 'Per office, most overdue first' }),
        ...problems(401, 403),
      },
    },
  }, async (request) => ({ offices: await sr.overview(await request.actor()) }));
}
