/** TypeBox schemas of the contact desk API (CONTRACT.md section 8): validation and the OpenAPI document. */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const ContactParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const OpenBody = Type.Object({
  channel: Type.String({ maxLength: 20, description: '"phone"' }),
  callerPhone: Type.String({ maxLength: 40, description: 'The number the caller is calling from (any usual spelling; kept as E.164)' }),
  language: Type.String({ maxLength: 5, description: '"en" or "es"' }),
});

export const Opened = Type.Object({
  id: Type.String(), reference: Type.String({ description: '12 digits: what the caller writes down' }), startedAt: Instant,
  agentId: Nullable(Type.String({ description: 'The agent\'s public six-digit ID' })),
}, { description: 'The call is open' });

export const VerifyBody = Type.Object({
  receiptNumber: Type.String({ maxLength: 40 }),
  name: Type.String({ maxLength: 200, description: 'As the caller gives it (case, accents and punctuation do not matter)' }),
  dateOfBirth: Type.String({ maxLength: 20, description: 'YYYY-MM-DD' }),
});

export const Verified = Type.Object({
  verified: Type.Boolean(), receiptNumber: Type.String(),
  failuresLeft: Type.Optional(Type.Integer({ minimum: 0, description: 'After a failure: tries left before the receipt number locks' })),
}, { description: 'Whether the caller matches the case' });

export const LinkBody = Type.Object({ receiptNumber: Type.String({ maxLength: 40 }) });
export const Linked = Type.Object({ receiptNumber: Type.String(), verified: Type.Boolean() }, { description: 'The case is linked to the call' });

export const NoteBody = Type.Object({ text: Type.String({ maxLength: 8000 }) });
export const Noted = Type.Object({ at: Instant, text: Type.String() }, { description: 'The note is kept on the call' });

export const SendTo = Type.Object({
  channel: Type.Union([Type.Literal('sms'), Type.Literal('email')]),
  to: Type.String({ maxLength: 320, description: 'A phone number (sms) or an e-mail address (email)' }),
});

export const EndBody = Type.Object({
  disposition: Type.String({ maxLength: 40, description: 'resolved, escalated, service-request-created, referred-online, dropped, other' }),
  notes: Type.Optional(Type.String({ maxLength: 8000 })),
  sendRecord: Type.Optional(SendTo),
});

export const CallRecord = Type.Object({
  reference: Type.String(), agentId: Nullable(Type.String()),
  transferredToAgentId: Nullable(Type.String({ description: 'The Tier 2 officer the call was transferred to live' })), startedAt: Instant, endedAt: Nullable(Instant),
  serviceRequests: Type.Array(Type.String(), { description: 'Referral numbers of the requests made on the call' }),
  disposition: Nullable(Type.String()),
  callbacks: Type.Array(Type.Object({ id: Type.String(), dueAt: Instant, status: Type.String() }), { description: 'Callbacks promised on the call' }),
}, { description: 'The call record the caller is told' });

export const Sent = Type.Object({ queued: Type.Literal(true), channel: Type.String() }, { description: 'Queued in the outbox' });

const SummaryProps = {
  id: Type.String(), reference: Type.String(), source: Type.String({ description: 'desk | platform | callback' }), channel: Type.String(),
  callerPhone: Nullable(Type.String()), language: Type.String(), tier: Nullable(Type.String()), agentId: Nullable(Type.String()),
  startedAt: Instant, endedAt: Nullable(Instant), disposition: Nullable(Type.String()), recordingUri: Nullable(Type.String()),
  serviceRequests: Type.Array(Type.String()),
};
export const ContactSummary = Type.Object(SummaryProps);

export const ContactView = Type.Object({
  ...SummaryProps,
  notes: Nullable(Type.String()), escalatedTo: Nullable(Type.String()),
  transferredToAgentId: Nullable(Type.String({ description: 'The agent ID of the Tier 2 officer the call was transferred to' })), callbackId: Nullable(Type.String()),
  cases: Type.Array(Type.Object({ receiptNumber: Type.String(), verified: Type.Boolean(), linkedAt: Instant })),
  events: Type.Array(Type.Object({ at: Instant, kind: Type.String(), actor: Type.String(), detail: Nullable(Type.Record(Type.String(), Type.Unknown())) })),
  escalations: Type.Array(Type.Object({ id: Type.String(), mode: Type.String(), status: Type.String(), urgency: Type.String(), dueAt: Instant })),
  actions: Type.Array(Type.String(), { description: 'What you may do on this call now (the desk shows these and no other)' }),
}, { description: 'The call' });

export const FindQuery = Type.Object({
  callerPhone: Type.Optional(Type.String({ maxLength: 40 })),
  agentId: Type.Optional(Type.String({ maxLength: 10 })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'A date (a whole day, agency time) or an instant; inclusive' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'A date (a whole day, agency time, included) or an instant; exclusive' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const RecordsLoaded = Type.Object({
  accepted: Type.Integer({ description: 'Records stored now' }),
  duplicates: Type.Integer({ description: 'Records already stored (same externalId), changed nothing' }),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), detail: Type.String() })),
}, { description: 'What was loaded' });
