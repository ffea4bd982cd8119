/** Opens the database: embedded SQLite (WAL, synchronous=FULL) by default, PostgreSQL when given a postgres:// URL. */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDatabase, type SqliteDialectConfig } from 'kysely';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  dialect: DialectName;
  /** Where the data lives, for messages: a file path or a URL without its password. */
  location: string;
  /** SQLite only: the connection itself, for the few synchronous prepared reads of a hot path (case-status/store.ts). */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so two processes
 * (a server and the CLI) never deadlock upgrading a read lock, and busy_timeout makes the second one wait.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * better-sqlite3 behind Kysely with prepared statements kept by SQL text: Kysely prepares every query it runs,
 * and preparing costs more than a point lookup itself (see docs/performance.md). Bounded; the oldest is dropped.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 1000): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (!statement) {
        statement = sqlite.prepare(sqlText);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

/** SQLite's page cache per connection, as its pragma takes it (negative: KiB): 64 MiB. */
export const SQLITE_CACHE_KIB = -65536;

/** Opens a SQLite file with the durability settings the brief requires. */
export function openSqlite(file: string): SQLite.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // 16 KiB pages (a new file only: an existing one keeps its own). A case row with its prepared answer is ~2.7 KB, so
  // a 4 KiB page held one and wasted a third of itself; 16 KiB pages hold six (1 M cases: 750 -> 600 MB a 200,000).
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  // Reads through memory-mapped pages and a 64 MiB page cache instead of a read() per B-tree page:
  // a case lookup on a 10-million-case file touches a handful of pages (see docs/performance.md).
  sqlite.pragma('mmap_size = 4294967296');
  sqlite.pragma(`cache_size = ${SQLITE_CACHE_KIB}`);
  return sqlite;
}

/**
 * Opens the configured database. A PostgreSQL URL may carry `?options=-c search_path=NAME` to confine
 * the connection to one schema (the tests do, so suites never share tables).
 */
export function openDatabase(options: { databaseUrl: string | null; dataDir: string }): DatabaseHandle {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection the server drops (a restart, failover, idle timeout, pg_terminate_backend) is reported
    // as an 'error' event on the pool; unheard, it would end the process. The pool has already discarded the
    // connection and opens a new one on the next query, so noting it is all there is to do.
    pool.on('error', (err: Error & { code?: string }) => {
      process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: 'an idle PostgreSQL connection was closed by the server; the pool replaces it', code: err.code ?? null })}\n`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(options.databaseUrl);
    url.password = '';
    return { db, dialect: 'postgres', location: url.toString(), close: () => db.destroy() };
  }
  const file = path.join(options.dataDir, 'switchboard.db');
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', location: file, sqlite, close: () => db.destroy() };
}

/** The current instant as the fixed-width ISO text every table stores. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
