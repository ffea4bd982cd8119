/** A worker thread of the bulk seed: produces its share of the row batches (bulk-rows.ts) and posts them to the loader. */
import { parentPort, workerData } from 'node:worker_threads';
import { produceRows, type ProducerOptions, type RowBatch } from './bulk-rows.ts';

const port = parentPort!;
/** Batches posted and not yet taken by the loader: the worker waits when it is this far ahead. */
const AHEAD = 4;
let outstanding = 0;
let wake: (() => void) | null = null;
port.on('message', (m: { taken: number }) => {
  outstanding -= m.taken;
  wake?.();
  wake = null;
});

try {
  const samples = await produceRows(workerData as ProducerOptions, async (b: RowBatch) => {
    port.postMessage({ batch: b }, [b.facts.offices.buffer, b.facts.phones.buffer, b.facts.decided.buffer, b.facts.receivedDay.buffer] as ArrayBuffer[]);
    outstanding++;
    while (outstanding >= AHEAD) await new Promise<void>((resolve) => { wake = resolve; });
  });
  port.postMessage({ done: true, samples });
} catch (err) {
  port.postMessage({ error: (err as Error).stack ?? String(err) });
}
// Nothing more to hear: let the thread end once the last message is out.
port.removeAllListeners('message');
port.unref();
