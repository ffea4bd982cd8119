/** The case feed's worker thread (feed-checker.ts): parses and checks chunks of NDJSON lines, answering each in turn. */
import { parentPort, workerData } from 'node:worker_threads';
import type { FeedVocabulary } from './feed-record.ts';
import { checkItem } from './feed-checker.ts';

const port = parentPort!;
const { vocabulary, now } = workerData as { vocabulary: FeedVocabulary; now: string };
port.on('message', (m: { id: number; lines: Array<{ line: number; text: string }> }) => {
  try {
    port.postMessage({ id: m.id, results: m.lines.map((item) => checkItem(item, vocabulary, now)) });
  } catch (err) {
    port.postMessage({ error: (err as Error).stack ?? String(err) });
  }
});
port.postMessage({ ready: true });
