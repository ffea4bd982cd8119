/**
 * Group commit for SQLite: creations that arrive while another transaction holds the one connection wait, and then
 * run together in ONE transaction, each inside a SAVEPOINT of its own, so they share one durable commit (one WAL
 * fsync) instead of paying one each. A unit of work that throws is rolled back to its savepoint alone and rejected
 * with its error; the others go on. Nobody is answered before the shared COMMIT returns, so "no 2xx before the
 * commit is durable" holds for every one of them. Units run one after another, exactly as separate transactions
 * would on the single connection: each sees what the earlier units of its group wrote, never what a rolled-back
 * one wrote.
 *
 * On PostgreSQL each unit is simply its own transaction: several connections already commit in parallel, and the
 * server groups their WAL flushes itself.
 */
import { sql, type Transaction } from 'kysely';
import type { Db, DialectName } from './database.ts';
import type { Database } from './schema.ts';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class CommitGroup {
  readonly #queue: Pending[] = [];
  #draining = false;
  /** How many transactions ran and how many units they held (for tests and benchmarks). */
  readonly stats = { transactions: 0, units: 0 };

  /** `maxGroup`: the most units one transaction takes (a bound on how long the first of them waits). */
  constructor(private readonly db: Db, private readonly dialect: DialectName, private readonly maxGroup = 64) {}

  /** Runs `work` in a transaction (shared with other units on SQLite) and answers once that transaction committed. */
  run<T>(work: Work<T>): Promise<T> {
    if (this.dialect !== 'sqlite') {
      this.stats.transactions++;
      this.stats.units++;
      return this.db.transaction().execute(work);
    }
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length) {
        const group = this.#queue.splice(0, this.maxGroup);
        this.stats.transactions++;
        this.stats.units += group.length;
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            for (const unit of group) {
              await sql`savepoint unit`.execute(trx);
              try {
                const value = await unit.work(trx);
                await sql`release savepoint unit`.execute(trx);
                outcomes.push({ ok: true, value });
              } catch (err) {
                await sql`rollback to savepoint unit`.execute(trx);
                await sql`release savepoint unit`.execute(trx);
                outcomes.push({ ok: false, err });
              }
            }
          });
        } catch (err) {
          // The shared commit failed (or a savepoint could not be rolled back): nothing of the group is kept.
          for (const unit of group) unit.reject(err);
          continue;
        }
        group.forEach((unit, i) => {
          const o = outcomes[i]!;
          if (o.ok) unit.resolve(o.value);
          else unit.reject(o.err);
        });
      }
    } finally {
      this.#draining = false;
    }
  }
}
