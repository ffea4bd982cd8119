/** The webhook API (admin): register, list, remove endpoints; an endpoint's delivery log; send a test event. */
import { Type } from '@fastify/type-provider-typebox';
import type { App } from '../platform/http/types.ts';
import { ListOf, PageQuery, noContent, problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { WebhookService } from './service.ts';
import { CreatedEndpoint, Delivery, Endpoint, EndpointBody, EndpointList, EndpointParams, TestEventAnswer } from './schema.ts';

const TAG = 'Webhooks';
const staff = [{ bearer: [] }];

export function webhookRoutes(app: App, deps: { webhooks: WebhookService }): void {
  const w = deps.webhooks;
  app.post('/api/v1/webhooks', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'createWebhookEndpoint', security: staff, summary: 'Register an endpoint and the events it wants (admin)',
      description: 'The answer holds the signing secret, shown this once. The URL must be https:// (http:// to this machine only when WEBHOOKS_ALLOW_HTTP_LOCALHOST=true); '
        + 'a bad URL, an unknown event or a missing description answers 400 naming the field.',
      body: EndpointBody,
      response: { 201: CreatedEndpoint, ...problems(400, 401, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await w.create(actor, request.body, idempotentRequest(request, actor), request.id));
  });

  app.get('/api/v1/webhooks', {
    schema: { tags: [TAG], operationId: 'listWebhookEndpoints', security: staff, summary: 'The registered endpoints, without their secrets (admin)', response: { 200: EndpointList, ...problems(401, 403) } },
  }, async (request) => w.list(await request.actor()));

  app.get('/api/v1/webhooks/:id', {
    schema: { tags: [TAG], operationId: 'getWebhookEndpoint', security: staff, summary: 'One endpoint, without its secret (admin)', params: EndpointParams, response: { 200: Endpoint, ...problems(400, 401, 403, 404) } },
  }, async (request) => w.get(await request.actor(), request.params.id));

  app.delete('/api/v1/webhooks/:id', {
    schema: {
      tags: [TAG], operationId: 'deleteWebhookEndpoint', security: staff, summary: 'Remove an endpoint (admin)',
      description: 'Nothing more is sent to it; its deliveries still waiting fail as `endpoint-removed`. Audited.',
      params: EndpointParams, response: { 204: noContent('Removed'), ...problems(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    await w.remove(await request.actor(), request.params.id, request.id);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/webhooks/:id/deliveries', {
    schema: {
      tags: [TAG], operationId: 'listWebhookDeliveries', security: staff, summary: 'An endpoint\'s delivery log, newest first (admin)',
      description: 'Each delivery: the event, its state, attempts, the receiver\'s last HTTP status and when it is tried again.',
      params: EndpointParams, querystring: Type.Object({ ...PageQuery }),
      response: { 200: ListOf(Delivery, 'One page of deliveries, newest first'), ...problems(400, 401, 403, 404) },
    },
  }, async (request) => w.deliveries(await request.actor(), request.params.id, request.query.page ?? 1, request.query.pageSize ?? 50));

  app.post('/api/v1/webhooks/:id/test', {
    schema: {
      tags: [TAG], operationId: 'sendWebhookTestEvent', security: staff, summary: 'Send a `ping` event to this endpoint (admin)',
      description: 'Queued through the outbox like any event and shown in the delivery log. Audited.',
      params: EndpointParams, response: { 202: TestEventAnswer, ...problems(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.code(202).send(await w.test(await request.actor(), request.params.id, request.id)));
}
