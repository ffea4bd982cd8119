/** How long idempotency keys are kept and held: limits as data. */

/** Keys (and the answers they replay) are kept this long; the contract asks for at least 24 hours. */
export const KEY_RETENTION_MS = 48 * 60 * 60_000;

/**
 * How long a reservation holds its key before another attempt may take it over. Only a crashed or hung
 * attempt lets its lease run out: a live one renews it when its transaction starts and holds the row until
 * it commits, so the lease bounds how long a retry after a crash answers 409 conflict.
 */
export const LEASE_MS = 30_000;

/** Keys are 1–255 printable ASCII characters (space to tilde). */
export const MAX_KEY_LENGTH = 255;
