/** TypeBox schemas of the webhook API, and of the deliveries themselves (the OpenAPI document's `webhooks`). */
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import { ENDPOINT_LIMITS, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, WEBHOOK_EVENTS, type AnyWebhookEvent, type WebhookEventType } from './policy.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const EventType = Type.Unsafe<WebhookEventType>({ type: 'string', enum: [...WEBHOOK_EVENTS] });

export const EndpointBody = Type.Object({
  url: Type.String({ maxLength: ENDPOINT_LIMITS.urlMax, description: 'https:// (http:// only to this machine when WEBHOOKS_ALLOW_HTTP_LOCALHOST=true)' }),
  events: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20, description: `Some of: ${WEBHOOK_EVENTS.join(', ')}` }),
  description: Type.String({ maxLength: ENDPOINT_LIMITS.descriptionMax, description: 'Which system this is' }),
}, { additionalProperties: false });

const endpointProps = {
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(EventType),
  description: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String({ description: 'Who registered it (staff:<id>)' }),
};
export const Endpoint = Type.Object(endpointProps, { description: 'An endpoint (never its secret)' });
export const CreatedEndpoint = Type.Object({
  ...endpointProps,
  secret: Type.String({ description: 'The signing secret (whsec_…): shown in this answer only. Verify each delivery with it (docs/webhooks.md).' }),
}, { description: 'The endpoint, with its signing secret shown this once' });
export const EndpointList = Type.Object({ items: Type.Array(Endpoint) }, { description: 'The registered endpoints, oldest first' });
export const EndpointParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const Delivery = Type.Object({
  id: Type.String({ description: 'This delivery (an outbox row)' }),
  eventId: Type.String({ description: `The event's id: the ${EVENT_ID_HEADER} header, the same on every attempt` }),
  event: Type.String({ description: 'The event type' }),
  state: Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed')]),
  attempts: Type.Integer({ minimum: 0 }),
  lastResponseCode: Nullable(Type.Integer({ description: 'The receiver\'s last HTTP status' })),
  lastError: Nullable(Type.String({ description: 'A short reason: http-500, timeout, econnrefused, endpoint-removed' })),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'When it is tried again (pending only)' })),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
});
export const TestEventAnswer = Type.Object({ eventId: Type.String(), deliveryId: Type.String() }, { description: 'The ping is queued; it appears in the delivery log' });

/** The payload of each event type: identifiers and statuses only, never a person's name, address or A-number. */
const EVENT_DATA: Record<AnyWebhookEvent, { summary: string; data: TSchema }> = {
  'service-request.created': {
    summary: 'A service request was made (by an agent or online)',
    data: Type.Object({ referralNumber: Type.String(), receiptNumber: Type.String(), type: Type.String(), office: Type.String(), status: Type.String(), dueDate: Type.String({ format: 'date' }), createdAt: Type.String({ format: 'date-time' }) }),
  },
  'service-request.answered': {
    summary: 'The office answered a service request (the answer\'s words are not sent)',
    data: Type.Object({ referralNumber: Type.String(), receiptNumber: Type.String(), type: Type.String(), office: Type.String(), status: Type.String(), answeredAt: Type.String({ format: 'date-time' }) }),
  },
  'service-request.overdue': {
    summary: 'A service request passed its due date without an answer',
    data: Type.Object({ referralNumber: Type.String(), receiptNumber: Type.String(), type: Type.String(), office: Type.String(), status: Type.String(), dueDate: Type.String({ format: 'date' }) }),
  },
  'callback.missed': {
    summary: 'A promised callback closed as missed (the last allowed attempt failed)',
    data: Type.Object({ callbackId: Type.String(), contactReference: Type.String({ description: 'The call reference the caller was given' }), urgency: Type.String(), attempts: Type.Integer(), missedAt: Type.String({ format: 'date-time' }) }),
  },
  'case.status-changed': {
    summary: 'The case feed changed a case\'s status (a new case is not an event)',
    data: Type.Object({ receiptNumber: Type.String(), formType: Type.String(), office: Type.String(), previousStatus: Type.String(), status: Type.String(), statusDate: Type.String({ format: 'date' }) }),
  },
  'ombudsman-request.received': {
    summary: 'The Ombudsman received a case assistance request (DHS Form 7001)',
    data: Type.Object({ requestNumber: Type.String(), receiptNumbers: Type.Array(Type.String()), receivedAt: Type.String({ format: 'date-time' }) }),
  },
  ping: { summary: '"Send a test event": sent to one endpoint when an admin asks', data: Type.Object({ endpointId: Type.String(), message: Type.String() }) },
};

const SIGNATURE_DESCRIPTION = '`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. Compute the HMAC over the raw body, compare in constant time, '
  + 'and refuse a `t` more than 5 minutes from your clock (docs/webhooks.md).';

/** The OpenAPI 3.1 `webhooks` object: one POST per event type, with its headers and body. */
export function webhooksDocument(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(EVENT_DATA).map(([type, { summary, data }]) => [type, {
    post: {
      operationId: `webhook${type.split(/[^A-Za-z0-9]+/).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`,
      summary, tags: ['Webhooks'],
      // Not called with a bearer token: the receiver checks the signature header instead.
      security: [],
      description: `Sent to every endpoint registered for \`${type}\`, once per event (retried with backoff until a 2xx; the event id stays the same).`,
      parameters: [
        { name: SIGNATURE_HEADER, in: 'header', required: true, description: SIGNATURE_DESCRIPTION, schema: { type: 'string', pattern: '^t=[0-9]+,v1=[0-9a-f]{64}$' } },
        { name: EVENT_ID_HEADER, in: 'header', required: true, description: 'The event\'s id: the same on every attempt, so a receiver can tell a repeat', schema: { type: 'string' } },
        { name: EVENT_TYPE_HEADER, in: 'header', required: true, description: 'The event type', schema: { type: 'string', enum: [type] } },
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['id', 'type', 'createdAt', 'data'], additionalProperties: false, properties: {
          id: { type: 'string', description: 'The event id (evt_…), as in the header' }, type: { type: 'string', enum: [type] },
          createdAt: { type: 'string', format: 'date-time' }, data,
        } } } },
      },
      responses: {
        200: { description: 'Any 2xx: received' },
        400: { description: 'Any other answer, or none within 10 seconds, is tried again later with backoff' },
      },
    },
  }]));
}
