/**
 * Fixed-window rate limiting. On SQLite (one serving process) counters live in memory; on PostgreSQL every
 * hit is one upsert into rate_limit_counters, so several instances on one database enforce one limit.
 */
import type { Db, DialectName } from './db/database.ts';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
  remaining: number;
}

export interface RateLimiter {
  /** Counts one hit on `bucket` and says whether it is within `limit` per `windowMs`. A limit of 0 means unlimited. */
  hit(bucket: string, limit: number, windowMs: number): Promise<RateDecision>;
  /** The same count answered synchronously, where the counters are in this process's memory (absent otherwise). */
  hitNow?(bucket: string, limit: number, windowMs: number): RateDecision;
  /** Drops counters of windows that have ended. */
  prune(): Promise<void>;
}

function decide(hits: number, limit: number, windowStart: number, windowMs: number, now: number): RateDecision {
  return { allowed: hits <= limit, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)), remaining: Math.max(0, limit - hits) };
}

const UNLIMITED: RateDecision = { allowed: true, retryAfter: 0, remaining: Number.MAX_SAFE_INTEGER };

/** Counters in this process's memory. */
export function memoryRateLimiter(clock: () => number = Date.now): RateLimiter {
  const counters = new Map<string, { windowStart: number; windowMs: number; hits: number }>();
  const hitNow = (bucket: string, limit: number, windowMs: number): RateDecision => {
    if (limit <= 0) return UNLIMITED;
    const now = clock();
    const windowStart = now - (now % windowMs);
    const key = `${bucket}|${windowMs}`;
    let c = counters.get(key);
    if (!c || c.windowStart !== windowStart) {
      c = { windowStart, windowMs, hits: 0 };
      counters.set(key, c);
    }
    c.hits++;
    return decide(c.hits, limit, windowStart, windowMs, now);
  };
  return {
    hitNow,
    async hit(bucket, limit, windowMs) {
      return hitNow(bucket, limit, windowMs);
    },
    async prune() {
      const now = clock();
      for (const [k, c] of counters) if (c.windowStart + c.windowMs <= now) counters.delete(k);
    },
  };
}

/** Counters in the shared database: one atomic upsert per hit. */
export function databaseRateLimiter(db: Db, clock: () => number = Date.now): RateLimiter {
  return {
    async hit(bucket, limit, windowMs) {
      if (limit <= 0) return UNLIMITED;
      const now = clock();
      const windowStart = now - (now % windowMs);
      const row = await db.insertInto('rate_limit_counters')
        .values({ bucket: `${bucket}|${windowMs}`, window_start: new Date(windowStart).toISOString(), hits: 1 })
        .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limit_counters.hits', '+', 1) })))
        .returning('hits').executeTakeFirstOrThrow();
      return decide(Number(row.hits), limit, windowStart, windowMs, now);
    },
    async prune() {
      // Windows are at most a day long.
      await db.deleteFrom('rate_limit_counters').where('window_start', '<', new Date(clock() - 86_400_000).toISOString()).execute();
    },
  };
}

/** The limiter for a database: shared on PostgreSQL, in memory on SQLite. */
export function rateLimiterFor(db: Db, dialect: DialectName): RateLimiter {
  return dialect === 'postgres' ? databaseRateLimiter(db) : memoryRateLimiter();
}
