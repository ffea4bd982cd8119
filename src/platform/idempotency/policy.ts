/** How long idempotency keys are kept and held: limits as data. */

/** Keys (and the answers they replay) are kept this long; the contract asks for at least 24 hours. */
export const KEY_RETENTION_MS = 48 * 60 * 60_000;

/** Keys are 1–255 printable ASCII characters (space to tilde). */
export const MAX_KEY_LENGTH = 255;
