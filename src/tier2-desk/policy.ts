/** The Tier 2 desk's numbers, as named constants. */

/** Callbacks on one page of the queue. */
export const CALLBACK_PAGE_SIZE = 25;

