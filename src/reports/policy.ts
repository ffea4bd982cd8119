/** The contact center report's numbers (CONTRACT.md section 12). */

/** The federal fiscal year starts on 1 October of the year before its number: FY2026 = 2025-10-01 … 2026-09-30. */
export const FISCAL_YEAR_START_MONTH = 10;

/** The longest period one report covers, in days (ten years): a bound, so one request cannot ask for a century. */
export const MAX_PERIOD_DAYS = 3_660;

/** Shares (escalations, on-time answers, reopened) are given to this many decimal places. */
export const SHARE_DECIMALS = 4;
