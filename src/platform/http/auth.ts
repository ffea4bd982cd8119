/**
 * Who is asking. API routes take only `Authorization: Bearer` (a staff session token or an API client's
 * access token); page routes take only the session cookie, so JSON endpoints cannot be driven by a forged form.
 * The account is re-read on every request: a disabled account, revoked session or changed role acts at once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize, type StaffActor } from '../authorize.ts';
import type { Capability } from '../../domain/capabilities.ts';
import type { Actor, StaffUser } from '../actor.ts';
import type { Role } from '../../domain/roles.ts';
import { AppError } from '../errors/catalogue.ts';

export const SESSION_COOKIE = 'sb_session';

/** When the request's staff session ends, as of this request (src/staff/service.ts SessionTimes). */
export interface SessionTimes {
  expiresAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  /** When signed-in pages show the "session ending" warning. */
  warnAt: string;
  /** The server's clock when the session was read. */
  checkedAt: string;
}

export interface TokenResolvers {
  /** Resolving a session is a use of it: it moves the session's idle end (see StaffService.resolveSession). */
  resolveSession(token: string): Promise<{ user: StaffUser; sessionId: string; times?: SessionTimes } | null>;
  resolveClientToken(token: string): Promise<{ clientId: string; name: string; scopes: string[] } | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The acting party, resolved once per request. */
    actor(): Promise<Actor>;
  }
  interface FastifyContextConfig {
    /** "page" routes serve HTML and authenticate by cookie; everything else is an API. */
    surface?: 'page' | 'api';
  }
}

const cache = new WeakMap<FastifyRequest, Promise<Actor>>();
const times = new WeakMap<FastifyRequest, SessionTimes>();

/**
 * How long until a session ends and its warning shows, from the server's clock (a browser's clock may be off),
 * and whether the end is the absolute one (staying signed in cannot move it). For the pages' warning script.
 */
export function sessionCountdown(t: SessionTimes): { endsInMs: number; warnInMs: number; warnMinutes: number; final: boolean } {
  const at = Date.parse(t.checkedAt);
  const ends = Date.parse(t.expiresAt);
  const warn = Date.parse(t.warnAt);
  return { endsInMs: ends - at, warnInMs: warn - at, warnMinutes: Math.max(1, Math.round((ends - warn) / 60_000)), final: t.expiresAt === t.absoluteExpiresAt };
}

/** The ends of the request's staff session, once request.actor() has resolved one; else undefined. */
export const sessionTimesOf = (request: FastifyRequest): SessionTimes | undefined => times.get(request);

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) throw new AppError('unauthenticated', 'Send the token as "Authorization: Bearer <token>".');
  return m[1]!;
}

async function resolve(request: FastifyRequest, r: TokenResolvers): Promise<Actor> {
  if (request.routeOptions.config?.surface === 'page') {
    const cookie = request.cookies[SESSION_COOKIE];
    const s = cookie ? await r.resolveSession(cookie) : null;
    if (s?.times) times.set(request, s.times);
    return s ? { kind: 'staff', user: s.user, sessionId: s.sessionId } : { kind: 'anonymous' };
  }
  const token = bearer(request);
  if (!token) return { kind: 'anonymous' };
  const s = await r.resolveSession(token);
  if (s?.times) times.set(request, s.times);
  if (s) return { kind: 'staff', user: s.user, sessionId: s.sessionId };
  const c = await r.resolveClientToken(token);
  if (c) return { kind: 'client', ...c };
  throw new AppError('unauthenticated', 'The token is not valid, has expired, or its account is disabled.');
}

export function registerAuth(app: FastifyInstance, resolvers: TokenResolvers): void {
  app.decorateRequest('actor', function (this: FastifyRequest) {
    let p = cache.get(this);
    if (!p) {
      p = resolve(this, resolvers);
      cache.set(this, p);
    }
    return p;
  });
}

/** The signed-in staff member, or 401; 403 when `roles` is given and theirs is not among them. */
export async function requireStaff(request: FastifyRequest, roles?: readonly Role[]): Promise<Extract<Actor, { kind: 'staff' }>> {
  const actor = await request.actor();
  if (actor.kind !== 'staff') {
    if (actor.kind === 'client') throw new AppError('forbidden', 'This endpoint is for staff, not API clients.');
    throw new AppError('unauthenticated', 'Sign in first: POST /api/v1/auth/login, then send the token as a bearer token.');
  }
  if (roles && !roles.includes(actor.user.role)) throw new AppError('forbidden', 'Your role may not do this.');
  return actor;
}

/**
 * A staff page's actor: the signed-in staff member (allowed `capability` when one is named: 403 otherwise, before
 * anything is read or changed), or null after a redirect to sign in and back to `next` (this page by default).
 */
export async function staffPage(request: FastifyRequest, reply: FastifyReply, capability?: Capability, next: string = request.url): Promise<StaffActor | null> {
  const actor = await request.actor();
  if (actor.kind !== 'staff') {
    await reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`);
    return null;
  }
  return capability ? authorize(actor, capability) : requireStaff(request);
}

/** An API client holding `scope`, or a staff member in one of `roles`; else 401/403. */
export async function requireScopeOrRole(request: FastifyRequest, scope: string, roles: readonly Role[]): Promise<Actor> {
  const actor = await request.actor();
  if (actor.kind === 'client') {
    if (!actor.scopes.includes(scope)) throw new AppError('forbidden', `This client lacks the "${scope}" scope.`);
    return actor;
  }
  return requireStaff(request, roles);
}
