/**
 * Schemas of the case feed (CONTRACT.md section 5), for the OpenAPI document. The route reads its body itself,
 * as a stream, and checks each record with checkFeedRecord (feed-record.ts), so a bad record is reported by line
 * instead of refusing the whole feed: CaseRecord documents what that check accepts; Fastify does not apply it.
 */
import { Type } from '@fastify/type-provider-typebox';

const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Text = Type.String({ description: 'At most 500 characters are kept' });
const Dated = (extra: Record<string, ReturnType<typeof Type.String>>) => Type.Object({ id: Type.String(), date: IsoDate, ...extra });

export const CaseRecord = Type.Object({
  receiptNumber: Type.String({ description: 'A known 3-letter prefix and 10 digits; spaces and dashes are ignored' }),
  formType: Type.String({ description: 'A form code from the reference data, e.g. I-130' }),
  formCategory: Type.Optional(Type.Union([Text, Type.Null()])),
  office: Type.String({ description: 'The office that holds the case now, e.g. VSC' }),
  fieldOffice: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  receivedDate: IsoDate,
  decidedDate: Type.Optional(Type.Union([IsoDate, Type.Null()], { description: 'Not before receivedDate; when absent, the date of the last deciding status in the history' })),
  applicant: Type.Object({
    name: Text,
    dateOfBirth: IsoDate,
    aNumber: Type.Optional(Type.Union([Type.String({ description: 'A followed by 7 to 9 digits' }), Type.Null()])),
    countryOfBirth: Type.Optional(Type.Union([Text, Type.Null()])),
    phone: Type.Optional(Type.Union([Text, Type.Null()])),
    email: Type.Optional(Type.Union([Text, Type.Null()])),
    address: Type.Optional(Type.Union([Type.Object({
      street: Type.Optional(Type.Union([Text, Type.Null()])), city: Type.Optional(Type.Union([Text, Type.Null()])),
      state: Type.Optional(Type.Union([Text, Type.Null()])), zip: Type.Optional(Type.Union([Text, Type.Null()])),
    }), Type.Null()])),
    military: Type.Optional(Type.Boolean()),
    protectedCategory: Type.Optional(Type.Union([Type.Literal('VAWA'), Type.Literal('T'), Type.Literal('U'), Type.Null()])),
  }),
  representative: Type.Optional(Type.Union([Type.Object({ name: Type.Optional(Type.Union([Text, Type.Null()])), g28OnFile: Type.Optional(Type.Boolean()) }), Type.Null()])),
  priorityDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  preferenceCategory: Type.Optional(Type.Union([Text, Type.Null()])),
  chargeability: Type.Optional(Type.Union([Text, Type.Null()])),
  premiumProcessingEligible: Type.Optional(Type.Boolean()),
  history: Type.Array(Type.Object({
    date: Type.Optional(IsoDate),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'An instant with an offset, instead of date' })),
    status: Type.String({ description: 'A status code of GET /api/v1/reference/statuses' }),
  }), { minItems: 1, maxItems: 200, description: 'Oldest first; the last entry is the current status' }),
  notices: Type.Optional(Type.Union([Type.Array(Dated({ type: Type.String() }), { maxItems: 200 }), Type.Null()])),
  rfes: Type.Optional(Type.Union([Type.Array(Dated({ text: Type.String() }), { maxItems: 200 }), Type.Null()])),
}, { $id: 'CaseRecord', description: 'One case from the agency\'s case systems; a re-sent record replaces what the feed said before' });

/** The request body as the document gives it: the route parses it itself (streamed, up to 256 MiB). */
export const FeedBody = {
  description: 'Case records, up to 256 MiB, read as a stream. A record that fails the checks is rejected by line; the others are loaded.',
  content: {
    'application/x-ndjson': { schema: Type.String({ description: 'NDJSON: one CaseRecord (see components) as a JSON object a line, UTF-8' }) },
    'application/json': { schema: Type.Array(Type.Ref('CaseRecord')) },
  },
};

export const FeedResponse = Type.Object({
  accepted: Type.Integer({ description: 'Valid records, changed or not' }),
  rejected: Type.Array(Type.Object({ line: Type.Integer(), receiptNumber: Type.Optional(Type.String()), code: Type.String(), detail: Type.String() })),
  rejectedTotal: Type.Optional(Type.Integer({ description: 'Present when more records were rejected than listed (10,000)' })),
}, { description: 'Loaded: how many records were accepted, and each rejected one by line' });
