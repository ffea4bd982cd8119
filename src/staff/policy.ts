/** Sign-in and session policy, as data. */
/** Sign-in throttle: this many failures within the window lock further attempts until the oldest expires. */
export const THROTTLE = {
  windowMs: 15 * 60_000,
  perAccount: 5,
  perAddress: 50,
} as const;

/**
 * Session ends (NIST SP 800-63B, AAL2 reauthentication): a session ends after this long without a request
 * ("idle"), and in any case this long after sign-in ("absolute"), however busy it is.
 */
export const IDLE_TIMEOUT_MINUTES = 30;
export const ABSOLUTE_TIMEOUT_HOURS = 12;
/** Signed-in pages warn this long before the idle end, with a "Stay signed in" button. */
export const IDLE_WARNING_MINUTES = 2;
/**
 * A request writes `sessions.last_seen_at` only when the stored value is at least this old, so the hot path
 * reads and seldom writes. The idle end is measured from the stored value: an idle session ends at most 30
 * minutes after its last request and at least 29 (never later than the policy, at most this much earlier).
 */
export const LAST_SEEN_WRITE_INTERVAL_SECONDS = 60;

export const IDLE_TIMEOUT_MS = IDLE_TIMEOUT_MINUTES * 60_000;
export const ABSOLUTE_TIMEOUT_MS = ABSOLUTE_TIMEOUT_HOURS * 3_600_000;
export const IDLE_WARNING_MS = IDLE_WARNING_MINUTES * 60_000;
export const LAST_SEEN_WRITE_INTERVAL_MS = LAST_SEEN_WRITE_INTERVAL_SECONDS * 1000;
