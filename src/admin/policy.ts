/** Administration pages: how many rows a list page shows. */
export const STAFF_PAGE_SIZE = 25;
export const CLIENTS_PAGE_SIZE = 25;
/** The longest search text, name and client name the forms take (longer input is cut before the service sees it). */
export const TEXT_MAX = 200;
