/**
 * The checks of case assistance input and the advice the Ombudsman gives at intake: pure, no I/O. Input is read
 * field by field into a clean request, each bad field named (never echoing a bad receipt number); the advice is
 * computed from facts the service looked up.
 */
import { randomInt } from 'node:crypto';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { isIsoDate } from '../domain/calendar.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { parseReferralNumber, dammCheckDigit, dammValid, type Draw } from '../domain/referral-number.ts';
import { parseContactReference } from '../domain/contact-reference.ts';
import { parseANumber } from '../domain/a-number.ts';
import { addDays } from '../domain/processing-time.ts';
import { normaliseName } from '../service-requests/checks.ts';
import {
  MAX_CASES, MAX_PRIOR_ACTIONS, OUTSIDE_REMIT_KEYWORDS, PRIOR_ACTION_KINDS, REASONS_LIMITS, RECENT_CONTACT_DAYS, STATUS_FLOW,
  type CaseAssistanceStatus, type PriorActionKind,
} from './policy.ts';

export const ADVICE_CODES = ['wait-for-agency', 'within-processing-time', 'contact-agency-first', 'outside-ombudsman-remit'] as const;
export type AdviceCode = (typeof ADVICE_CODES)[number];

export interface Person {
  name: string;
  email?: string;
  phone?: string;
  dateOfBirth?: string;
  countryOfBirth?: string;
  citizenship?: string;
  aNumber?: string;
  address?: string;
}
export interface CitedCase { receiptNumber: string; formType: string; receiptDate?: string; benefitType?: string }
export interface PriorAction { date: string; kind: PriorActionKind; referralNumber?: string; callReference?: string }

export interface CaseAssistanceInput {
  requester: Person;
  applicant: Person;
  forSomeoneElse: boolean;
  consent: boolean;
  g28OnFile: boolean;
  cases: CitedCase[];
  priorActions: PriorAction[];
  reasons: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

function person(v: unknown, field: string, errors: FieldError[], required: boolean): Person {
  if (!isObject(v)) {
    if (required || v !== undefined) errors.push({ field, code: 'required', detail: 'Give at least the name.' });
    return { name: '' };
  }
  const p: Person = { name: text(v.name) };
  if (p.name.length < 2 || p.name.length > 200) errors.push({ field: `${field}.name`, code: 'required', detail: 'The full name, 2 to 200 characters.' });
  const email = text(v.email);
  if (email) {
    if (EMAIL.test(email) && email.length <= 254) p.email = email;
    else errors.push({ field: `${field}.email`, code: 'invalid', detail: 'An e-mail address like name@example.org.' });
  }
  const dob = text(v.dateOfBirth);
  if (dob) {
    if (isIsoDate(dob)) p.dateOfBirth = dob;
    else errors.push({ field: `${field}.dateOfBirth`, code: 'invalid-date', detail: 'A date as YYYY-MM-DD.' });
  }
  const a = text(v.aNumber);
  if (a) {
    const parsed = parseANumber(a);
    if (parsed) p.aNumber = parsed;
    else errors.push({ field: `${field}.aNumber`, code: 'invalid', detail: 'An A-number is A followed by 7 to 9 digits.' });
  }
  for (const k of ['phone', 'countryOfBirth', 'citizenship', 'address'] as const) {
    const s = text(v[k]);
    if (s.length > 500) errors.push({ field: `${field}.${k}`, code: 'length', detail: 'At most 500 characters.' });
    else if (s) p[k] = s;
  }
  return p;
}

/** True when the applicant is someone other than the requester (by name, without regard to case or accents). */
export const isSomeoneElse = (requester: Person, applicant: Person): boolean =>
  applicant.name !== '' && normaliseName(applicant.name) !== normaliseName(requester.name);

/** Reads the body of a request; 400 naming every bad field, and `consent` when someone files for another without it. */
export function readInput(body: unknown, agency: { receiptPrefixes: readonly string[]; forms: ReadonlyArray<{ code: string }> }, today: string): CaseAssistanceInput {
  const b = isObject(body) ? body : {};
  const errors: FieldError[] = [];
  const requester = person(b.requester, 'requester', errors, true);
  const applicant = b.applicant === undefined ? { ...requester } : person(b.applicant, 'applicant', errors, true);
  const forms = new Set(agency.forms.map((f) => f.code));

  const cases: CitedCase[] = [];
  if (!Array.isArray(b.cases) || b.cases.length === 0 || b.cases.length > MAX_CASES) {
    errors.push({ field: 'cases', code: 'required', detail: `The cases this is about: 1 to ${MAX_CASES}, each with its receipt number and form type.` });
  } else {
    b.cases.forEach((c: unknown, i: number) => {
      const f = `cases.${i}`;
      const o = isObject(c) ? c : {};
      const receipt = parseReceiptNumber(o.receiptNumber, agency.receiptPrefixes);
      if (!receipt) errors.push({ field: `${f}.receiptNumber`, code: 'invalid-receipt-number', detail: 'A receipt number is 3 letters followed by 10 digits, like EAC2590012345.' });
      const formType = text(o.formType).toUpperCase();
      if (!forms.has(formType)) errors.push({ field: `${f}.formType`, code: 'enum', detail: 'The form filed, like I-130 or N-400.' });
      const one: CitedCase = { receiptNumber: receipt?.value ?? '', formType };
      const rd = text(o.receiptDate);
      if (rd) {
        if (isIsoDate(rd)) one.receiptDate = rd;
        else errors.push({ field: `${f}.receiptDate`, code: 'invalid-date', detail: 'A date as YYYY-MM-DD.' });
      }
      const bt = text(o.benefitType);
      if (bt.length > 200) errors.push({ field: `${f}.benefitType`, code: 'length', detail: 'At most 200 characters.' });
      else if (bt) one.benefitType = bt;
      if (receipt && cases.some((x) => x.receiptNumber === receipt.value)) errors.push({ field: `${f}.receiptNumber`, code: 'duplicate', detail: 'This case is already listed.' });
      cases.push(one);
    });
  }

  const priorActions: PriorAction[] = [];
  if (b.priorActions !== undefined && (!Array.isArray(b.priorActions) || b.priorActions.length > MAX_PRIOR_ACTIONS)) {
    errors.push({ field: 'priorActions', code: 'invalid', detail: `The actions already taken with the agency: at most ${MAX_PRIOR_ACTIONS}.` });
  } else {
    ((b.priorActions as unknown[] | undefined) ?? []).forEach((a: unknown, i: number) => {
      const f = `priorActions.${i}`;
      const o = isObject(a) ? a : {};
      const date = text(o.date);
      if (!isIsoDate(date) || date > today) errors.push({ field: `${f}.date`, code: 'invalid-date', detail: 'The date of the action as YYYY-MM-DD, not in the future.' });
      const kind = text(o.kind) as PriorActionKind;
      if (!PRIOR_ACTION_KINDS.includes(kind)) errors.push({ field: `${f}.kind`, code: 'enum', detail: `Use one of: ${PRIOR_ACTION_KINDS.join(', ')}.` });
      const one: PriorAction = { date, kind };
      const rn = text(o.referralNumber);
      if (rn) {
        const parsed = parseReferralNumber(rn);
        if (parsed.ok) one.referralNumber = parsed.value;
        else errors.push({ field: `${f}.referralNumber`, code: 'invalid', detail: 'A referral number is 15 digits, as in the agency\'s letter or e-mail.' });
      }
      const cr = text(o.callReference);
      if (cr) {
        const parsed = parseContactReference(cr);
        if (parsed) one.callReference = parsed;
        else errors.push({ field: `${f}.callReference`, code: 'invalid', detail: 'A call reference is 12 digits, as on the call record.' });
      }
      priorActions.push(one);
    });
  }

  const reasons = text(b.reasons);
  if (reasons.length < REASONS_LIMITS.min || reasons.length > REASONS_LIMITS.max) {
    errors.push({ field: 'reasons', code: 'length', detail: `Why you ask the Ombudsman for help, ${REASONS_LIMITS.min} to ${REASONS_LIMITS.max} characters.` });
  }
  for (const k of ['consent', 'g28OnFile'] as const) {
    if (b[k] !== undefined && typeof b[k] !== 'boolean') errors.push({ field: k, code: 'type', detail: 'true or false.' });
  }
  const consent = b.consent === true;
  const g28OnFile = b.g28OnFile === true;
  const forSomeoneElse = isSomeoneElse(requester, applicant);
  if (forSomeoneElse && !consent && !g28OnFile && !errors.some((e) => e.field === 'consent')) {
    errors.push({ field: 'consent', code: 'required', detail: 'Filing for someone else needs their written consent ("consent": true), or a G-28 on file for their representative ("g28OnFile": true).' });
  }
  if (errors.length) throw validationError(errors);
  return { requester, applicant, forSomeoneElse, consent, g28OnFile, cases, priorActions, reasons };
}

/** What the service looked up about the cited requests and cases. */
export interface AdviceFacts {
  today: string;
  /** Cited referral numbers found and belonging to one of the cited cases, with their status and due date. */
  verifiedRequests: Array<{ referralNumber: string; dueDate: string; open: boolean }>;
  /** The cited cases found, and whether each is within normal processing time. */
  casesWithinProcessingTime: string[];
}

/** The advice (not a rejection): what the person should know before the Ombudsman can help. */
export function adviceFor(input: Pick<CaseAssistanceInput, 'priorActions' | 'reasons'>, facts: AdviceFacts): AdviceCode[] {
  const advice = new Set<AdviceCode>();
  if (facts.verifiedRequests.some((r) => r.open && r.dueDate > facts.today)) advice.add('wait-for-agency');
  if (facts.casesWithinProcessingTime.length > 0) advice.add('within-processing-time');
  const since = addDays(facts.today, -RECENT_CONTACT_DAYS);
  if (!input.priorActions.some((a) => a.date >= since && a.date <= facts.today)) advice.add('contact-agency-first');
  if (outsideRemit(input.reasons)) advice.add('outside-ombudsman-remit');
  return ADVICE_CODES.filter((c) => advice.has(c));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REMIT = new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${OUTSIDE_REMIT_KEYWORDS.map((k) => escape(k).replace(/ /g, '\\s+')).join('|')})(?=$|[^\\p{L}\\p{N}])`, 'u');

/** True when the reasons ask for legal advice or name another agency (the keyword list in policy.ts). */
export function outsideRemit(reasons: string): boolean {
  return REMIT.test(reasons.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase());
}

/** Request numbers: "CA" + 8 random digits (the first 1–9) + a Damm check digit. */
export function newRequestNumber(draw: Draw = randomInt): string {
  const body = String(draw(1e7, 1e8));
  return `CA${body}${dammCheckDigit(body)}`;
}

/** The canonical request number from what was typed (case, spaces and dashes ignored), or null. */
export function parseRequestNumber(input: string): string | null {
  const v = (input ?? '').replace(/[\s-]/g, '').toUpperCase();
  return /^CA[1-9]\d{8}$/.test(v) && dammValid(v.slice(2)) ? v : null;
}

export const notFoundRequest = () => new AppError('not-found', 'There is no case assistance request with this number.');

/** 409 unless the request may move from `from` to `to`. */
export function checkTransition(from: CaseAssistanceStatus, to: CaseAssistanceStatus): void {
  if (!(STATUS_FLOW[from] as readonly string[]).includes(to)) {
    throw new AppError('conflict', `A request that is ${from} cannot become ${to}; next: ${STATUS_FLOW[from].join(', ') || 'nothing (it is closed)'}.`);
  }
}
