/**
 * Server-sent events for a page's live part, shared by every live page (the supervisor's view, the Tier 2 callback
 * queue). A stream sends `snapshot` (the live part rendered again with the page's own partial, and a summary for the
 * page's polite live region) when something changed, `tick` (the time read) when nothing did, and `end` when the
 * session ends or the role no longer holds the capability. The client is src/platform/views/assets/live.js.
 *
 * The stream authenticates with StaffService.checkToken/checkSession, which read a session without extending it:
 * an open stream never keeps a session alive, and ends within one poll of the session's end. It reads every
 * `pollMs`, and sooner after this process queues mail (a callback promised or missed). Streams end when the client
 * goes away and when the app closes (a preClose hook), so no timer outlives them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { StaffService } from '../../staff/service.ts';
import type { OutboxService } from '../../outbox/service.ts';
import type { StaffActor } from '../authorize.ts';
import { authorize } from '../authorize.ts';
import { can, type Capability } from '../../domain/capabilities.ts';
import { AppError } from '../errors/catalogue.ts';
import { SESSION_COOKIE } from './auth.ts';

/** Each open stream reads its services and checks its session this often (a change shows within this time). */
export const STREAM_POLL_MS = 5_000;

/**
 * After something in this process queues mail (a callback promised, a callback missed), streams read again this
 * soon instead of waiting for their next poll: long enough for the change's transaction to commit first.
 */
export const STREAM_NUDGE_MS = 400;

/** What EventSource waits before reconnecting after the stream ends (the SSE `retry:` field). */
export const STREAM_RETRY_MS = 10_000;

/** What a stream sends when something changed: the live part as HTML and what the live region may announce. */
export interface LiveSnapshot {
  html: string;
  asOf: string;
  summary: { key: string; text: string };
}

/** Why a stream ended for good: the session's own reason (idle, absolute, signed-out…), `forbidden` or `error`. */
export type LiveEndReason = string;

export interface LiveStreamOptions {
  staff: Pick<StaffService, 'checkToken' | 'checkSession'>;
  /** The stream is open to a role holding any of these (the first one names the 403 otherwise). */
  capabilities: readonly [Capability, ...Capability[]];
  /** The live part now, for this actor (in the page's language: the caller's closure holds it). */
  read: (actor: StaffActor) => Promise<LiveSnapshot>;
  /** What the page says when the stream ends for good (`forbidden`, `error`, or a session's end). */
  endedText: (reason: 'session' | 'forbidden' | 'error') => string;
  /** Names the stream in the log ("<name> stream closed"). */
  name: string;
  /** The page a 401 tells the person to open after signing in. */
  page: string;
  pollMs?: number;
}

interface Stream {
  /** Read again soon (a change was made in this process). */
  soon(): void;
  end(reason: string): void;
}

export interface LiveStreams {
  /** Answers the request with a stream (or throws 401/403 before any byte is sent). */
  serve(request: FastifyRequest, reply: FastifyReply, options: LiveStreamOptions): Promise<void>;
  /** How many streams are open (for tests and metrics). */
  readonly open: number;
}

/**
 * The live streams of one page module: registers the preClose hook that ends them and, with an outbox, reads again
 * soon after mail is queued in this process.
 */
export function liveStreams(app: FastifyInstance, deps: { outbox?: Pick<OutboxService, 'onEnqueue'> } = {}): LiveStreams {
  const streams = new Set<Stream>();
  deps.outbox?.onEnqueue(() => {
    for (const s of streams) s.soon();
  });
  // Before the server stops accepting and waits for its connections: end every stream, so app.close() returns.
  app.addHook('preClose', async () => {
    for (const s of [...streams]) s.end('closing');
  });
  return {
    get open() {
      return streams.size;
    },
    serve: (request, reply, options) => serveLiveStream(request, reply, options, streams),
  };
}

const allowed = (role: StaffActor['user']['role'], caps: readonly Capability[]) => caps.some((c) => can(role, c));

async function serveLiveStream(request: FastifyRequest, reply: FastifyReply, o: LiveStreamOptions, streams: Set<Stream>): Promise<void> {
  const pollMs = o.pollMs ?? STREAM_POLL_MS;
  // Read without extending the session: the stream is not the person using the site.
  const token = request.cookies[SESSION_COOKIE];
  const first = token ? await o.staff.checkToken(token) : null;
  if (!first?.live) throw new AppError('unauthenticated', `Sign in first, then open ${o.page}.`);
  const sessionId = first.sessionId;
  const signedIn: StaffActor = { kind: 'staff', user: first.user, sessionId };
  let actor: StaffActor = authorize(signedIn, o.capabilities.find((c) => can(first.user.role, c)) ?? o.capabilities[0]);
  let last = await o.read(actor);

  reply.hijack();
  const raw: ServerResponse = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
    // The socket closes with the stream (no idle keep-alive connection left for app.close() to wait on).
    connection: 'close', 'x-accel-buffering': 'no', 'x-trace-id': request.id,
  });
  let n = 0;
  const send = (event: string, data: unknown) => raw.write(`event: ${event}\nid: ${++n}\ndata: ${JSON.stringify(data)}\n\n`);
  raw.write(`retry: ${STREAM_RETRY_MS}\n\n`);
  send('snapshot', last);

  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running = false;
  let again = false;
  const stop = (reason: string) => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    streams.delete(stream);
    request.log.info({ reason, events: n }, `${o.name} stream closed`);
  };
  const stream: Stream = {
    soon: () => schedule(STREAM_NUDGE_MS),
    end: (reason) => {
      if (closed) return;
      // The app closing ends the response only: the browser reconnects to whichever instance serves next. Any
      // other end is final, and the page says why (the session ended, the role changed, the services failed).
      if (reason !== 'closing') send('end', { reason, text: o.endedText(reason === 'forbidden' || reason === 'error' ? reason : 'session') });
      stop(reason);
      raw.end();
    },
  };
  let dueAt = 0;
  function schedule(ms: number) {
    if (closed) return;
    const at = Date.now() + ms;
    if (timer && dueAt <= at) return; // already due sooner
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      void tick();
    }, ms);
  }
  async function tick() {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const check = await o.staff.checkSession(sessionId);
      if (closed) return;
      if (!check.live) return stream.end(check.reason);
      if (!allowed(check.user.role, o.capabilities)) return stream.end('forbidden');
      actor = { kind: 'staff', user: check.user, sessionId };
      const next = await o.read(actor);
      if (closed) return;
      if (next.html !== last.html) send('snapshot', next);
      else send('tick', { asOf: next.asOf });
      last = next;
    } catch (err) {
      request.log.warn({ errName: (err as Error).name }, `${o.name} stream read failed`);
      if (!closed) stream.end('error');
    } finally {
      running = false;
      if (!closed) schedule(again ? 0 : pollMs);
      again = false;
    }
  }
  raw.on('close', () => stop('client-gone'));
  streams.add(stream);
  schedule(pollMs);
}
