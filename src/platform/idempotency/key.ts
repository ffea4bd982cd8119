/** Pure parts of idempotency: checking a key, the canonical request hash, and whose key it is. */
import { createHash } from 'node:crypto';
import type { Actor } from '../actor.ts';
import { MAX_KEY_LENGTH } from './policy.ts';

/** The header's name, as the document and error messages spell it. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Why a key is refused (for the 400's field detail), or null when it is acceptable. */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return 'The Idempotency-Key header is empty; send 1 to 255 printable ASCII characters.';
  if (key.length > MAX_KEY_LENGTH) return `The Idempotency-Key header is ${key.length} characters long; send at most ${MAX_KEY_LENGTH}.`;
  if (!PRINTABLE_ASCII.test(key)) return 'The Idempotency-Key header may hold only printable ASCII characters (space to ~).';
  return null;
}

/** JSON with object keys sorted at every level, so equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What a request asks for: method, route, its parameters and query, and its body. */
export interface RequestShape {
  method: string;
  route: string;
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/** SHA-256 hex of the request's canonical form: the same request gives the same hash, any change another. */
export function requestHash(r: RequestShape): string {
  const canonical = canonicalJson({ method: r.method.toUpperCase(), route: r.route, params: r.params ?? {}, query: r.query ?? {}, body: r.body ?? null });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Whose key it is, so one caller never replays another's answer: a staff account, an API client, or for
 * the public (who has no identity) the route itself, where the key alone is the secret.
 */
export function idempotencyScope(actor: Actor, method: string, route: string): string {
  switch (actor.kind) {
    case 'staff': return `staff:${actor.user.id}`;
    case 'client': return `client:${actor.clientId}`;
    default: return `public:${method.toUpperCase()} ${route}`;
  }
}
