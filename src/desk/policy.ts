/** The agent desk's own numbers (not the agency's: those are in reference/<agency>/contact-center.json). */

/** Earlier calls of the same caller whose notes the side panel shows in full (the rest by date, agent and outcome). */
export const HISTORY_WITH_NOTES = 5;

/** How long a second submit of the same form waits for the first one's answer before saying it is still being sent. */
export const IN_FLIGHT_WAIT_MS = 3000;

/** The longest text the desk keeps from one form field (the services hold their own, shorter limits). */
export const FIELD_MAX = 10_000;
