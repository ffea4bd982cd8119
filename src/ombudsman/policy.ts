/**
 * The Ombudsman's case assistance rules (DOMAIN.md "The Ombudsman", CONTRACT.md section 11), as named constants
 * another agency's Ombudsman would change. Advice is advice, never a refusal: the person may still submit.
 */

/** The Ombudsman reviews every request within this many days of receipt ... */
export const REVIEW_WITHIN_DAYS = 30;
/** ... and acts on it within this many. */
export const ACT_WITHIN_DAYS = 90;

/**
 * A question the Ombudsman sends to the office holding a cited case (src/ombudsman-agency/) is due this many
 * business days of that office's calendar after it is asked.
 */
export const AGENCY_ANSWER_BUSINESS_DAYS = 15;

/** The person should have contacted the agency within this many days before asking (`contact-agency-first`). */
export const RECENT_CONTACT_DAYS = 90;

/** The kinds of action already taken with the agency that the form asks about. */
export const PRIOR_ACTION_KINDS = ['call', 'service-request', 'online-inquiry', 'letter', 'appointment', 'other'] as const;
export type PriorActionKind = (typeof PRIOR_ACTION_KINDS)[number];

/** How many cases and prior actions one request may cite. */
export const MAX_CASES = 10;
export const MAX_PRIOR_ACTIONS = 20;

/** The reasons: long enough to say something, at most a few pages. */
export const REASONS_LIMITS = { min: 10, max: 8000 } as const;
/** A note or an outcome written by an analyst. */
export const NOTE_LIMITS = { min: 1, max: 8000 } as const;

/**
 * Words that show the reasons ask for what the Ombudsman cannot do (`outside-ombudsman-remit`): legal advice, or
 * another agency's work. Matched as whole words on the lower-cased text without accents, in English and Spanish.
 */
export const OUTSIDE_REMIT_KEYWORDS: readonly string[] = [
  // Legal advice
  'legal advice', 'lawyer', 'attorney', 'should i appeal', 'immigration court', 'immigration judge', 'eoir', 'deportation hearing',
  'asesoria legal', 'consejo legal', 'abogado', 'abogada', 'corte de inmigracion', 'juez de inmigracion',
  // Other agencies
  'department of state', 'state department', 'embassy', 'consulate', 'national visa center', 'nvc', 'ice', 'cbp',
  'customs and border protection', 'social security', 'irs', 'department of labor',
  'departamento de estado', 'embajada', 'consulado', 'centro nacional de visas', 'seguro social',
];

/** The analyst's steps: each status and the ones it may move to. */
export const STATUS_FLOW = {
  received: ['in-review', 'closed'],
  'in-review': ['agency-asked', 'answered', 'closed'],
  'agency-asked': ['answered'],
  answered: ['agency-asked', 'closed'],
  closed: [],
} as const satisfies Record<string, readonly string[]>;
export type CaseAssistanceStatus = keyof typeof STATUS_FLOW;
export const STATUSES = Object.keys(STATUS_FLOW) as CaseAssistanceStatus[];

/** A draft of the public form is forgotten this many days after its last change. */
export const DRAFT_KEEP_DAYS = 30;
