/** Runs the switchboard command line in-process against a test database, capturing what it prints. */
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { testEnv } from './app.ts';
import type { TestDatabase } from './databases.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `switchboard <args>` with `stdin` as standard input; returns the exit code and both outputs. */
export async function runCli(db: TestDatabase, args: string[], stdin = ''): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => { stdout += String(d); });
  err.on('data', (d) => { stderr += String(d); });
  // The CLI migrates first: guarded like every other migration in the tests, since another test file dropping its
  // schema meanwhile made it fail with "schema t_… does not exist" once on a loaded CI machine.
  const code = await db.whileNoSchemaIsDropped(() => main(args, { stdout: out, stderr: err, stdin: Readable.from([stdin]), env: testEnv(db) }));
  return { code, stdout, stderr };
}
