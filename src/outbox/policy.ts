/** Delivery rules as data: how often the worker looks, how long a claim lasts, how many tries and how far apart. */

export interface DeliveryPolicy {
  /** Attempts before a message is marked failed (a claim counts as an attempt, so a crash mid-send counts too). */
  maxAttempts: number;
  /** Wait before attempt n+1 after the n-th fails: delaysMs[n-1], the last repeated; then ± jitter. */
  retryDelaysMs: readonly number[];
  /** Share of the delay added or taken at random (0–1), so instances do not retry in step. */
  jitter: number;
  /** How long a claim holds a message; a claim older than this (a crashed instance) is taken over. */
  leaseMs: number;
  /** How often each instance looks for due messages (enqueueing in this process also wakes it). */
  pollIntervalMs: number;
  /** Messages claimed at once. */
  batchSize: number;
}

export const DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  // Exponential: 1 min, 2, 4, 8, 16, 32, 64 min: about two hours from the first try to the last.
  retryDelaysMs: [60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000],
  jitter: 0.1,
  leaseMs: 5 * 60_000,
  pollIntervalMs: 5_000,
  batchSize: 20,
};

/** When to try again after the given number of attempts, or null when there are no attempts left. */
export function nextAttemptDelay(policy: DeliveryPolicy, attempts: number, random: () => number = Math.random): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const delays = policy.retryDelaysMs;
  const base = delays[Math.min(Math.max(attempts, 1), delays.length) - 1] ?? 0;
  return Math.round(base * (1 + policy.jitter * (2 * random() - 1)));
}

/** Admins page through the outbox 25 at a time. */
export const OUTBOX_PAGE_SIZE = 25;

export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
