/** Guidance pages (issue 10 item 5): the limits of what staff may publish. */

/** A page's address is /guidance/<slug>: lower-case letters, digits and single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 80;

/** A title, and a body (plain paragraphs, lists and subheadings; see checks.ts), in characters. */
export const TITLE_MAX = 200;
export const BODY_MAX = 20_000;

/** The staff list shows at most this many pages, and a page's history at most this many versions. */
export const LIST_MAX = 200;
export const HISTORY_MAX = 100;
