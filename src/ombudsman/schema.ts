/** TypeBox schemas of Ombudsman case assistance requests (CONTRACT.md section 11). */
import { Type } from '@fastify/type-provider-typebox';
import { PageQuery } from '../platform/http/types.ts';
import { ADVICE_CODES, type AdviceCode } from './checks.ts';
import { PRIOR_ACTION_KINDS, STATUSES, type CaseAssistanceStatus } from './policy.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });
const Str = Type.String();
const Opt = <T extends Parameters<typeof Type.Optional>[0]>(t: T) => Type.Optional(t);

export const RequestParams = Type.Object({ requestNumber: Type.String({ maxLength: 20, description: '"CA" and 9 digits' }) });

/**
 * The body is read field by field by the service (src/ombudsman/checks.ts), so that a 400 names every bad field
 * at once; the schema here documents it.
 */
export const SubmitBody = Type.Object({
  requester: Type.Unknown({ description: 'Who files: {name, email?, phone?, address?, dateOfBirth?, countryOfBirth?, citizenship?, aNumber?}' }),
  applicant: Type.Optional(Type.Unknown({ description: 'Whose cases these are, the same fields; the requester when omitted. A different name means filing for someone else' })),
  cases: Type.Unknown({ description: 'Each form filed: [{receiptNumber, formType, receiptDate?, benefitType?}], 1 to 10' }),
  priorActions: Type.Optional(Type.Unknown({ description: `What was already done with the agency: [{date, kind (${PRIOR_ACTION_KINDS.join(', ')}), referralNumber?, callReference?}]` })),
  reasons: Type.Unknown({ description: 'Why the person asks the Ombudsman for help (10–8,000 characters)' }),
  consent: Type.Optional(Type.Unknown({ description: 'true: the applicant\'s written consent for this form and issue (needed when filing for someone else, unless g28OnFile)' })),
  g28OnFile: Type.Optional(Type.Unknown({ description: 'true: the requester is the applicant\'s representative with a G-28 on file' })),
});

const Advice = Type.Array(Type.Unsafe<AdviceCode>({ type: 'string', enum: [...ADVICE_CODES] }));
const Eligibility = Type.Object({
  priorActionVerified: Type.Boolean({ description: 'A cited referral number exists and belongs to one of the cited cases' }),
  advice: Advice,
});

export const Created = Type.Object({ requestNumber: Str, eligibility: Eligibility }, {
  description: 'Received. The advice codes are advice, not a refusal: `wait-for-agency` (a cited request is not yet due), `within-processing-time`, '
    + '`contact-agency-first` (no contact with the agency in the last 90 days), `outside-ombudsman-remit` (legal advice, other agencies)',
});

const Status = Type.Unsafe<CaseAssistanceStatus>({ type: 'string', enum: STATUSES });

export const QueueQuery = Type.Object({
  status: Type.Optional(Type.String({ description: `One of ${STATUSES.join(', ')}; without it, every status but closed` })),
  ...PageQuery,
});

const QueueFields = {
  requestNumber: Str, status: Status, createdAt: Instant,
  reviewBy: Type.String({ format: 'date', description: 'Reviewed by: 30 days after receipt' }),
  actBy: Type.String({ format: 'date', description: 'Acted on by: 90 days after receipt' }),
  assignedTo: Nullable(Type.Object({ id: Str, name: Str })),
  cases: Type.Array(Type.Object({ receiptNumber: Str, formType: Str })),
  eligibility: Eligibility,
};
export const QueueItem = Type.Object(QueueFields);

const Person = Type.Object({
  name: Str, email: Opt(Str), phone: Opt(Str), dateOfBirth: Opt(Str), countryOfBirth: Opt(Str), citizenship: Opt(Str),
  aNumber: Opt(Type.String({ description: 'Masked: last 4 digits' })), address: Opt(Str),
});
const ReferralCheck = Type.Object({
  referralNumber: Str, found: Type.Boolean(), belongsToCitedCase: Type.Boolean(),
  receiptNumber: Opt(Str), type: Opt(Str), status: Opt(Str), office: Opt(Str), dueDate: Opt(Day), createdAt: Opt(Instant),
  history: Opt(Type.Array(Type.Object({ at: Instant, action: Str }))),
}, { description: 'The cited service request as Switchboard holds it' });
const CallCheck = Type.Object({
  reference: Str, found: Type.Boolean(), aboutCitedCase: Type.Boolean(),
  startedAt: Opt(Instant), agentId: Opt(Nullable(Str)), tier: Opt(Nullable(Str)), disposition: Opt(Nullable(Str)),
}, { description: 'The cited call as Switchboard holds it: its date and the agent\'s staff ID' });

export const Detail = Type.Object({
  ...QueueFields,
  requester: Person, applicant: Person, forSomeoneElse: Type.Boolean(), consent: Type.Boolean(), g28OnFile: Type.Boolean(),
  citedCases: Type.Array(Type.Object({ receiptNumber: Str, formType: Str, receiptDate: Opt(Day), benefitType: Opt(Str) })),
  priorActions: Type.Array(Type.Object({
    date: Day, kind: Str, referralNumber: Opt(Str), callReference: Opt(Str), referral: Opt(ReferralCheck), call: Opt(CallCheck),
  })),
  reasons: Str, outcome: Nullable(Str), closedAt: Nullable(Instant),
  history: Type.Array(Type.Object({ at: Instant, action: Str, actor: Str, detail: Nullable(Type.Record(Type.String(), Type.Unknown())) })),
}, { description: 'The request, with its cited referral numbers and call references checked' });

export const AssignBody = Type.Object({ userId: Type.String({ maxLength: 64, description: 'An Ombudsman analyst\'s staff ID' }) });
export const NoteBody = Type.Object({ text: Type.String({ maxLength: 16000 }) });
export const StatusBody = Type.Object({
  status: Type.String({ maxLength: 20, description: `received → in-review → agency-asked → answered → closed (${STATUSES.join(', ')})` }),
  outcome: Type.Optional(Type.String({ maxLength: 16000, description: 'Required to close: the outcome, sent to the person as the closing letter' })),
});
