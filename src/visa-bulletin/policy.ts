/** Limits of the admin's bulletin form, as data. */

/** The most chargeability columns the form takes: the five standard ones, the month's others, one new. */
export const MAX_COLUMNS = 12;
/** The longest text a cell of the form keeps (a date is 10; longer is refused by the check, not cut silently). */
export const CELL_MAX = 20;
