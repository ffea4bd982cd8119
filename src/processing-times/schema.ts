/** Request and response schemas of processing times and inquiry eligibility (CONTRACT.md section 7). */
import { Type } from '@fastify/type-provider-typebox';
import { MAX_PUBLISHED_ROWS, MONTHS80_MAX } from './policy.ts';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const PublishedRow = Type.Object({
  formType: Type.String({ minLength: 1, maxLength: 20, description: 'A form code from the reference data, e.g. I-130' }),
  formCategory: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'Omitted, null or empty: the row applies to every category of the form at that office' })),
  office: Type.String({ minLength: 1, maxLength: 20, description: 'An office code, e.g. VSC' }),
  months80: Type.Number({ exclusiveMinimum: 0, maximum: MONTHS80_MAX, description: 'Months in which 80% of cases were decided' }),
  asOf: IsoDate,
}, { additionalProperties: false });

export const PublishBody = Type.Array(PublishedRow, { minItems: 1, maxItems: MAX_PUBLISHED_ROWS });

const StoredRow = Type.Object({
  formType: Type.String(),
  formCategory: Type.Union([Type.String(), Type.Null()]),
  office: Type.String(),
  months80: Type.Number(),
  asOf: Type.String(),
});

export const PublishResponse = Type.Array(StoredRow, { description: 'Published: the rows as stored (codes normalised, months80 to two decimals)' });

export const FigureQuery = Type.Object({
  formType: Type.String({ minLength: 1, maxLength: 20 }),
  formCategory: Type.Optional(Type.String({ maxLength: 200, description: 'Omitted or empty: all categories of the form' })),
  office: Type.String({ minLength: 1, maxLength: 20 }),
});

export const FigureResponse = Type.Object({
  formType: Type.String(),
  formCategory: Type.Union([Type.String(), Type.Null()]),
  office: Type.String(),
  months80: Type.Number({ description: 'Months in which 80% of cases are decided' }),
  basis: Type.String({ enum: ['published', 'computed', 'default'] }),
  asOf: Type.String({ description: 'The published date, or today for computed and default figures' }),
  inquiryReceiptDate: Type.String({ description: 'A pending case received before this date is outside normal processing time' }),
}, { description: 'The processing time and the inquiry receipt date' });

export const ReceiptParams = Type.Object({ receiptNumber: Type.String({ description: 'Spaces and dashes are ignored; letters may be lower case' }) });

export const InquiryResponse = Type.Object({
  receiptNumber: Type.String({ description: 'As normalised: 3 letters and 10 digits' }),
  outsideNormalProcessingTime: Type.Boolean(),
  inquiryReceiptDate: Type.String(),
  earliestInquiryDate: Type.String({ description: 'Received date + months80 × 30.4375 days, rounded up, plus one day: the first date a pending case is outside normal processing time (a decided case never is)' }),
  receivedDate: Type.String(),
  decided: Type.Boolean(),
  processingTime: FigureResponse,
}, { description: 'Whether the case is outside normal processing time' });
