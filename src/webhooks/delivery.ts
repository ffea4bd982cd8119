/**
 * Posting one webhook delivery (the outbox worker's `webhooks` transport): the endpoint is read at each attempt (a
 * removed one is not posted to), the body is signed over "<unix time>.<body>" with HMAC-SHA256 (the shape Stripe
 * and GitHub use), redirects are not followed, and the receiver has DELIVERY_TIMEOUT_MS to answer with a 2xx.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import type { OutboxRow } from '../outbox/store.ts';
import type { WebhookTransport } from '../outbox/worker.ts';
import { DELIVERY_TIMEOUT_MS, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER } from './policy.ts';
import { urlProblem } from './checks.ts';
import { findEndpoint } from './store.ts';

/** The signature header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

const failure = (code: string, extra: { status?: number; final?: boolean } = {}) => Object.assign(new Error(code), { code, ...extra });

export function webhookTransport(options: { db: Db; allowHttpLocalhost: boolean; timeoutMs?: number; clock?: () => Date }): WebhookTransport {
  const clock = options.clock ?? (() => new Date());
  return {
    async post(row: OutboxRow) {
      const endpoint = await findEndpoint(options.db, row.to_address);
      if (!endpoint || endpoint.removed_at) throw failure('endpoint-removed', { final: true });
      if (urlProblem(endpoint.url, options.allowHttpLocalhost)) throw failure('url-not-allowed', { final: true });
      const t = Math.floor(clock().getTime() / 1000);
      let res: Response;
      try {
        res = await fetch(endpoint.url, {
          method: 'POST', redirect: 'manual', body: row.body_text, signal: AbortSignal.timeout(options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
          headers: {
            'content-type': 'application/json', 'user-agent': 'Switchboard-Webhooks/1',
            [SIGNATURE_HEADER]: signatureHeader(endpoint.secret, t, row.body_text),
            [EVENT_ID_HEADER]: row.subject_ref ?? row.id, [EVENT_TYPE_HEADER]: row.template,
          },
        });
      } catch (err) {
        const e = err as { name?: string; cause?: { code?: unknown } };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') throw failure('timeout');
        const code = typeof e.cause?.code === 'string' && /^[A-Z0-9_]{1,32}$/.test(e.cause.code) ? e.cause.code.toLowerCase() : 'connection-failed';
        throw failure(code);
      }
      // The receiver's words are not kept (they may quote anything); only its status.
      await res.body?.cancel().catch(() => {});
      if (res.status >= 200 && res.status < 300) return { status: res.status };
      throw failure(`http-${res.status}`, { status: res.status });
    },
  };
}
