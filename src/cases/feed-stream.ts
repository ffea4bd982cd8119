/**
 * Reading a case feed as a stream of records, never as one string: NDJSON line by line, or a JSON array
 * element by element (stream-json). A line that is not JSON becomes a per-line error, not a failed import.
 */
import readline from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import streamJson from 'stream-json';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { parseJsonBody } from '../platform/http/json-body.ts';
import { AppError } from '../platform/errors/catalogue.ts';

/**
 * One record of a feed: parsed, not yet parsed (an NDJSON line, parsed where it is checked: on a worker thread for
 * a large feed, see feed-checker.ts), or a line that could not be read.
 */
export type FeedItem = { line: number; value: unknown } | { line: number; text: string } | { line: number; error: string };

/** Records of an NDJSON stream, numbered from 1, as unparsed lines (see parseFeedLine); blank lines are skipped but counted. */
export async function* ndjsonRecords(input: Readable): AsyncGenerator<FeedItem> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    yield { line, text };
  }
}

/** An NDJSON line parsed as the JSON body parser does; a line that is not JSON becomes the line's error. */
export function parseFeedLine(text: string): { value: unknown } | { error: string } {
  try {
    return { value: parseJsonBody(text) };
  } catch (err) {
    return { error: err instanceof AppError ? err.detail : 'not valid JSON' };
  }
}

/** Elements of a JSON array stream, numbered from 1 (the element's position). */
export async function* jsonArrayRecords(input: Readable): AsyncGenerator<FeedItem> {
  const pipeline = input.pipe(streamJson.parser()).pipe(StreamArray.streamArray());
  let failure: Error | null = null;
  input.on('error', (e) => { failure = e; });
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      yield { line: item.key + 1, value: item.value };
    }
  } catch (err) {
    if (failure) throw failure;
    if (err instanceof AppError) throw err;
    throw new AppError('invalid-request', 'The body is not a JSON array of case records.');
  }
}

/** Passes bytes through, failing with 413 past `limit`, and reporting progress. */
export function byteLimit(limit: number, onBytes?: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      onBytes?.(total);
      if (total > limit) return done(new AppError('payload-too-large', `The case feed is larger than ${Math.round(limit / 1024 / 1024)} MiB; split it.`));
      done(null, chunk);
    },
  });
}
