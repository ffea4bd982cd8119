/** The public call-record look-up: what it tells people about the Ombudsman's call reviews. */

/** The Ombudsman asks the agency to review a Contact Center call made within this many days (DOMAIN.md). */
export const OMBUDSMAN_REVIEW_DAYS = 90;

/** Longest input kept from each field (anything longer is not a reference or a phone number). */
export const FIELD_MAX = 40;
