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
}

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
    return { kind, env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
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
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
