/** The Ombudsman's call-review rules (DOMAIN.md, CONTRACT.md section 11). */

/** A call may be reviewed when it started at most this many days before the request. */
export const REVIEW_WINDOW_DAYS = 90;

/** A call is looked for within this many hours either side of the time the person gave. */
export const MATCH_HOURS = 2;

/** The person's concern, and the review's outcome: long enough to say something, at most a page. */
export const TEXT_LIMITS = { min: 10, max: 4000 } as const;

/** Reviews on one page of the Ombudsman's list. */
export const LIST_PAGE_SIZE = 20;

/** Open reviews shown on the supervisor's view (the rest are counted, and listed by the Ombudsman). */
export const SUPERVISOR_SHOWN = 10;

/** How long a form's second submit waits for the first one (same key) still running, before saying so. */
export const FORM_IN_FLIGHT_WAIT_MS = 3000;
