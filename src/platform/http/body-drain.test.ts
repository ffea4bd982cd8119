import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { drainRequestBody, drained, type DrainLimits, type DrainOutcome } from './body-drain.ts';

const limits: DrainLimits = { maxBytes: 64 * 1024, timeoutMs: 300 };
let server: http.Server;
let port: number;
/** What the drain said for each request, in order, and how long it took. */
const outcomes: Array<{ outcome: DrainOutcome; ms: number }> = [];
let readFirst = false;

before(async () => {
  server = http.createServer(async (req, res) => {
    if (readFirst) for await (const _ of req) { /* read the body in full first */ }
    const started = Date.now();
    const outcome = await drainRequestBody(req, limits);
    outcomes.push({ outcome, ms: Date.now() - started });
    res.writeHead(413, { connection: 'close' }).end(outcome);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as net.AddressInfo).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** Sends the head, then the body pieces with pauses; resolves with the answer text (or '' if the connection died). */
function send(head: string, pieces: Array<string | number>): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let answer = '';
    s.on('data', (d) => { answer += String(d); });
    s.on('close', () => resolve(answer));
    s.on('error', () => {});
    s.on('connect', async () => {
      s.write(head);
      for (const p of pieces) {
        if (typeof p === 'number') await new Promise((r) => setTimeout(r, p));
        else if (!s.destroyed) s.write(p);
      }
    });
  });
}

test('a body already read in full: complete, at once', async () => {
  readFirst = true;
  try {
    await send('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\n', ['hello']);
  } finally {
    readFirst = false;
  }
  assert.equal(outcomes.at(-1)!.outcome, 'complete');
});

test('an unread body within the limit is read and discarded: drained, and the client reads the answer', async () => {
  const body = 'x'.repeat(limits.maxBytes);
  const answer = await send(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n`, [body.slice(0, 1000), 20, body.slice(1000)]);
  assert.equal(outcomes.at(-1)!.outcome, 'drained');
  assert.match(answer, /^HTTP\/1\.1 413 .*\r\ndrained\r\n/s);
});

test('a chunked body within the limit is drained too', async () => {
  await send('POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n', ['5\r\nhello\r\n', 20, '0\r\n\r\n']);
  assert.equal(outcomes.at(-1)!.outcome, 'drained');
});

test('a declared length over the limit is not read at all', async () => {
  await send(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${limits.maxBytes + 1}\r\n\r\n`, ['x'.repeat(100)]);
  const last = outcomes.at(-1)!;
  assert.equal(last.outcome, 'over-limit');
  assert.ok(last.ms < 50, `${last.ms} ms`);
});

test('a chunked body that grows past the limit stops being read: over-limit', async () => {
  const chunk = 'x'.repeat(16 * 1024);
  const piece = `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
  await send('POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n', Array.from({ length: 8 }, () => piece));
  assert.equal(outcomes.at(-1)!.outcome, 'over-limit');
});

test('a client that stops sending: timed-out after the time limit, not later', async () => {
  await send('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n', ['x'.repeat(10), 1000]);
  const last = outcomes.at(-1)!;
  assert.equal(last.outcome, 'timed-out');
  assert.ok(last.ms >= limits.timeoutMs - 5 && last.ms < limits.timeoutMs + 200, `${last.ms} ms`);
});

test('only complete and drained let the answer be read', () => {
  assert.deepEqual((['complete', 'drained', 'over-limit', 'timed-out', 'aborted'] as const).map(drained), [true, true, false, false, false]);
});
