/**
 * Idempotent creation in ONE transaction (ADR 0010): the key row is read, and on a first use written with the
 * answer, in the same transaction as the creation it guards, so "created" and "answer stored" commit together
 * (one durable commit) or not at all. A process killed before the commit leaves nothing, so a retry runs the
 * work afresh; one killed after it left an answer to replay. A second request with the key while the first runs
 * answers 409: in this process from an in-memory set; on PostgreSQL across instances from a transaction-scoped
 * advisory lock taken without waiting (SQLite is served by one process, whose transactions run one at a time).
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db, DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors/catalogue.ts';
import { CommitGroup } from '../db/group-commit.ts';
import { KEY_RETENTION_MS } from './policy.ts';
import { findKey, insertKey, pruneKeys, tryLockKey } from './store.ts';

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
  retentionMs?: number;
}

export class IdempotencyService {
  readonly #clock: () => Date;
  readonly #retentionMs: number;
  /**
   * Keys this process is running now. A second request with such a key answers 409 at once: on SQLite it would
   * otherwise queue behind the first request's transaction on the one connection, then replay.
   */
  readonly #inFlight = new Set<string>();
  /** Creations arriving together share one commit on SQLite (each in a savepoint of its own). */
  readonly #group: CommitGroup;

  constructor(private readonly db: Db, private readonly dialect: DialectName = 'sqlite', options: IdempotencyOptions = {}) {
    this.#clock = options.clock ?? (() => new Date());
    this.#retentionMs = options.retentionMs ?? KEY_RETENTION_MS;
    this.#group = new CommitGroup(db, dialect);
  }

  /**
   * Runs `work` at most once per (scope, key) and request: creates with `trx` and answers; the answer is stored
   * in the same transaction. Without a key the work simply runs in a transaction. Throws 422
   * idempotency-key-reused for the key with another request, 409 conflict while another attempt runs with it.
   * When the work throws, nothing it wrote is kept and no key is stored, so a retry runs it again.
   */
  async run(request: IdempotentRequest, work: (trx: Transaction<Database>) => Promise<WorkAnswer>): Promise<IdempotentAnswer> {
    const { scope, key } = request;
    if (key === null) {
      return this.#group.run(async (trx) => {
        const answer = await work(trx);
        return { status: answer.status, body: JSON.stringify(answer.body), replayed: false };
      });
    }
    const token = `${scope}\n${key}`;
    if (this.#inFlight.has(token)) throw stillRunning();
    this.#inFlight.add(token);
    try {
      return await this.#group.run(async (trx) => {
        if (this.dialect === 'postgres' && !await tryLockKey(trx, lockIdOf(token))) throw stillRunning();
        const row = await findKey(trx, scope, key);
        if (row) {
          if (row.request_hash !== request.requestHash) {
            throw new AppError('idempotency-key-reused', 'This Idempotency-Key was already used with a different request. Send a new key for a new request.');
          }
          return { status: row.status, body: row.response_body, replayed: true };
        }
        const answer = await work(trx);
        const body = JSON.stringify(answer.body);
        await insertKey(trx, { scope, key, request_hash: request.requestHash, status: answer.status, response_body: body, created_at: this.#clock().toISOString() });
        return { status: answer.status, body, replayed: false };
      });
    } finally {
      this.#inFlight.delete(token);
    }
  }

  /** Deletes keys older than the retention period (housekeeping); returns how many. */
  async prune(): Promise<number> {
    return pruneKeys(this.db, new Date(this.#clock().getTime() - this.#retentionMs).toISOString());
  }
}

/** The advisory lock of a key: 63 bits of its SHA-256, so keys of different scopes practically never share one. */
function lockIdOf(token: string): bigint {
  return createHash('sha256').update(`idempotency\n${token}`).digest().readBigInt64BE(0);
}

function stillRunning(): AppError {
  return new AppError('conflict', 'A request with this Idempotency-Key is still being processed. Wait for its answer, or try again in a few seconds.', {
    extensions: { inFlight: true },
  });
}
