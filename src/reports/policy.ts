/** The contact center report's numbers (CONTRACT.md section 12). */

/** The federal fiscal year starts on 1 October of the year before its number: FY2026 = 2025-10-01 … 2026-09-30. */
export const FISCAL_YEAR_START_MONTH = 10;

/** The longest period one report covers, in days (ten years): a bound, so one request cannot ask for a century. */
export const MAX_PERIOD_DAYS = 3_660;

/** Shares (escalations, on-time answers, reopened) are given to this many decimal places. */
export const SHARE_DECIMALS = 4;

/** Hours one rollup transaction sums at most (a rebuild goes a week at a time). */
export const ROLLUP_HOURS_PER_TRANSACTION = 168;

/** Unmarked hours between marked ones summed with them rather than starting another transaction (up to three days). */
export const ROLLUP_BRIDGE_HOURS = 72;

/** Marked hours a refresh takes at once, and how many rounds it goes before leaving the rest to the next. */
export const ROLLUP_DIRTY_BATCH = 5_000;
export const ROLLUP_MAX_ROUNDS = 20;

/** How often each instance sums the hours that changed, so a report rarely has any left to do. */
export const ROLLUP_REFRESH_MS = 60_000;
