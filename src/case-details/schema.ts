/** TypeBox schemas of the case-details API (CONTRACT.md section 9): validation and the OpenAPI document. */
import { Type } from '@fastify/type-provider-typebox';
import { REISSUE_REASON_LIMITS } from './policy.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const IsoDate = Type.String({ description: 'YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time' });
const Source = Type.Unsafe<'feed' | 'switchboard'>({ type: 'string', enum: ['feed', 'switchboard'], description: 'feed: the agency\'s case systems; switchboard: added here, kept across feed re-sends' });
const ReissueStatus = Type.Unsafe<'open' | 'done'>({ type: 'string', enum: ['open', 'done'], description: 'open: in the office\'s queue; done: the duplicate was issued' });

export const ReceiptParams = Type.Object({ receiptNumber: Type.String({ maxLength: 40, description: 'The receipt number (spaces and dashes are ignored)' }) });
export const RfeParams = Type.Object({ receiptNumber: ReceiptParams.properties.receiptNumber, id: Type.String({ maxLength: 100, description: 'The RFE\'s id, as the case lists it' }) });
export const OfficeParams = Type.Object({ code: Type.String({ maxLength: 10 }) });

export const PurposeQuery = Type.Object({
  purpose: Type.Optional(Type.String({ maxLength: 100, description: 'Why the case is read: the contact (call) or work item id; written to the audit trail' })),
});

export const TimelineEntry = Type.Object({
  date: IsoDate,
  at: Nullable(Instant),
  kind: Type.String({ description: 'status | notice | rfe | service-request | notice-reissue-request (more kinds may be added, e.g. contact, callback)' }),
  ref: Type.String({ description: 'The record within its kind: a status code, a notice or RFE id, a referral number, a request id' }),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), { description: 'Facts of the entry (never PII)' }),
}, { description: 'One event on the case' });

const Address = Type.Object({ street: Nullable(Type.String()), city: Nullable(Type.String()), state: Nullable(Type.String()), zip: Nullable(Type.String()) });

export const CaseDetails = Type.Object({
  receiptNumber: Type.String(), formType: Type.String(), formCategory: Type.String(), office: Type.String({ description: 'The office holding the case' }),
  fieldOffice: Nullable(Type.String()), receivedDate: IsoDate, decidedDate: Nullable(IsoDate),
  status: Type.String({ description: 'The current status code (the last entry of the history)' }), statusDate: IsoDate,
  applicant: Type.Object({
    name: Type.String(), dateOfBirth: IsoDate,
    aNumber: Nullable(Type.String({ description: 'In full (A + 9 digits): the case view is the one place it is unmasked' })),
    countryOfBirth: Nullable(Type.String()), phone: Nullable(Type.String()), email: Nullable(Type.String()), address: Nullable(Address),
  }),
  representative: Nullable(Type.Object({ name: Nullable(Type.String()), g28OnFile: Type.Boolean() })),
  military: Type.Boolean(), protectedCategory: Nullable(Type.String({ description: 'VAWA, T or U' })),
  priorityDate: Nullable(IsoDate), preferenceCategory: Nullable(Type.String()), chargeability: Nullable(Type.String()), premiumProcessingEligible: Type.Boolean(),
  history: Type.Array(Type.Object({ date: IsoDate, at: Nullable(Instant), status: Type.String(), source: Source }), { description: 'Oldest first' }),
  notices: Type.Array(Type.Object({
    id: Type.String(), type: Type.String(), date: IsoDate, of: Nullable(Type.String({ description: 'For a duplicate: the notice it duplicates' })), source: Source,
  })),
  rfes: Type.Array(Type.Object({ id: Type.String(), date: IsoDate }), { description: 'Requests for Evidence, without their text (the holding office reads it at /rfes/{id})' }),
  timeline: Type.Array(TimelineEntry, { description: 'Newest first: statuses, notices, RFEs, service requests, notice re-issue requests, …' }),
  actions: Type.Array(Type.String(), { description: 'What the caller may do on this case: create-service-request, request-notice-reissue, issue-duplicate-notice, view-rfe' }),
}, { description: 'The whole case' });

export const Rfe = Type.Object({ receiptNumber: Type.String(), id: Type.String(), date: IsoDate, text: Type.String() }, { description: 'The RFE with its text' });

export const ReissueBody = Type.Object({
  noticeId: Type.String({ maxLength: 100, description: 'The notice to re-issue, by its id in the case\'s notices' }),
  reason: Type.String({ maxLength: REISSUE_REASON_LIMITS.maxChars, description: `Why the person needs it again (${REISSUE_REASON_LIMITS.minChars}–${REISSUE_REASON_LIMITS.maxChars} characters)` }),
  contactId: Type.Optional(Type.String({ maxLength: 100, description: 'The contact (call) the request was made on' })),
});

const ReissueProps = {
  id: Type.String(), receiptNumber: Type.String(), noticeId: Type.String(), office: Type.String({ description: 'The office whose queue it is in' }),
  status: ReissueStatus, createdAt: Instant,
};
export const Reissue = Type.Object(ReissueProps, { description: 'The re-issue request, in the holding office\'s queue' });
export const ReissueQueueItem = Type.Object({
  ...ReissueProps, reason: Type.String(), requestedBy: Type.String({ description: 'staff:<id>' }), contactId: Nullable(Type.String()),
  doneAt: Nullable(Instant), duplicateNoticeId: Nullable(Type.String()),
});
export const ReissueQueueQuery = Type.Object({
  status: Type.Optional(ReissueStatus),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const NoticeBody = Type.Object({
  type: Type.String({ maxLength: 40, description: '"duplicate" (the only type issued here)' }),
  noticeId: Type.String({ maxLength: 100, description: 'The notice to duplicate' }),
});
export const NoticeIssued = Type.Object({
  noticeId: Type.String({ description: 'The new notice' }), type: Type.Literal('duplicate'), of: Type.String({ description: 'The original notice' }),
  date: IsoDate, receiptNumber: Type.String(),
}, { description: 'Issued: the case\'s history now shows duplicate-notice-was-mailed' });
