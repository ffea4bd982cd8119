/** Shared bench plumbing: child processes that print their port, and an autocannon run summarised. */
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { cpuSeconds } from './cpu.ts';

export interface Child {
  process: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script>` or the switchboard binary and waits for the port it prints. */
export async function startChild(args: string[], env: NodeJS.ProcessEnv, portPattern: RegExp): Promise<Child> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += String(d);
      const m = portPattern.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before listening:\n${out}`)));
  });
  return {
    process: child, port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Server CPU (user + system) per answered request, in microseconds: the figure least disturbed by the load generator sharing the cores. */
  cpuMicrosPerRequest: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  errors: number;
  /** The server's resident memory at the end of the load (MiB), when its pid is known. */
  rssMb?: number;
}

/** A process's resident set size in MiB, from /proc (0 when it cannot be read). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Runs autocannon against a URL builder for `seconds`, cycling through `paths`. */
export async function load(port: number, paths: string[], headers: Record<string, string>, seconds: number, connections = 32, pid?: number): Promise<LoadResult> {
  let i = 0;
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  const cpu = pid ? cpuSeconds(pid) - cpuBefore : 0;
  return {
    requestsPerSecond: result.requests.average,
    cpuMicrosPerRequest: pid && result.requests.total ? Math.round((cpu / result.requests.total) * 1e6) : 0,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors,
    ...(pid ? { rssMb: rssMb(pid) } : {}),
  };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
