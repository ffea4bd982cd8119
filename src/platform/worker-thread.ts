/** Starting a worker thread on a TypeScript module: the thread loads tsx first, as bin/switchboard.mjs does (ADR 0006). */
import { Worker } from 'node:worker_threads';

/** Starts `module` (a URL of a .ts file) on a new thread with `data` as its workerData. Starting one costs ~0.3 s. */
export function startTypeScriptWorker(module: URL, data: unknown): Worker {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv: [] });
}
