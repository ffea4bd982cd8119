/**
 * `switchboard serve` as a real child process on a test database (as serve.test.ts and concurrent-start.test.ts
 * start it): for tests that need a separate process — one that can be killed with SIGKILL mid-request, or whose
 * socket handling must not share the test's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { testEnv } from './app.ts';
import type { TestDatabase } from './databases.ts';

const bin = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** The address it serves, e.g. http://localhost:41234 */
  base: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL: the process dies at once, mid-request, without running any of its shutdown code. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit; resolves with the exit code (null when a signal ended it). Does nothing if it has exited. */
  stop(): Promise<number | null>;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Starts `switchboard serve` with the test environment (no demo, quick hashing, silent logs) on PORT 0 and resolves
 * once it prints its address. The start runs while no test schema is dropped (its migrator reads every schema).
 */
export async function startServer(db: TestDatabase, extraEnv: Record<string, string> = {}, timeoutMs = 120_000): Promise<ServerProcess> {
  return db.whileNoSchemaIsDropped(async () => {
    const child = spawn(process.execPath, [bin, 'serve'], { env: { ...process.env, ...testEnv(db), PORT: '0', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => { out += String(d); });
    child.stderr!.on('data', (d) => { out += String(d); });
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`not serving after ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
      const check = () => {
        const address = /serving (http:\/\/\S+)/.exec(out)?.[1];
        if (address) { clearTimeout(timer); child.off('exit', onExit); resolve(address); }
      };
      const onExit = (code: number | null, signal: string | null) => { clearTimeout(timer); reject(new Error(`exited (${code ?? signal}) before serving:\n${out}`)); };
      child.stdout!.on('data', check);
      child.once('exit', onExit);
    });
    return {
      child, pid: child.pid!, base,
      output: () => out,
      async kill() {
        if (exited(child)) return;
        const gone = once(child, 'exit');
        process.kill(child.pid!, 'SIGKILL');
        await gone;
      },
      async stop() {
        if (!exited(child)) {
          const gone = once(child, 'exit');
          child.kill('SIGTERM');
          await gone;
        }
        return child.exitCode;
      },
    };
  });
}
