/** Pure checks of feedback: what a person sent, as the API and the page forms take it. */
import type { FieldError } from '../platform/errors/catalogue.ts';
import { sameSitePath } from '../platform/http/safe-redirect.ts';
import { COMMENT_MAX, REASON_CODES, type ReasonCode } from './policy.ts';

export interface FeedbackInput {
  page?: unknown;
  helpful?: unknown;
  reasons?: unknown;
  comment?: unknown;
}

export interface CheckedFeedback {
  /** The path only: a query may hold receipt numbers, and counts are by page. */
  page: string | null;
  helpful: boolean | null;
  reasons: ReasonCode[];
  comment: string | null;
}

const NOT_A_PATH = '\u0000';

/** A same-site path without its query (null when none was given); undefined when given but not one of our paths. */
export function pagePath(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  const path = sameSitePath(value, NOT_A_PATH);
  if (path === NOT_A_PATH) return undefined;
  return path.split('?')[0]!;
}

/** The feedback as stored, or the fields that are wrong (each named). */
export function checkFeedback(input: FeedbackInput): { ok: CheckedFeedback } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const page = pagePath(input.page);
  if (page === undefined) errors.push({ field: 'page', code: 'invalid', detail: 'The page is a path on this site, starting with one "/", like /case-status.' });

  let helpful: boolean | null = null;
  if (input.helpful === true || input.helpful === false) helpful = input.helpful;
  else if (input.helpful !== undefined && input.helpful !== null) errors.push({ field: 'helpful', code: 'invalid', detail: 'helpful is true, false, or left out.' });

  const reasons: ReasonCode[] = [];
  if (input.reasons !== undefined && input.reasons !== null) {
    if (!Array.isArray(input.reasons)) {
      errors.push({ field: 'reasons', code: 'invalid', detail: `reasons is a list of codes: ${REASON_CODES.join(', ')}.` });
    } else {
      input.reasons.forEach((r, i) => {
        if (typeof r === 'string' && (REASON_CODES as readonly string[]).includes(r)) {
          if (!reasons.includes(r as ReasonCode)) reasons.push(r as ReasonCode);
        } else {
          errors.push({ field: `reasons[${i}]`, code: 'unknown-reason', detail: `A reason is one of: ${REASON_CODES.join(', ')}.` });
        }
      });
      if (reasons.length && helpful === true) errors.push({ field: 'reasons', code: 'not-with-helpful', detail: 'Reasons say why a page was not helpful; leave them out when it was.' });
    }
  }

  let comment: string | null = null;
  if (input.comment !== undefined && input.comment !== null) {
    if (typeof input.comment !== 'string') errors.push({ field: 'comment', code: 'invalid', detail: 'comment is text.' });
    else {
      const text = input.comment.replace(/\r\n?/g, '\n').trim();
      if ([...text].length > COMMENT_MAX) errors.push({ field: 'comment', code: 'too-long', detail: `A comment is at most ${COMMENT_MAX} characters.` });
      else if (text !== '') comment = text;
    }
  }

  if (!errors.length && helpful === null && !reasons.length && comment === null) {
    errors.push({ field: 'helpful', code: 'required', detail: 'Say whether the page was helpful, or give a reason or a comment.' });
  }
  if (errors.length) return { errors };
  return { ok: { page: page ?? null, helpful, reasons, comment } };
}

/** A form field that may come once or several times (checkboxes) as a list of strings. */
export const formList = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
