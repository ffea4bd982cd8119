/** Escalation to Tier 2, callbacks and Tier 2 presence (CONTRACT.md section 8): short pipelines over CallbackService. */
import { Type } from '@fastify/type-provider-typebox';
import type { App } from '../platform/http/types.ts';
import { ListOf, problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { CallbackService } from './service.ts';
import { AssignBody, Assigned, AttemptBody, Attempted, CallbackDetail, CallbackItem, CallbackQuery, EscalateBody, Escalated, Overview, Presence, PresenceBody } from './schema.ts';

const TAG = 'Callbacks';
const staff = [{ bearer: [] }];
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export function callbackRoutes(app: App, deps: { callbacks: CallbackService }): void {
  const callbacks = deps.callbacks;

  app.post('/api/v1/contacts/:id/escalations', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'escalateContact', security: staff, summary: 'Escalate a call to Tier 2 (Tier 1): a live transfer, or a callback',
      description: 'A live transfer when a Tier 2 officer with the skills (the call\'s language; military for a military case) is available; '
        + 'otherwise a callback due within 72 hours (urgent) or by the regular rule, and the caller is told by text (or e-mail) now and reminded before.',
      params: IdParams, body: EscalateBody, response: { 201: Escalated, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await callbacks.escalate(actor, request.params.id, request.body, idempotentRequest(request, actor), request.id));
  });

  app.get('/api/v1/callbacks', {
    schema: {
      tags: [TAG], operationId: 'listCallbacks', security: staff, summary: 'The callback queue, soonest due first (Tier 2: your skills; supervisor: all)',
      description: 'Without `status`: the due and overdue ones.',
      querystring: CallbackQuery, response: { 200: ListOf(CallbackItem, 'One page of callbacks'), ...problems(400, 401, 403) },
    },
  }, async (request) => {
    const q = request.query;
    return callbacks.list(await request.actor(), q.status, q.page ?? 1, q.pageSize ?? 50, { assignedTo: q.assigned ?? q.assignedTo });
  });

  app.get('/api/v1/callbacks/:id', {
    schema: {
      tags: [TAG], operationId: 'getCallback', security: staff, summary: 'One callback with the call that asked for it and the caller\'s earlier calls',
      params: IdParams, response: { 200: CallbackDetail, ...problems(401, 403, 404) },
    },
  }, async (request) => callbacks.get(await request.actor(), request.params.id));

  app.post('/api/v1/callbacks/:id/attempts', {
    schema: {
      tags: [TAG], operationId: 'recordCallbackAttempt', security: staff, summary: 'Record a call-back attempt (Tier 2)',
      description: '`reached` finishes the callback and opens your call with the caller (`contactId`). Two failed attempts close it as missed and '
        + 'the caller is told how to reach Tier 2 again. Two officers recording at once: one wins, the other gets 409.',
      params: IdParams, body: AttemptBody, response: { 201: Attempted, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.code(201).send(await callbacks.attempt(await request.actor(), request.params.id, request.body.outcome, request.id)));

  app.post('/api/v1/callbacks/:id/assign', {
    schema: {
      tags: [TAG], operationId: 'assignCallback', security: staff, summary: 'Give an open callback to a Tier 2 officer (supervisor)',
      description: 'The officer must be an active Tier 2 account whose skills serve the callback (400 `invalid-request` naming `userId` otherwise); '
        + 'a callback that is done or missed, or changed meanwhile, answers 409. The callback then shows in their `?assigned=me` list. Audited.',
      params: IdParams, body: AssignBody, response: { 200: Assigned, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => callbacks.assign(await request.actor(), request.params.id, request.body.userId, request.id));

  app.get('/api/v1/me/presence', {
    schema: {
      tags: [TAG], operationId: 'getPresence', security: staff, summary: 'Whether you take live transfers now (Tier 1, Tier 2)',
      response: { 200: Presence, ...problems(401, 403) },
    },
  }, async (request) => callbacks.presenceOf(await request.actor()));

  app.put('/api/v1/me/presence', {
    schema: {
      tags: [TAG], operationId: 'setPresence', security: staff, summary: 'Tier 2: be available for live transfers, or away',
      body: PresenceBody, response: { 200: Presence, ...problems(400, 401, 403) },
    },
  }, async (request) => callbacks.setPresence(await request.actor(), request.body.status, request.id));

  app.get('/api/v1/contact-center/overview', {
    schema: {
      tags: [TAG], operationId: 'contactCenterOverview', security: staff, summary: 'The supervisor\'s view: agents, callbacks by skill, overdue and missed',
      response: { 200: Overview, ...problems(401, 403) },
    },
  }, async (request) => callbacks.overview(await request.actor()));
}
