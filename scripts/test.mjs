#!/usr/bin/env node
// `npm test`: type-check, then every test file (unit, integration, browser) in one run of node's test runner.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const files = ['src', 'test']
  .flatMap((dir) => fs.readdirSync(path.join(root, dir), { recursive: true }).map((f) => path.join(dir, String(f))))
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env }).status ?? 1;

if (!only.length) {
  console.log('Type-checking…');
  if (run('npx', ['tsc', '--noEmit', '-p', '.']) !== 0) process.exit(1);
}
console.log(`Running ${selected.length} test files…`);
process.exit(run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...selected]));
