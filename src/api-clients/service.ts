/** API clients of the OAuth 2.0 client-credentials flow: creation, token issue, token lookup. */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import type { AuditService } from '../audit/service.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { newSecret, sha256 } from '../platform/ids.ts';
import * as store from './store.ts';

export const SCOPES = ['case-status', 'case-feed', 'contact-feed', 'reference-data'] as const;
export type Scope = (typeof SCOPES)[number];

/** Access tokens live 30 minutes, as the agency's do (`expires_in: "1800"`). */
export const TOKEN_TTL_SECONDS = 1800;

export interface NewClient {
  name: string;
  scopes: string[];
  perSecond?: number | undefined;
  perDay?: number | undefined;
}

export interface IssuedToken {
  accessToken: string;
  issuedAt: Date;
  expiresIn: number;
  clientId: string;
  scopes: string[];
}

/** An API client as its access token resolves: who, what it may do, and its Case Status API limits. */
export interface ResolvedClient {
  clientId: string;
  name: string;
  scopes: string[];
  perSecond: number;
  perDay: number;
  /** When the access token expires (ISO 8601 UTC). */
  expiresAt: string;
}

/** A client as the admin's pages list it. */
export interface ClientSummary {
  clientId: string;
  name: string;
  scopes: string[];
  perSecond: number;
  perDay: number;
  createdAt: string;
  revoked: boolean;
}

export class ApiClientService {
  constructor(private readonly db: Db, private readonly audit: AuditService, private readonly clock: () => Date = () => new Date()) {}

  /** Creates a client; the secret is returned here once and stored only as a hash. */
  async addClient(input: NewClient, actor: Actor, traceId?: string) {
    const errors: FieldError[] = [];
    const name = input.name?.trim() ?? '';
    if (!name) errors.push({ field: 'name', code: 'required', detail: 'Give the client a name.' });
    const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
    if (scopes.length === 0) errors.push({ field: 'scopes', code: 'required', detail: `Give at least one scope: ${SCOPES.join(', ')}.` });
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length) errors.push({ field: 'scopes', code: 'invalid', detail: `Unknown scope; use ${SCOPES.join(', ')}.` });
    for (const [field, value] of [['perSecond', input.perSecond], ['perDay', input.perDay]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) errors.push({ field, code: 'invalid', detail: 'Use a whole number, 0 for unlimited.' });
    }
    if (errors.length) throw validationError(errors);

    const clientId = newSecret().slice(0, 32);
    const clientSecret = newSecret();
    await this.db.transaction().execute(async (trx) => {
      await store.insertClient(trx, {
        id: clientId, name, secret_hash: sha256(clientSecret), scopes: scopes.join(' '),
        per_second: input.perSecond ?? 5, per_day: input.perDay ?? 1000, disabled: 0, created_at: this.clock().toISOString(),
      });
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'client-add', subject: `client:${clientId}`, outcome: 'allowed', traceId, detail: { scopes: scopes.join(' ') } });
    });
    return { client_id: clientId, client_secret: clientSecret, scopes };
  }

  /** One page of clients, newest first, and how many there are. */
  async listClients(page: number, size: number): Promise<{ items: ClientSummary[]; total: number }> {
    const { rows, total } = await store.listClients(this.db, (page - 1) * size, size);
    return {
      total,
      items: rows.map((r) => ({ clientId: r.id, name: r.name, scopes: r.scopes.split(' '), perSecond: Number(r.per_second), perDay: Number(r.per_day), createdAt: r.created_at, revoked: Number(r.disabled) !== 0 })),
    };
  }

  /**
   * Revokes a client: no new token is issued to it, and its access tokens are deleted, so every lookup of them
   * fails at once (the Case Status API believes a remembered token for at most TOKEN_CACHE_MS more).
   * Revoking a revoked client changes nothing and writes nothing.
   */
  async revokeClient(clientId: string, actor: Actor, traceId?: string): Promise<{ clientId: string; name: string; revoked: boolean; tokens: number }> {
    return this.db.transaction().execute(async (trx) => {
      const client = await store.findClient(trx, clientId);
      if (!client) throw new AppError('not-found', 'No API client has this ID.');
      const changed = await store.disableClient(trx, clientId);
      const tokens = await store.deleteTokensOf(trx, clientId);
      if (changed || tokens) await this.audit.record(trx, { actor: actorLabel(actor), action: 'client-revoke', subject: `client:${clientId}`, outcome: 'allowed', traceId, detail: { tokens } });
      return { clientId, name: client.name, revoked: changed, tokens };
    });
  }

  /** Issues an access token for valid credentials, or returns null (and audits the denial). */
  async issueToken(clientId: string, clientSecret: string, traceId?: string): Promise<IssuedToken | null> {
    const client = clientId ? await store.findClient(this.db, clientId) : undefined;
    const given = Buffer.from(sha256(clientSecret ?? ''), 'hex');
    const valid = client !== undefined && client.disabled === 0 && timingSafeEqual(given, Buffer.from(client.secret_hash, 'hex'));
    if (!client || !valid) {
      await this.audit.recordNow({ actor: client ? `client:${client.id}` : 'anonymous', action: 'token-issue', subject: client ? `client:${client.id}` : null, outcome: 'denied', traceId, detail: { reason: client ? 'bad-secret' : 'unknown-client' } });
      return null;
    }
    const accessToken = newSecret();
    const issuedAt = this.clock();
    await this.db.transaction().execute(async (trx) => {
      await store.insertToken(trx, {
        id: sha256(accessToken), client_id: client.id, scopes: client.scopes, issued_at: issuedAt.toISOString(),
        expires_at: new Date(issuedAt.getTime() + TOKEN_TTL_SECONDS * 1000).toISOString(),
      });
      await this.audit.record(trx, { actor: `client:${client.id}`, action: 'token-issue', subject: `client:${client.id}`, outcome: 'allowed', traceId });
    });
    return { accessToken, issuedAt, expiresIn: TOKEN_TTL_SECONDS, clientId: client.id, scopes: client.scopes.split(' ') };
  }

  /** Deletes expired access tokens. */
  async pruneExpired(): Promise<void> {
    await store.pruneTokens(this.db, this.clock().toISOString());
  }

  /** The client behind a live access token, or null. */
  async resolveToken(token: string): Promise<{ clientId: string; name: string; scopes: string[] } | null> {
    const c = await this.resolveClient(token);
    return c && { clientId: c.clientId, name: c.name, scopes: c.scopes };
  }

  /** The client behind a live access token with its Case Status API limits (0 = unlimited) and the token's expiry, or null. */
  async resolveClient(token: string): Promise<ResolvedClient | null> {
    const row = await store.findLiveToken(this.db, sha256(token), this.clock().toISOString());
    if (!row || row.disabled) return null;
    return { clientId: row.client_id, name: row.name, scopes: row.scopes.split(' '), perSecond: Number(row.per_second), perDay: Number(row.per_day), expiresAt: row.expires_at };
  }
}
