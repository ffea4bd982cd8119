/**
 * Idempotent creation, crash-safe in two steps:
 *  1. reserve the key in a short statement of its own: a `running` row with a lease (or find the key: an answer
 *     to replay, 422 for another request, 409 while a live attempt holds it, take over an expired lease);
 *  2. run the caller's work in ONE transaction that also stores the answer in the key row, so "created" and
 *     "answer stored" commit together. A process that dies before the commit created nothing and its lease
 *     runs out, so a retry runs the work again; one that dies after the commit left an answer to replay.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors/catalogue.ts';
import { newId } from '../ids.ts';
import { KEY_RETENTION_MS, LEASE_MS } from './policy.ts';
import { complete, findKey, holdLease, insertReservation, pruneKeys, release, takeOver } from './store.ts';

/** Which key a request uses: its scope (whose key it is), the key (null: none sent) and the request's hash. */
export interface IdempotentRequest {
  scope: string;
  key: string | null;
  requestHash: string;
}

/** What the work answers: a status and a body (turned into JSON text once, then replayed byte for byte). */
export interface WorkAnswer {
  status: number;
  body: unknown;
}

/** The answer to send: the status, the exact JSON text, and whether it is a replay of an earlier answer. */
export interface IdempotentAnswer {
  status: number;
  body: string;
  replayed: boolean;
}

export interface IdempotencyOptions {
  clock?: () => Date;
  leaseMs?: number;
  retentionMs?: number;
}

type Reservation = { leaseId: string } | { replay: { status: number; body: string } };

export class IdempotencyService {
  readonly #clock: () => Date;
  readonly #leaseMs: number;
  readonly #retentionMs: number;
  /**
   * Keys this process is running now. A second request with such a key answers 409 at once: on SQLite its
   * reservation would otherwise queue behind the first request's transaction on the one connection.
   */
  readonly #inFlight = new Set<string>();

  constructor(private readonly db: Db, options: IdempotencyOptions = {}) {
    this.#clock = options.clock ?? (() => new Date());
    this.#leaseMs = options.leaseMs ?? LEASE_MS;
    this.#retentionMs = options.retentionMs ?? KEY_RETENTION_MS;
  }

  /**
   * Runs `work` at most once per (scope, key) and request: creates with `trx` and answers; the answer is stored
   * in the same transaction. Without a key the work simply runs in a transaction. Throws 422
   * idempotency-key-reused for the key with another request, 409 conflict while another attempt holds it.
   * When the work throws, nothing it wrote is kept and the key is given back, so a retry runs it again.
   */
  async run(request: IdempotentRequest, work: (trx: Transaction<Database>) => Promise<WorkAnswer>): Promise<IdempotentAnswer> {
    const { scope, key } = request;
    if (key === null) {
      return this.db.transaction().execute(async (trx) => {
        const answer = await work(trx);
        return { status: answer.status, body: JSON.stringify(answer.body), replayed: false };
      });
    }
    const token = `${scope}\n${key}`;
    if (this.#inFlight.has(token)) throw stillRunning();
    this.#inFlight.add(token);
    try {
      const reservation = await this.#reserve({ scope, key, requestHash: request.requestHash });
      if ('replay' in reservation) return { ...reservation.replay, replayed: true };
      const { leaseId } = reservation;
      try {
        return await this.db.transaction().execute(async (trx) => {
          // Renewing the lease first also locks the row (PostgreSQL) until this transaction ends.
          if (!await holdLease(trx, scope, key, leaseId, this.#leaseEnd())) throw stillRunning();
          const answer = await work(trx);
          const body = JSON.stringify(answer.body);
          if (!await complete(trx, scope, key, leaseId, { status: answer.status, body, at: this.#now() })) throw stillRunning();
          return { status: answer.status, body, replayed: false };
        });
      } catch (err) {
        // Rolled back: give the key back so a retry runs at once (if this fails too, the lease runs out).
        await release(this.db, scope, key, leaseId).catch(() => undefined);
        throw err;
      }
    } finally {
      this.#inFlight.delete(token);
    }
  }

  /** Deletes keys older than the retention period (housekeeping); returns how many. */
  async prune(): Promise<number> {
    return pruneKeys(this.db, new Date(this.#clock().getTime() - this.#retentionMs).toISOString());
  }

  async #reserve(request: { scope: string; key: string; requestHash: string }): Promise<Reservation> {
    const { scope, key, requestHash } = request;
    const leaseId = newId();
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.#now();
      // Read first: on PostgreSQL an insert that meets the key would wait for a running attempt's transaction
      // (it holds the row) instead of answering 409 at once; a plain read never waits.
      const row = await findKey(this.db, scope, key);
      if (!row) {
        if (await insertReservation(this.db, { scope, key, request_hash: requestHash, lease_id: leaseId, locked_until: this.#leaseEnd(), created_at: now })) {
          return { leaseId };
        }
        continue; // another attempt reserved it meanwhile: look again
      }
      if (row.request_hash !== requestHash) {
        throw new AppError('idempotency-key-reused', 'This Idempotency-Key was already used with a different request. Send a new key for a new request.');
      }
      if (row.state === 'done') return { replay: { status: row.status ?? 200, body: row.response_body ?? 'null' } };
      if (row.locked_until > now) throw stillRunning();
      // The attempt holding it crashed or hung past its lease: it created nothing, so this one takes over.
      if (await takeOver(this.db, scope, key, { leaseId: row.lease_id, now }, { leaseId, lockedUntil: this.#leaseEnd() })) return { leaseId };
      // Someone else took it over or finished meanwhile: look again.
    }
    throw stillRunning();
  }

  #now(): string {
    return this.#clock().toISOString();
  }

  #leaseEnd(): string {
    return new Date(this.#clock().getTime() + this.#leaseMs).toISOString();
  }
}

function stillRunning(): AppError {
  return new AppError('conflict', 'A request with this Idempotency-Key is still being processed. Wait for its answer, or try again in a few seconds.');
}
