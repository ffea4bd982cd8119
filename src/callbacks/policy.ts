/** Numbers of the callback desk that are ours, not the agency's (the agency's are in reference/<agency>/contact-center.json). */

/** How far back the supervisor's counts of missed callbacks reach (the list shows the latest missed ones). */
export const MISSED_SHOWN_DAYS = 7;
