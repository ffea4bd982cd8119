#!/usr/bin/env node
// The `switchboard` command. TypeScript runs through tsx's loader (see docs/adr/0006-typescript-runtime.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
