/** Limits of the back-office pages. */

/** Rows per page of an office queue, the overdue list and the flagged answers. */
export const QUEUE_PAGE_SIZE = 25;
