/**
 * The databases every integration test runs on: SQLite always, and PostgreSQL when TEST_DATABASE_URL is set.
 * Each test app gets its own SQLite file or PostgreSQL schema, so test files may run in parallel.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { test } from 'node:test';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  /** DATA_DIR and DATABASE_URL for this database. */
  env: { DATA_DIR: string; DATABASE_URL?: string };
  drop(): Promise<void>;
  /**
   * Runs work that migrates or introspects this database (createDeps) so that no test schema is dropped
   * meanwhile: Kysely's migrator lists the tables of every schema (pg_get_serial_sequence on each), which
   * fails with "schema … does not exist" when another test process drops its schema at that moment.
   * Migrations hold a shared advisory lock; drops take it exclusively. A test-only race: nothing drops
   * schemas under a serving instance.
   */
  whileNoSchemaIsDropped<T>(work: () => Promise<T>): Promise<T>;
}

/** The advisory lock key that orders test-schema drops after any migration in progress (any value no app lock uses). */
const SCHEMA_DROP_LOCK = 7_310_462_019;

export type DatabaseKind = TestDatabase['kind'];

const pgUrl = process.env.TEST_DATABASE_URL;
const required = process.env.CI === 'true' || process.env.REQUIRE_ALL_TESTS === '1';

/** The kinds to run on. Without TEST_DATABASE_URL, PostgreSQL is skipped with a line saying so (a failure in CI). */
export function databaseKinds(): DatabaseKind[] {
  if (pgUrl) return ['sqlite', 'postgres'];
  if (required) {
    test('PostgreSQL is required in CI', () => {
      throw new Error('TEST_DATABASE_URL is not set: CI must run every test on PostgreSQL too (.ci/run sets it).');
    });
  } else {
    test('PostgreSQL tests', { skip: 'set TEST_DATABASE_URL=postgres://… (a PostgreSQL 15+ server) to run them' }, () => {});
  }
  return ['sqlite'];
}

/** A fresh, empty database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
  if (kind === 'sqlite') {
    return { kind, env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }), whileNoSchemaIsDropped: (work) => work() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(pgUrl!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    kind,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query('select pg_advisory_lock($1)', [SCHEMA_DROP_LOCK]);
      await c.query(`drop schema ${schema} cascade`);
      await c.end(); // ends the session, releasing the lock
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async whileNoSchemaIsDropped(work) {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      try {
        await c.query('select pg_advisory_lock_shared($1)', [SCHEMA_DROP_LOCK]);
        return await work();
      } finally {
        await c.end();
      }
    },
  };
}
