/** The supervisor's live view: how often its stream reads the services, and how much it lists. */

/** Each open stream reads the queues and checks its session this often (a change shows within this time). */
export const STREAM_POLL_MS = 5_000;

/**
 * After something in this process queues mail (a callback promised, a callback missed), streams read again this
 * soon instead of waiting for their next poll: long enough for the change's transaction to commit first.
 */
export const STREAM_NUDGE_MS = 400;

/** What EventSource waits before reconnecting after the stream ends (the SSE `retry:` field). */
export const STREAM_RETRY_MS = 10_000;

/** Hours late below which an overdue callback's lateness is said in hours; at or above it, in days. */
export const LATE_IN_HOURS_BELOW = 48;
