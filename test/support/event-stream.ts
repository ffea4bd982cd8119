/**
 * One server-sent-events connection read with node's http client, for tests of live pages over a real server:
 * events as they arrive, the status and content type, and whether the response ended. Waiting is on arrivals only
 * (no clock: the test's own timeout is the limit).
 */
import http from 'node:http';
import assert from 'node:assert/strict';

export interface SnapshotEvent {
  html: string;
  asOf: string;
  summary: { key: string; text: string };
}

export class EventStream {
  events: Array<{ event: string; data: unknown }> = [];
  ended = false;
  status = 0;
  contentType = '';
  #buffer = '';
  #waiters: Array<() => void> = [];
  #req: http.ClientRequest;
  constructor(url: string, cookie?: string) {
    this.#req = http.get(url, { headers: { ...(cookie ? { cookie } : {}), accept: 'text/event-stream' } }, (res) => {
      this.status = res.statusCode ?? 0;
      this.contentType = String(res.headers['content-type'] ?? '');
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.#buffer += chunk;
        let i;
        while ((i = this.#buffer.indexOf('\n\n')) >= 0) {
          const block = this.#buffer.slice(0, i);
          this.#buffer = this.#buffer.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) this.events.push({ event, data: JSON.parse(data) });
        }
        this.#wake();
      });
      res.on('end', () => { this.ended = true; this.#wake(); });
      res.on('close', () => { this.ended = true; this.#wake(); });
    });
    this.#req.on('error', () => { this.ended = true; this.#wake(); });
  }
  #wake() {
    for (const w of this.#waiters.splice(0)) w();
  }
  /** Resolves when `ok` holds on what has arrived; fails if the stream ends first. */
  async until(ok: () => boolean): Promise<void> {
    while (!ok()) {
      if (this.ended) assert.fail(`the stream ended first (status ${this.status}); events: ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
  async untilEnded(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  snapshots(): SnapshotEvent[] {
    return this.events.filter((e) => e.event === 'snapshot').map((e) => e.data as SnapshotEvent);
  }
  close() {
    this.#req.destroy();
  }
}
