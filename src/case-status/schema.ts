/** Schemas of the Case Status API (agency wire format) and the public status vocabulary, for OpenAPI. */
import { Type } from '@fastify/type-provider-typebox';

const Localised = Type.Object({ en: Type.String(), es: Type.String() });

/** `{"code": <int>, "message", "errors": [{code, message}]}`: the agency's error body, both of its formats in one. */
export const AgencyError = Type.Object({
  code: Type.Integer({ description: 'The HTTP status' }),
  message: Type.String(),
  errors: Type.Array(Type.Object({ code: Type.String({ description: 'UPPER_SNAKE_CASE' }), message: Type.String() })),
});

export const CaseStatusAnswer = Type.Object({
  case_status: Type.Object({
    receiptNumber: Type.String(),
    formType: Type.String(),
    submittedDate: Type.Optional(Type.String({ description: 'The received date, MM-DD-YYYY HH:mm:ss in the agency time zone; absent for IOE receipts' })),
    modifiedDate: Type.Optional(Type.String({ description: 'The date of the current status, MM-DD-YYYY HH:mm:ss in the agency time zone; absent for IOE receipts' })),
    current_case_status_text_en: Type.String(),
    current_case_status_desc_en: Type.String(),
    current_case_status_text_es: Type.String(),
    current_case_status_desc_es: Type.String(),
    hist_case_status: Type.Union([
      Type.Array(Type.Object({ date: Type.String({ description: 'YYYY-MM-DD' }), completed_text_en: Type.String(), completed_text_es: Type.String() })),
      Type.Null(),
    ], { description: 'The earlier statuses, newest first; null when there are none' }),
  }),
  message: Type.String(),
}, { description: 'The case status, in the agency\'s format (field order as the agency sends it)' });

export const StatusItem = Type.Object({
  code: Type.String({ description: 'kebab-case status code, as used in the case feed' }),
  decision: Type.Union([Type.String(), Type.Null()], { description: 'approved, denied, rejected or withdrawn for statuses that decide a case' }),
  title: Localised,
  description: Type.Object({ en: Type.String(), es: Type.String() }, { description: 'Templates with {date}, {form}, {formTitle}, {receipt} and {office} slots' }),
});
