/** The supervisor's live view: how it words lateness (the stream's timings are in src/platform/http/live-stream.ts). */

/** Hours late below which an overdue callback's lateness is said in hours; at or above it, in days. */
export const LATE_IN_HOURS_BELOW = 48;
