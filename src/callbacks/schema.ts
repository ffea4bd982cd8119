/** TypeBox schemas of escalations, callbacks and presence (CONTRACT.md section 8). */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const Window = Type.Union([
  Type.String({ maxLength: 200, description: 'A window the caller names, e.g. "weekday mornings"' }),
  Type.Object({ from: Type.String({ maxLength: 40 }), to: Type.String({ maxLength: 40 }) }, { description: 'Instants with their offset' }),
]);

export const EscalateBody = Type.Object({
  reason: Type.String({ maxLength: 4000, description: 'Why Tier 2 is needed (10–2,000 characters)' }),
  urgency: Type.String({ maxLength: 20, description: '"urgent" (callback within 72 hours) or "regular" (policy data)' }),
  receiptNumber: Type.Optional(Type.String({ maxLength: 40 })),
  callback: Type.Optional(Type.Object({
    phone: Type.Optional(Type.String({ maxLength: 40, description: 'The number to call back; the call\'s number when omitted' })),
    window: Type.Optional(Window),
  })),
  notify: Type.Optional(Type.Object({
    channel: Type.Union([Type.Literal('sms'), Type.Literal('email')]),
    to: Type.Optional(Type.String({ maxLength: 320, description: 'Defaults to the callback phone for sms' })),
  }, { description: 'How the caller is told before the call (default: a text to the callback phone)' })),
});

export const Escalated = Type.Object({
  id: Type.String({ description: 'The escalation; for a callback, the callback\'s id' }),
  mode: Type.Union([Type.Literal('transfer'), Type.Literal('callback')]),
  dueAt: Instant, status: Type.String(), skills: Type.Array(Type.String()),
  toAgentId: Type.Optional(Type.String({ description: 'The Tier 2 officer who took a live transfer' })),
}, { description: 'Transferred live, or a callback promised' });

export const CallbackItemProps = {
  id: Type.String(), contactId: Type.String(), phone: Nullable(Type.String()), language: Type.String(), skills: Type.Array(Type.String()),
  urgency: Type.String(), window: Nullable(Window), dueAt: Instant, attempts: Type.Integer(),
  status: Type.String({ description: 'due | overdue | missed | done' }), reason: Type.String(), receiptNumber: Nullable(Type.String()), createdAt: Instant,
  assignedTo: Nullable(Type.String({ description: 'The staff id of the Tier 2 officer holding it (who tried it first, or whom a supervisor gave it to); null while in the skills queue' })),
};
export const CallbackItem = Type.Object(CallbackItemProps);

const Summary = Type.Object({
  id: Type.String(), reference: Type.String(), source: Type.String(), channel: Type.String(), callerPhone: Nullable(Type.String()), language: Type.String(),
  tier: Nullable(Type.String()), agentId: Nullable(Type.String()), startedAt: Instant, endedAt: Nullable(Instant), disposition: Nullable(Type.String()),
  recordingUri: Nullable(Type.String()), serviceRequests: Type.Array(Type.String()),
});

export const CallbackDetail = Type.Object({
  ...CallbackItemProps,
  attemptLog: Type.Array(Type.Object({ n: Type.Integer(), at: Instant, outcome: Type.String(), staffId: Type.String() })),
  contact: Type.Object({
    ...Summary.properties,
    notes: Nullable(Type.String()),
    events: Type.Array(Type.Object({ at: Instant, kind: Type.String(), actor: Type.String(), detail: Nullable(Type.Record(Type.String(), Type.Unknown())) })),
    cases: Type.Array(Type.Object({ receiptNumber: Type.String(), verified: Type.Boolean() })),
  }, { description: 'The call that asked for the callback, with its notes' }),
  history: Type.Array(Type.Object({ ...Summary.properties, notes: Type.Array(Type.String()), endNotes: Nullable(Type.String()) }), { description: 'Earlier calls of the same caller and cases, newest first, with their notes' }),
  reachedContactId: Nullable(Type.String()),
  actions: Type.Array(Type.String()),
}, { description: 'The callback and the whole story' });

export const CallbackQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('overdue'), Type.Literal('missed'), Type.Literal('done')])),
  assigned: Type.Optional(Type.Literal('me', { description: 'Only the callbacks you hold (Tier 2)' })),
  assignedTo: Type.Optional(Type.String({ maxLength: 64, description: 'Only the callbacks this officer (staff id) holds (supervisor)' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const Assigned = Type.Object(CallbackItemProps, { description: 'The callback, now held by the officer named' });

export const AssignBody = Type.Object({ userId: Type.String({ maxLength: 64, description: 'The staff id of an active Tier 2 officer whose skills serve the callback' }) });

export const AttemptBody = Type.Object({ outcome: Type.String({ maxLength: 20, description: 'reached | no-answer | voicemail | wrong-number' }) });

export const Attempted = Type.Object({
  n: Type.Integer(), outcome: Type.String(), at: Instant, status: Type.String({ description: 'The callback after the attempt: due | overdue | missed | done' }),
  attempts: Type.Integer(),
  contactId: Type.Optional(Type.String({ description: 'When reached: your call with the caller, to act on' })), reference: Type.Optional(Type.String()),
}, { description: 'The attempt is recorded' });

export const PresenceBody = Type.Object({ status: Type.String({ maxLength: 20, description: '"available" (takes live transfers) or "away"' }) });
export const Presence = Type.Object({ status: Type.String({ description: 'available | busy | away' }), contactId: Type.Optional(Nullable(Type.String())) }, { description: 'Your presence' });

export const Overview = Type.Object({
  at: Instant,
  agents: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), role: Type.String(), agentId: Type.String(), skills: Type.Array(Type.String()),
    status: Type.String(), onCall: Type.Boolean(), since: Nullable(Instant),
  })),
  callbacks: Type.Array(Type.Object({ skillKey: Type.String(), status: Type.String(), overdue: Type.Boolean(), n: Type.Integer() })),
  overdue: Type.Object({ items: Type.Array(CallbackItem), total: Type.Integer() }),
  missed: Type.Object({ items: Type.Array(CallbackItem), total: Type.Integer() }),
}, { description: 'Agents, callbacks by skill, overdue and missed callbacks' });
