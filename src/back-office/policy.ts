/** Limits of the back-office pages. */

/** Rows per page of an office queue, the overdue list and the flagged answers. */
export const QUEUE_PAGE_SIZE = 25;

/** Open notice re-issue requests per page of an office's list; the done list shows this many of the latest. */
export const REISSUE_PAGE_SIZE = 25;
export const REISSUE_DONE_SHOWN = 10;
