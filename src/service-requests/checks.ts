/**
 * The checks of service-request input and answers, and the errors they raise: pure, no I/O (who the person is,
 * whether an answer says something, what a refusal by the rules tells the caller).
 */
import type { CaseTable } from '../platform/db/schema.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { formatReferralNumber } from '../domain/referral-number.ts';
import { adviceText, type ServiceRequestRules } from '../domain/service-request-rules.ts';
import { longDate } from '../platform/i18n/format.ts';
import { REASON_MAX, RESPONSE_LIMITS } from './policy.ts';
import type { ServiceRequestRow } from './store.ts';

/** The fields of the body the rules read (everything but the receipt number, type, contact and verification). */
export function requestFields(input: { details?: unknown; urgency?: unknown; expediteCriterion?: unknown; newAddress?: unknown }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['details', 'urgency', 'expediteCriterion', 'newAddress'] as const) if (input[k] !== undefined) out[k] = input[k];
  return out;
}


/** Names compared as people write them: case, accents, punctuation and spacing do not matter. */
export function normaliseName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}


export function verified(row: Pick<CaseTable, 'applicant'>, v: { name: string; dateOfBirth: string }): boolean {
  const a = parseObject(row.applicant);
  return typeof a.name === 'string' && typeof a.dateOfBirth === 'string'
    && normaliseName(a.name) === normaliseName(v.name) && normaliseName(v.name) !== '' && a.dateOfBirth === v.dateOfBirth.trim();
}


export function applicantEmail(row: Pick<CaseTable, 'applicant'>): string | null {
  const e = parseObject(row.applicant).email;
  return typeof e === 'string' && /^[^\s@]+@[^\s@]+$/.test(e.trim()) ? e.trim() : null;
}


export function parseObject(json: string | null): Record<string, unknown> {
  try {
    const v = json ? JSON.parse(json) as unknown : null;
    return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {};
  } catch {
    return {};
  }
}


export function parseArray(json: string | null): unknown[] {
  try {
    const v = json ? JSON.parse(json) as unknown : null;
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}


export function duplicate(existing: ServiceRequestRow): AppError {
  return new AppError('duplicate-service-request', `This case already has an open ${existing.type} request (${formatReferralNumber(existing.referral_number)}). It is due by ${existing.due_date}.`, {
    extensions: { existing: { referralNumber: existing.referral_number, status: existing.status, dueDate: existing.due_date } },
  });
}


export const notFoundReferral = () => new AppError('not-found', 'We could not find a service request with this referral number and receipt number.');


export function refusalError(d: Extract<ReturnType<ServiceRequestRules['evaluate']>, { ok: false }>): AppError {
  // Dates written out in each language ("January 5, 2027" / "5 de enero de 2027"); the ISO date is in earliestInquiryDate.
  const advice = { en: adviceText(d, 'en', (iso) => longDate(iso, 'en')), es: adviceText(d, 'es', (iso) => longDate(iso, 'es')) };
  const extensions: Record<string, unknown> = { rule: d.rule, advice };
  if (d.earliestInquiryDate) extensions.earliestInquiryDate = d.earliestInquiryDate;
  if (d.errors) extensions.errors = d.errors;
  return new AppError(d.code, advice.en, { extensions });
}


export function checkReason(input: string, field = 'reason'): string {
  const reason = (input ?? '').trim();
  if (!reason) throw validationError([{ field, code: 'required', detail: 'Say why, in a few words.' }]);
  if (reason.length > REASON_MAX) throw validationError([{ field, code: 'too-long', detail: `At most ${REASON_MAX} characters.` }]);
  return reason;
}


/** What is wrong with an answer: too short, too long, or the same words as the answer the person reopened. */
export function responseProblems(text: string, previous: string | null): FieldError[] {
  if (text.length < RESPONSE_LIMITS.minChars) {
    return [{ field: 'response', code: 'too-short', detail: `An answer needs at least ${RESPONSE_LIMITS.minChars} characters: say what was done on the case and what happens next.` }];
  }
  if (text.length > RESPONSE_LIMITS.maxChars) return [{ field: 'response', code: 'too-long', detail: `At most ${RESPONSE_LIMITS.maxChars} characters.` }];
  if (previous !== null && normaliseName(previous) === normaliseName(text)) {
    return [{ field: 'response', code: 'same-as-before', detail: 'This is the answer the person already said did not resolve the problem. Say what is new.' }];
  }
  return [];
}
