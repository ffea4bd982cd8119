/** TypeBox schemas of the service-request API (CONTRACT.md section 10): validation and the OpenAPI document. */
import { Type } from '@fastify/type-provider-typebox';
import { SERVICE_REQUEST_TYPES } from '../domain/service-request-policy.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time' });

export const Referral = Type.String({ description: 'The referral number: 15 digits (spaces and dashes are ignored)', maxLength: 40 });
export const ReferralParams = Type.Object({ referralNumber: Referral });

/** A string of a fixed list (typed as a plain string: the service's own types are the narrow ones). */
const OneOf = (values: readonly string[], description: string) => Type.Unsafe<string>({ type: 'string', enum: [...values], description });
export const ServiceRequestType = OneOf(SERVICE_REQUEST_TYPES, 'The kind of request');
export const STATUSES = ['open', 'claimed', 'answered', 'closed', 'reopened'] as const;
export const Status = OneOf(STATUSES, 'open → claimed → answered → closed; reopened (back to the queue) from answered');

export const Verification = Type.Object({
  name: Type.String({ maxLength: 200, description: 'The applicant\'s name as on the receipt notice (case, accents and punctuation do not matter)' }),
  dateOfBirth: Type.String({ maxLength: 20, description: 'YYYY-MM-DD' }),
}, { description: 'The person, when they file for themselves (no bearer token)' });

export const CreateBody = Type.Object({
  receiptNumber: Type.String({ maxLength: 40 }),
  type: Type.String({ maxLength: 60, description: `One of: ${SERVICE_REQUEST_TYPES.join(', ')}` }),
  contactId: Type.Optional(Type.String({ maxLength: 100, description: 'The contact (call) the request was made on' })),
  details: Type.Optional(Type.String({ description: 'What the person needs, in their words (required; at most 4,000 characters)' })),
  urgency: Type.Optional(Type.String({ description: 'urgent | regular' })),
  expediteCriterion: Type.Optional(Type.String({ description: 'Required for expedite: severe-financial-loss, urgent-humanitarian, nonprofit-cultural-social, government-interest, agency-error' })),
  newAddress: Type.Optional(Type.Unknown({ description: 'Required for change-of-address: the new address (text or an object)' })),
  verification: Type.Optional(Verification),
});

export const Created = Type.Object({
  referralNumber: Type.String(), type: ServiceRequestType, status: Type.Literal('open'), office: Type.String(), dueDate: IsoDate, createdAt: Instant,
}, { description: 'Created: the referral number to quote, the office it went to and its due date' });

const StaffRef = Type.Object({ id: Type.String(), name: Type.String() });

const ViewProps = {
  referralNumber: Type.String(), receiptNumber: Type.String(), type: ServiceRequestType, status: Status, office: Type.String(),
  priority: Type.String({ description: 'high | normal | low' }), dueDate: IsoDate, createdAt: Instant,
  creator: Type.String({ description: 'tier1 | tier2 | public' }), contactId: Nullable(Type.String()), lang: Type.String({ description: 'The language the person is answered in' }),
  fields: Type.Record(Type.String(), Type.Unknown(), { description: 'details, urgency, expediteCriterion, newAddress as given' }),
  claimedBy: Nullable(StaffRef), claimedAt: Nullable(Instant), response: Nullable(Type.String()), answeredAt: Nullable(Instant),
  answeredBy: Nullable(StaffRef), overdue: Type.Boolean(), reopenCount: Type.Integer({ minimum: 0 }),
  formLetterFlag: Type.Boolean({ description: 'A reviewer flagged the answer as a bare form letter' }),
};

export const RequestView = Type.Object(ViewProps, { description: 'The request after the change' });

export const RequestWithHistory = Type.Object({
  ...ViewProps,
  history: Type.Array(Type.Object({
    at: Instant, action: Type.String(), actor: Type.String({ description: 'staff:<id>, public or system' }), by: Nullable(StaffRef),
    detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
  }), { description: 'Oldest first' }),
}, { description: 'The request and its history' });

export const QueueItem = Type.Object({
  referralNumber: Type.String(), receiptNumber: Type.String(), type: ServiceRequestType, status: Status, office: Type.String(),
  priority: Type.String(), dueDate: IsoDate, createdAt: Instant, claimedBy: Nullable(StaffRef), overdue: Type.Boolean(),
  reopenCount: Type.Integer({ minimum: 0 }), formLetterFlag: Type.Boolean(),
});

export const PublicStatus = Type.Object({ referralNumber: Type.String(), status: Status, dueDate: IsoDate }, { description: 'Status and due date only' });

export const QueueQuery = Type.Object({
  status: Type.Optional(Status),
  type: Type.Optional(ServiceRequestType),
  overdue: Type.Optional(Type.Boolean()),
  claimedBy: Type.Optional(Type.Literal('me', { description: '"me": only the requests I hold' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const ListQuery = Type.Object({
  office: Type.Optional(Type.String({ maxLength: 10 })),
  status: Type.Optional(Status),
  type: Type.Optional(ServiceRequestType),
  overdue: Type.Optional(Type.Boolean()),
  flagged: Type.Optional(Type.Boolean({ description: 'Answers a reviewer flagged as form letters' })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const RespondBody = Type.Object({ response: Type.String({ maxLength: 8000, description: 'The answer the person receives by mail: what was done and what happens next (at least 40 characters)' }) });
export const ReasonBody = Type.Object({ reason: Type.String({ maxLength: 2000 }) });
export const AssignBody = Type.Object({ userId: Type.String({ maxLength: 100, description: 'An office account of the office holding the request' }) });
export const TransferBody = Type.Object({ office: Type.String({ maxLength: 10 }), reason: Type.String({ maxLength: 2000 }) });
export const ReviewBody = Type.Object({ formLetter: Type.Boolean({ description: 'true: the answer is a bare form letter' }), note: Type.Optional(Type.String({ maxLength: 2000 })) });
export const PublicReopenBody = Type.Object({ receiptNumber: Type.String({ maxLength: 40 }), verification: Verification, reason: Type.String({ maxLength: 2000 }) });
export const PublicStatusQuery = Type.Object({ receiptNumber: Type.Optional(Type.String({ maxLength: 40, description: 'The receipt number the request is about (without the matching one: 404)' })) });
export const OfficeParams = Type.Object({ code: Type.String({ maxLength: 10 }) });
