/** Feedback on public pages (CONTRACT.md section 11; issue 10 item 4): the numbers another agency might change. */

/** Why a page was not helpful, as a person can tick them (the order the form shows them in). */
export const REASON_CODES = ['confusing', 'outdated', 'broken-links', 'not-what-i-looked-for', 'other'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** A comment, from the small form or the longer comment page: at most this many characters. */
export const COMMENT_MAX = 2000;

/** The staff list's page size, and its largest. */
export const LIST_PAGE_SIZE = 50;
export const LIST_PAGE_SIZE_MAX = 200;

/** How many pages the staff list counts feedback for (the most answered first). */
export const COUNTED_PAGES = 50;
