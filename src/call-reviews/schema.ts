/** TypeBox schemas of Ombudsman call reviews (CONTRACT.md section 11). */
import { Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const ReviewParams = Type.Object({ reviewNumber: Type.String({ maxLength: 20, description: '10 digits' }) });

export const RequestBody = Type.Object({
  callTime: Type.Optional(Type.String({ maxLength: 40, description: 'About when the call was: an instant with its offset (calls within 2 hours are matched, closest first)' })),
  callerPhone: Type.Optional(Type.String({ maxLength: 40, description: 'The phone number the person called from' })),
  agentId: Type.Optional(Type.String({ maxLength: 10, description: 'The staff ID the person wrote down' })),
  agentName: Type.Optional(Type.String({ maxLength: 200, description: 'Or the staff member\'s name (case and accents do not matter)' })),
  reference: Type.Optional(Type.String({ maxLength: 40, description: 'Or exactly the call record\'s reference, instead of time and phone' })),
  concern: Type.String({ maxLength: 8000, description: 'What the person says went wrong (10–4,000 characters)' }),
});

export const Requested = Type.Object({
  reviewNumber: Type.String(),
  contact: Type.Object({ reference: Type.String(), startedAt: Instant, agentId: Nullable(Type.String()) }),
}, { description: 'The review is open; the call is held from retention purges until it closes' });

export const CloseBody = Type.Object({ outcome: Type.String({ maxLength: 8000, description: 'What the review found and what was done (10–4,000 characters)' }) });

export const Review = Type.Object({
  reviewNumber: Type.String(), status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  contact: Type.Object({
    reference: Type.String(), startedAt: Instant, endedAt: Nullable(Instant), agentId: Nullable(Type.String()), callerPhone: Nullable(Type.String()),
    tier: Nullable(Type.String()), disposition: Nullable(Type.String()), recordingUri: Nullable(Type.String()),
  }),
  concern: Type.String(), outcome: Type.Optional(Type.String()), createdAt: Instant, closedAt: Nullable(Instant),
}, { description: 'The review' });
