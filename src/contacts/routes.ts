/** The contact desk API (CONTRACT.md section 8): short pipelines over ContactService. */
import { Type } from '@fastify/type-provider-typebox';
import type { App } from '../platform/http/types.ts';
import { ListOf, problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { ContactService } from './service.ts';
import {
  CallRecord, ContactParams, ContactSummary, ContactView, EndBody, FindQuery, LinkBody, Linked, NoteBody, Noted, Opened, OpenBody, RecordsLoaded, SendTo, Sent, Verified, VerifyBody,
} from './schema.ts';
import { prohibited } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';

const TAG = 'Contacts';
const staff = [{ bearer: [] }];

export function contactRoutes(app: App, deps: { contacts: ContactService }): void {
  const contacts = deps.contacts;

  app.post('/api/v1/contacts', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'openContact', security: staff, summary: 'Open a call (Tier 1, Tier 2)',
      description: 'The answer\'s `reference` is what the caller writes down. Only the agent who opened a call, or the Tier 2 officer it was transferred to, may act on it.',
      body: OpenBody, response: { 201: Opened, ...problems(400, 401, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await contacts.open(actor, request.body, idempotentRequest(request, actor), request.id));
  });

  app.get('/api/v1/contacts', {
    schema: {
      tags: [TAG], operationId: 'findContacts', security: staff, summary: 'Find calls by phone number, time range and agent (supervisor, Ombudsman)',
      description: 'Newest first. `from`/`to` take a date (a whole day in the agency\'s time zone) or an instant. The search is audited.',
      querystring: FindQuery, response: { 200: ListOf(ContactSummary, 'One page of calls, newest first'), ...problems(400, 401, 403) },
    },
  }, async (request) => {
    const q = request.query;
    return contacts.find(await request.actor(), q, q.page ?? 1, q.pageSize ?? 50, request.id);
  });

  app.get('/api/v1/contacts/:id', {
    schema: {
      tags: [TAG], operationId: 'getContact', security: staff, summary: 'One call: its events, notes, cases, requests, escalations and your allowed actions',
      params: ContactParams, response: { 200: ContactView, ...problems(401, 403, 404) },
    },
  }, async (request) => contacts.get(await request.actor(), request.params.id));

  app.post('/api/v1/contacts/:id/verification', {
    schema: {
      tags: [TAG], operationId: 'verifyCaller', security: staff, summary: 'Verify the caller against a case (name, date of birth, receipt number)',
      description: 'Three failures for one receipt number within 24 hours, on any call, lock its verification for 24 hours: `403 verification-locked` with `lockedUntil`.',
      params: ContactParams, body: VerifyBody, response: { 200: Verified, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => contacts.verify(await request.actor(), request.params.id, request.body, request.id));

  app.post('/api/v1/contacts/:id/cases', {
    schema: {
      tags: [TAG], operationId: 'linkCase', security: staff, summary: 'Link another case the caller asks about',
      params: ContactParams, body: LinkBody, response: { 201: Linked, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.code(201).send(await contacts.linkCase(await request.actor(), request.params.id, request.body.receiptNumber, request.id)));

  app.post('/api/v1/contacts/:id/notes', {
    schema: {
      tags: [TAG], operationId: 'addContactNote', security: staff, summary: 'Note what the caller asked and what was said (the next agent reads it)',
      params: ContactParams, body: NoteBody, response: { 201: Noted, ...problems(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.code(201).send(await contacts.addNote(await request.actor(), request.params.id, request.body.text, request.id)));

  app.post('/api/v1/contacts/:id/end', {
    schema: {
      tags: [TAG], operationId: 'endContact', security: staff, summary: 'End the call with a disposition: the call record the caller is told',
      description: 'With `sendRecord`, the record is sent to the caller by text or e-mail (queued with the end, in one transaction). A call ends once: again answers 409.',
      params: ContactParams, body: EndBody, response: { 200: CallRecord, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => contacts.end(await request.actor(), request.params.id, request.body, request.id));

  app.post('/api/v1/contacts/:id/call-record/messages', {
    schema: {
      tags: [TAG], operationId: 'sendCallRecord', security: staff, summary: 'Send the call record of an ended call by text or e-mail',
      params: ContactParams, body: SendTo, response: { 202: Sent, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.code(202).send(await contacts.sendRecord(await request.actor(), request.params.id, request.body, request.id)));

  app.post('/api/v1/contacts/:id/transfers', {
    schema: {
      tags: [TAG], operationId: 'transferContactToOffice', security: staff,
      summary: 'Refused for every role: calls are never transferred to an office',
      description: 'Neither tier may transfer a call to a service center or field office (the seed). Always `403 forbidden` naming the '
        + 'prohibition `transfer-to-offices`, and audited. When an office must act, make a service request; for Tier 2, escalate.',
      params: ContactParams, body: Type.Object({ office: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: true }),
      response: problems(401, 403),
    },
  }, async (request) => {
    const actor = await request.actor();
    if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 'Sign in first.');
    throw prohibited('transfer-to-offices');
  });

  app.get('/api/v1/public/call-records/:reference', {
    config: { rateLimit: 'public' },
    schema: {
      tags: [TAG], operationId: 'getPublicCallRecord', security: [], summary: 'The caller looks up their call record (reference and the phone number used)',
      params: Type.Object({ reference: Type.String({ maxLength: 40 }) }), querystring: Type.Object({ callerPhone: Type.String({ maxLength: 40 }) }),
      response: { 200: CallRecord, ...problems(400, 404, 429) },
    },
  }, async (request) => contacts.publicRecord(request.params.reference, request.query.callerPhone));

  app.post('/api/v1/contact-records', {
    schema: {
      tags: [TAG], operationId: 'loadContactRecords', security: staff, summary: 'Load finished calls from a telephony platform (scope contact-feed)',
      description: 'A JSON array of records. Each is checked on its own (a bad one is reported by index); a record sent twice (same `externalId`) is stored once.',
      body: Type.Array(Type.Unknown(), { description: 'Records: {externalId, startedAt, endedAt, callerPhone, agentId, tier, recordingUri?, disposition?}' }),
      response: { 200: RecordsLoaded, ...problems(400, 401, 403, 413, 415) },
    },
  }, async (request) => contacts.loadRecords(await request.actor(), request.body, request.id));
}
