/**
 * Reading (and discarding) the rest of a request body before answering with an error. A server that answers
 * a too-large upload and closes at once, with the body still arriving, resets the connection: a client that
 * sends its whole body before reading (Node's fetch, most HTTP libraries) then sees EPIPE or ECONNRESET
 * instead of the 413. Draining a bounded amount first lets it read the answer; beyond the bound (or the time
 * limit) the connection is closed anyway, so no client can hold a handler or make us read without end.
 */
import type { IncomingMessage } from 'node:http';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route taking larger bodies (uploads) drains more than DRAIN_LIMITS before an error answer. */
    drainLimits?: DrainLimits;
  }
}

export interface DrainLimits {
  /** The most bytes read and thrown away (counted from where the body parser stopped). */
  maxBytes: number;
  /** The longest wait for the rest of the body. */
  timeoutMs: number;
}

/** 8 MiB in 5 s: several times the 1 MiB JSON limit, a few hundred milliseconds on any real link. */
export const DRAIN_LIMITS: Readonly<DrainLimits> = Object.freeze({ maxBytes: 8 * 1024 * 1024, timeoutMs: 5_000 });

/**
 * complete: the body had already been read in full; drained: the rest was read and discarded;
 * over-limit / timed-out / aborted: it was not (the caller closes the connection after answering).
 */
export type DrainOutcome = 'complete' | 'drained' | 'over-limit' | 'timed-out' | 'aborted';

/** True when the answer may be read by the client: nothing of its request is left unread. */
export const drained = (outcome: DrainOutcome): boolean => outcome === 'complete' || outcome === 'drained';

/** Reads and discards what is left of the request body, within the limits. Never rejects. */
export function drainRequestBody(req: IncomingMessage, limits: DrainLimits = DRAIN_LIMITS): Promise<DrainOutcome> {
  if (req.complete || req.readableEnded) return Promise.resolve('complete');
  if (req.destroyed) return Promise.resolve('aborted');
  // A declared length over the bound: reading it would be wasted, since the connection is closed anyway.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve('over-limit');
  return new Promise((resolve) => {
    let bytes = 0;
    const finish = (outcome: DrainOutcome) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) finish('over-limit');
    };
    const onEnd = () => finish('drained');
    const onAbort = () => finish('aborted');
    const onClose = () => finish(req.complete ? 'drained' : 'aborted');
    const timer = setTimeout(() => finish('timed-out'), limits.timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onClose);
    req.resume();
  });
}
