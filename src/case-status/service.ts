/**
 * Case Status Online: public status reads by receipt number, for the pages, the legacy form and the
 * agency-compatible API. Public status is not case detail, so a lookup is not audited; an API client's
 * lookups are limited per second and per day (its own limits, 0 = unlimited).
 */
import type { Db } from '../platform/db/database.ts';
import type { RateDecision, RateLimiter } from '../platform/rate-limit.ts';
import type { ResolvedClient } from '../api-clients/service.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import type SQLite from 'better-sqlite3';
import type { Actor } from '../platform/actor.ts';
import { actorLabel } from '../platform/actor.ts';
import type { AuditService } from '../audit/service.ts';
import { caseStatusApiBody, presentCase, withEarlierDescriptions, type PresentedCase, type StatusVocabulary } from './presenter.ts';
import { preparedCase, statusColumns, vocabularyVersion } from './document.ts';
import * as store from './store.ts';

/** How long a resolved access token is believed without asking the database again. */
export const TOKEN_CACHE_MS = 5_000;
const TOKEN_CACHE_MAX = 10_000;

export class CaseStatusService {
  private readonly tokens = new Map<string, { client: ResolvedClient; until: number }>();
  private readonly readStatusRow: ReturnType<typeof store.statusRowReader>;
  private readonly readPrepared: ReturnType<typeof store.preparedAnswerReader>;
  private readonly readBytes: ReturnType<typeof store.preparedBytesReader> | undefined;
  /** The reference data version of the documents this process serves as they are. */
  readonly version: string;
  private readonly audit: AuditService | undefined;

  constructor(
    private readonly db: Db,
    private readonly clients: { resolveClient(token: string): Promise<ResolvedClient | null> },
    private readonly limiter: RateLimiter,
    private readonly vocabulary: StatusVocabulary,
    private readonly receiptPrefixes: readonly string[],
    private readonly clock: () => number = Date.now,
    /** SQLite's connection, for the lookup's synchronous prepared read (none on PostgreSQL); the audit log of re-renders. */
    options: { sqlite?: SQLite.Database | undefined; audit?: AuditService } = {},
  ) {
    this.audit = options.audit;
    this.readStatusRow = store.statusRowReader(db);
    this.readPrepared = store.preparedAnswerReader(db, options.sqlite);
    this.readBytes = options.sqlite ? store.preparedBytesReader(options.sqlite) : undefined;
    this.version = vocabularyVersion(vocabulary);
  }

  /** The normalised receipt number (CONTRACT.md section 4), or null when the input is not one. */
  receiptNumber(input: unknown): string | null {
    return parseReceiptNumber(input, this.receiptPrefixes)?.value ?? null;
  }

  /**
   * A case's status and history, or null when no case has this (normalised) receipt number: its prepared
   * document, or the row presented now when the document is missing or of other reference data. Earlier entries
   * carry their descriptions only when asked (the public page shows them).
   */
  async find(receiptNumber: string, options: { earlierDescriptions?: boolean } = {}): Promise<PresentedCase | null> {
    const row = await store.documentRow(this.db, receiptNumber);
    if (!row) return null;
    const prepared = preparedCase(row, this.vocabulary);
    if (!prepared) return presentCase(row, this.vocabulary, { earlierDescriptions: options.earlierDescriptions ?? false });
    return options.earlierDescriptions ? withEarlierDescriptions(prepared, this.vocabulary) : prepared;
  }

  /**
   * The exact bytes of the Case Status API's success body, or null for an unknown receipt number: the prepared
   * answer, read synchronously on SQLite (a value, not a promise: the lookup's hot path), a promise on PostgreSQL;
   * rendered from the row when the prepared one is missing or of other reference data.
   */
  apiBody(receiptNumber: string): string | null | Promise<string | null> {
    const read = this.readPrepared(receiptNumber);
    return read instanceof Promise ? read.then((r) => this.#body(receiptNumber, r)) : this.#body(receiptNumber, read);
  }

  /**
   * The prepared answer's bytes (UTF-8, as stored) when they can be had without waiting: SQLite's synchronous read
   * of a current document. Undefined otherwise (an unknown case, a document to render, PostgreSQL): ask `apiBody`.
   */
  preparedBody(receiptNumber: string): Buffer | undefined {
    const read = this.readBytes?.(receiptNumber);
    return read !== undefined && read[1] !== null && read[0] === this.version ? read[1] : undefined;
  }

  #body(receiptNumber: string, prepared: store.PreparedAnswer | undefined): string | null | Promise<string | null> {
    if (prepared === undefined) return null;
    if (prepared[1] !== null && prepared[0] === this.version) return prepared[1];
    return this.apiAnswer(receiptNumber).then((a) => (a ? JSON.stringify(a) : null));
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
  /** The client behind a token remembered less than TOKEN_CACHE_MS ago, else undefined (ask `client`). */
  cachedClient(token: string): ResolvedClient | undefined {
    const hit = this.tokens.get(token);
    return hit && hit.until > this.clock() ? hit.client : undefined;
  }

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

  /**
   * The same count without a promise, when the limiter keeps its counters in memory (SQLite: one process);
   * undefined when it cannot (PostgreSQL: a shared counter), and `withinLimits` is the answer.
   */
  withinLimitsNow(client: ResolvedClient): RateDecision | undefined {
    const hitNow = this.limiter.hitNow;
    if (!hitNow) return undefined;
    const bucket = `case-status:${client.clientId}`;
    const second = hitNow(bucket, client.perSecond, 1_000);
    return second.allowed ? hitNow(bucket, client.perDay, 86_400_000) : second;
  }

  /**
   * Renders every case's public status document again with the current reference data (after a change of
   * reference/uscis/statuses.json, the forms or the offices), writing only those that change, a page of cases a
   * transaction with one audit entry each. A case changed meanwhile (its write re-rendered it) is left as it is.
   */
  async rerender(actor: Actor, onProgress?: (done: number, total: number) => void, pageSize = 1000): Promise<{ read: number; rewritten: number }> {
    const total = await store.countCases(this.db);
    let after = '';
    let read = 0;
    let rewritten = 0;
    for (;;) {
      const page = await store.renderPage(this.db, after, pageSize);
      if (page.length === 0) break;
      after = page[page.length - 1]!.receipt_number;
      read += page.length;
      const changes = page.flatMap((row) => {
        const columns = statusColumns(row, this.vocabulary);
        const same = columns.status_api === row.status_api && columns.status_document === row.status_document && columns.status_vocabulary === row.status_vocabulary;
        return same ? [] : [{ row, columns }];
      });
      if (changes.length) {
        rewritten += await this.db.transaction().execute(async (trx) => {
          let n = 0;
          for (const { row, columns } of changes) if (await store.writeDocument(trx, row.receipt_number, row, columns)) n++;
          await this.audit?.record(trx, {
            actor: actorLabel(actor), action: 'case-status-rerender', outcome: 'allowed',
            detail: { version: this.version, from: page[0]!.receipt_number, to: after, rewritten: n },
          });
          return n;
        });
      }
      onProgress?.(read, Math.max(total, read));
    }
    return { read, rewritten };
  }


}
