/**
 * Case Status Online: public status reads by receipt number, for the pages, the legacy form and the
 * agency-compatible API. Public status is not case detail, so a lookup is not audited; an API client's
 * lookups are limited per second and per day (its own limits, 0 = unlimited).
 */
import type { Db } from '../platform/db/database.ts';
import type { RateDecision, RateLimiter } from '../platform/rate-limit.ts';
import type { ResolvedClient } from '../api-clients/service.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { caseStatusApiBody, presentCase, type PresentedCase, type StatusVocabulary } from './presenter.ts';
import * as store from './store.ts';

/** How long a resolved access token is believed without asking the database again. */
export const TOKEN_CACHE_MS = 5_000;
const TOKEN_CACHE_MAX = 10_000;

export class CaseStatusService {
  private readonly tokens = new Map<string, { client: ResolvedClient; until: number }>();
  private readonly readStatusRow: ReturnType<typeof store.statusRowReader>;

  constructor(
    db: Db,
    private readonly clients: { resolveClient(token: string): Promise<ResolvedClient | null> },
    private readonly limiter: RateLimiter,
    private readonly vocabulary: StatusVocabulary,
    private readonly receiptPrefixes: readonly string[],
    private readonly clock: () => number = Date.now,
  ) {
    this.readStatusRow = store.statusRowReader(db);
  }

  /** The normalised receipt number (CONTRACT.md section 4), or null when the input is not one. */
  receiptNumber(input: unknown): string | null {
    return parseReceiptNumber(input, this.receiptPrefixes)?.value ?? null;
  }

  /** A case's status and history, or null when no case has this (normalised) receipt number. */
  async find(receiptNumber: string): Promise<PresentedCase | null> {
    const row = await this.readStatusRow(receiptNumber);
    return row ? presentCase(row, this.vocabulary) : null;
  }

  /** The Case Status API's success body, or null for an unknown receipt number. */
  async apiAnswer(receiptNumber: string): Promise<ReturnType<typeof caseStatusApiBody> | null> {
    const row = await this.readStatusRow(receiptNumber);
    const found = row && presentCase(row, this.vocabulary, { earlierDescriptions: false });
    return found ? caseStatusApiBody(found, this.vocabulary.timeZone) : null;
  }

  /**
   * The API client behind an access token. Live tokens are remembered for a few seconds, so a client's
   * lookups cost one database read each rather than two; an expired token is never believed.
   */
  async client(token: string): Promise<ResolvedClient | null> {
    const now = this.clock();
    const hit = this.tokens.get(token);
    if (hit && hit.until > now) return hit.client;
    const client = await this.clients.resolveClient(token);
    if (!client) {
      this.tokens.delete(token);
      return null;
    }
    if (this.tokens.size >= TOKEN_CACHE_MAX) this.tokens.clear();
    this.tokens.set(token, { client, until: Math.min(now + TOKEN_CACHE_MS, Date.parse(client.expiresAt)) });
    return client;
  }

  /** Counts one lookup against the client's per-second, then per-day limit; the first refusal is the answer. */
  async withinLimits(client: ResolvedClient): Promise<RateDecision> {
    const second = await this.limiter.hit(`case-status:${client.clientId}`, client.perSecond, 1_000);
    if (!second.allowed) return second;
    return this.limiter.hit(`case-status:${client.clientId}`, client.perDay, 86_400_000);
  }
}
