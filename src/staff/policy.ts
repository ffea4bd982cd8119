/** Sign-in and session policy, as data. */
/** Sign-in throttle: this many failures within the window lock further attempts until the oldest expires. */
export const THROTTLE = {
  windowMs: 15 * 60_000,
  perAccount: 5,
  perAddress: 50,
} as const;

/** How long a session lasts: one working shift. */
export const SESSION_TTL_MS = 8 * 60 * 60_000;
