/** TypeBox schemas of the Ombudsman's requests to the agency and letters to the person. */
import { Type } from '@fastify/type-provider-typebox';
import { PageQuery } from '../platform/http/types.ts';
import { AGENCY_ANSWER_BUSINESS_DAYS, ANSWER_LIMITS, ITEM_STATUSES, LETTER_LIMITS, QUESTION_LIMITS } from './policy.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Str = Type.String();
const StaffRef = Nullable(Type.Object({ id: Str, name: Str }));

export const RequestParams = Type.Object({ requestNumber: Type.String({ maxLength: 20, description: '"CA" and 9 digits' }) });
export const ItemParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const OfficeParams = Type.Object({ code: Type.String({ maxLength: 10, description: 'An office code, e.g. VSC' }) });

export const AskBody = Type.Object({
  receiptNumber: Type.String({ maxLength: 40, description: 'One of the cases the request cites; the office holding it is asked' }),
  question: Type.String({ maxLength: 16000, description: `What the office should look at or answer (${QUESTION_LIMITS.min} to ${QUESTION_LIMITS.max} characters)` }),
});
export const AnswerBody = Type.Object({
  answer: Type.String({ maxLength: 16000, description: `What the office found or did (${ANSWER_LIMITS.min} to ${ANSWER_LIMITS.max} characters)` }),
});
export const LetterBody = Type.Object({
  text: Type.String({ maxLength: 16000, description: `The letter to the person (${LETTER_LIMITS.min} to ${LETTER_LIMITS.max} characters)` }),
});

export const OfficeQueueQuery = Type.Object({
  status: Type.Optional(Type.String({ description: `One of ${ITEM_STATUSES.join(', ')}; without it, the waiting ones (open and claimed)` })),
  ...PageQuery,
});

export const AgencyRequest = Type.Object({
  id: Str, requestNumber: Str, receiptNumber: Str, office: Type.String({ description: 'The office holding the case: whose queue the item is in' }),
  question: Str, askedBy: StaffRef, askedAt: Instant,
  dueDate: Type.String({ format: 'date', description: `${AGENCY_ANSWER_BUSINESS_DAYS} business days of the office's calendar after it was asked` }),
  overdue: Type.Boolean(), status: Type.Unsafe<string>({ type: 'string', enum: [...ITEM_STATUSES] }),
  claimedBy: StaffRef, claimedAt: Nullable(Instant), answer: Nullable(Str), answeredBy: StaffRef, answeredAt: Nullable(Instant),
}, { description: 'The Ombudsman\'s question to the office holding a cited case, a work item in its queue' });

export const AgencyRequestList = Type.Object({ items: Type.Array(AgencyRequest) }, { description: 'The request\'s questions to the agency, oldest first' });

export const LetterSent = Type.Object({
  requestNumber: Str,
  delivery: Type.Unsafe<'email' | 'post'>({ type: 'string', enum: ['email', 'post'], description: '`email`: queued in the outbox; `post`: neither the requester nor the applicant gave an e-mail' }),
  at: Instant,
}, { description: 'The letter, queued for the person\'s e-mail or recorded as going by post' });
