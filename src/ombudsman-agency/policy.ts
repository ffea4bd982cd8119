/**
 * The limits of the Ombudsman's requests to the agency and of letters to the person, as named constants. How long
 * the office has to answer is the Ombudsman's service target, kept with the others in src/ombudsman/policy.ts.
 */
import { RESPONSE_LIMITS } from '../service-requests/policy.ts';
import { NOTE_LIMITS } from '../ombudsman/policy.ts';
import type { CaseAssistanceStatus } from '../ombudsman/policy.ts';

export { AGENCY_ANSWER_BUSINESS_DAYS } from '../ombudsman/policy.ts';

/** The analyst's question: enough to say what the office should look at. */
export const QUESTION_LIMITS = { min: 20, max: 4000 } as const;

/** The office's answer: as long as an answer to a service request must be (it must say something). */
export const ANSWER_LIMITS = { min: RESPONSE_LIMITS.minChars, max: RESPONSE_LIMITS.maxChars } as const;

/** A letter to the person at any stage. */
export const LETTER_LIMITS = { min: 10, max: NOTE_LIMITS.max } as const;

/** The case assistance statuses from which an analyst may ask the agency (the request then is `agency-asked`). */
export const ASK_FROM: readonly CaseAssistanceStatus[] = ['received', 'in-review', 'agency-asked', 'answered'];

/** The statuses of a work item, and those still waiting for the office. */
export const ITEM_STATUSES = ['open', 'claimed', 'answered'] as const;
export const WAITING_STATUSES = ['open', 'claimed'] as const;

/** The office queue page: how many items a page shows, how many answered ones are listed under it. */
export const OFFICE_PAGE_SIZE = 50;
export const ANSWERED_SHOWN = 10;
