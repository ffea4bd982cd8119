/**
 * The delivery worker: claims due outbox messages in the database, sends each through SMTP, and records the
 * outcome: sent (with its Message-ID), a retry later (exponential backoff, policy.ts), or failed at the last
 * attempt. Every instance may run one; a claim in the database decides which instance sends which message.
 * Delivery is at least once across a crash between the SMTP server's acceptance and the database update: the
 * Message-ID is derived from the outbox id, so a repeat is the same message to the receiving side (docs/adr/*-outbox.md).
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Db, DialectName } from '../platform/db/database.ts';
import { DELIVERY_POLICY, nextAttemptDelay, type DeliveryPolicy } from './policy.ts';
import { claimDue, settle, type OutboxRow } from './store.ts';
import type { SmsTransport } from './sms.ts';

export interface MailToSend {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  lang: string;
  /** Extra headers stored with the message (List-Unsubscribe on alerts). */
  headers?: Record<string, string> | undefined;
}

/** Sends one message; rejects with an error carrying `responseCode` (SMTP) or `code` (connection) when refused. */
export interface MailTransport {
  send(mail: MailToSend): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * Posts one webhook delivery (src/webhooks/delivery.ts): resolves with the receiver's 2xx status; rejects with an
 * error carrying `code` (a short reason: `http-500`, `timeout`, `econnrefused`), `status` when the receiver answered,
 * and `final` when trying again cannot help (the endpoint was removed).
 */
export interface WebhookTransport {
  post(row: OutboxRow): Promise<{ status: number }>;
}

/** nodemailer to an smtp:// or smtps:// URL (`?ignoreTLS=true` and the like are nodemailer's URL options). */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId,
        headers: { ...mail.headers, 'Content-Language': mail.lang, 'Auto-Submitted': 'auto-generated' },
      });
      return { messageId: info.messageId || mail.messageId };
    },
    close: () => transporter.close(),
  };
}

/** The Message-ID of an outbox message: the same on every attempt, so a repeat after a crash is recognisable. */
export function messageIdFor(outboxId: string, mailFrom: string): string {
  const domain = /@([^<>@\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'switchboard.invalid';
  return `<outbox.${outboxId}@${domain}>`;
}

/** The headers stored with a message (a JSON object of strings), or none. */
export function storedHeaders(json: string | null): Record<string, string> | undefined {
  if (!json) return undefined;
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string' && !/[\r\n]/.test(e[1])));
  } catch {
    return undefined;
  }
}

/** A short reason without personal data: the SMTP status code, or the connection error's code. */
export function failureReason(err: unknown): string {
  const e = err as { responseCode?: unknown; code?: unknown } | null;
  if (e && typeof e.responseCode === 'number') return `smtp-${e.responseCode}`;
  if (e && typeof e.code === 'string' && /^[A-Z0-9_-]{1,32}$/.test(e.code)) return e.code.toLowerCase();
  return 'send-failed';
}

export interface WorkerLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface OutboxWorkerOptions {
  db: Db;
  dialect: DialectName;
  /** Mail (channel 'email'): claimed only when given. */
  transport?: MailTransport | undefined;
  /** Text messages (channel 'sms', src/outbox/sms.ts): claimed only when given. */
  sms?: SmsTransport | undefined;
  /** Webhook deliveries (channel 'webhook'): claimed only when given. */
  webhooks?: WebhookTransport | undefined;
  mailFrom: string;
  policy?: DeliveryPolicy;
  clock?: () => Date;
  log?: WorkerLog;
  /** Names this worker's claims; random per process unless a test names it. */
  workerId?: string;
}

const quiet: WorkerLog = { info: () => {}, warn: () => {} };

export class OutboxWorker {
  readonly workerId: string;
  private readonly policy: DeliveryPolicy;
  private readonly clock: () => Date;
  private log: WorkerLog;
  private timer: NodeJS.Timeout | undefined;
  private followUp: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;
  /** The channels this worker claims: the ones it has a transport for. */
  private readonly channels: ReadonlyArray<OutboxRow['channel']>;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.channels = [...(options.transport ? ['email'] as const : []), ...(options.sms ? ['sms'] as const : []), ...(options.webhooks ? ['webhook'] as const : [])];
    this.workerId = options.workerId ?? `worker-${randomBytes(6).toString('hex')}`;
    this.policy = options.policy ?? DELIVERY_POLICY;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? quiet;
  }

  /** Logs to this logger from now on (the server's, once it exists). */
  withLog(log: WorkerLog): this {
    this.log = log;
    return this;
  }

  /** Looks for due mail every pollIntervalMs, and at once. */
  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(() => this.wake(), this.policy.pollIntervalMs).unref();
    this.wake();
  }

  /**
   * Stops looking; waits for the round in progress (at most stopWaitMs: a send that hangs longer keeps its claim
   * until the lease lapses, and another instance then sends it); closes the SMTP transport.
   */
  async stop(stopWaitMs = 10_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.followUp);
    this.timer = undefined;
    this.followUp = undefined;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.running?.catch(() => 0), new Promise((resolve) => { timeout = setTimeout(resolve, stopWaitMs).unref(); })]);
    clearTimeout(timeout);
    this.options.transport?.close();
  }

  /**
   * After an enqueue in this process: a round now, and one shortly after, since the enqueuing transaction may
   * not have committed when the first round looks (the row is invisible to it until then).
   */
  nudge(): void {
    this.wake();
    if (this.followUp || this.stopped) return;
    this.followUp = setTimeout(() => {
      this.followUp = undefined;
      this.wake();
    }, 200).unref();
  }

  /** Runs a round now, or right after the current one. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain().catch((err: Error) => this.log.warn({ errName: err.name }, 'outbox round failed'));
  }

  /** Rounds until nothing due is left; returns how many messages were attempted. One at a time per worker. */
  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          const n = await this.round();
          total += n;
          if (n === this.policy.batchSize) this.again = true;
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
      return total;
    })();
    return this.running;
  }

  /** One claim and its sends. Returns how many messages were claimed. */
  async round(): Promise<number> {
    const now = this.clock();
    if (this.channels.length === 0) return 0;
    const claimed = await claimDue(this.options.db, this.options.dialect, {
      workerId: this.workerId, now: now.toISOString(), until: new Date(now.getTime() + this.policy.leaseMs).toISOString(), limit: this.policy.batchSize,
      channels: this.channels,
    });
    for (const row of claimed) await this.deliver(row);
    return claimed.length;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const attempts = Number(row.attempts);
    if (row.channel === 'webhook' && this.options.webhooks) return this.#deliverWebhook(row, attempts, this.options.webhooks);
    if (row.channel === 'sms' && this.options.sms) return this.#deliverSms(row, attempts, this.options.sms);
    if (row.channel !== 'email' || !this.options.transport) {
      await settle(this.options.db, row.id, this.workerId, { state: 'failed', last_error: 'channel-not-supported' });
      return;
    }
    if (attempts > this.policy.maxAttempts) {
      // Claimed again after its last attempt's claim lapsed (the instance died during it): no attempts left.
      await settle(this.options.db, row.id, this.workerId, { state: 'failed', last_error: 'lease-expired' });
      this.log.warn({ outboxId: row.id, attempts }, 'outbox message failed: its last attempt did not finish');
      return;
    }
    const messageId = messageIdFor(row.id, this.options.mailFrom);
    try {
      const info = await this.options.transport.send({ from: this.options.mailFrom, to: row.to_address, subject: row.subject, text: row.body_text, messageId, lang: row.lang, headers: storedHeaders(row.headers) });
      const kept = await settle(this.options.db, row.id, this.workerId, { state: 'sent', sent_at: this.clock().toISOString(), message_id: info.messageId, last_error: null });
      if (!kept) this.log.warn({ outboxId: row.id }, 'outbox message sent after its claim lapsed; another instance may send it again (same Message-ID)');
      else this.log.info({ outboxId: row.id, template: row.template, attempts }, 'outbox message sent');
    } catch (err) {
      const reason = failureReason(err);
      const delay = nextAttemptDelay(this.policy, attempts);
      const set = delay === null
        ? { state: 'failed' as const, last_error: reason }
        : { state: 'pending' as const, last_error: reason, next_attempt_at: new Date(this.clock().getTime() + delay).toISOString() };
      await settle(this.options.db, row.id, this.workerId, set);
      this.log.warn({ outboxId: row.id, attempts, reason, final: delay === null }, delay === null ? 'outbox message failed' : 'outbox message will be retried');
    }
  }

  /**
   * One text message: the same claim, attempts and backoff as mail; the provider's message SID is kept as its
   * Message-ID. A refusal that trying again cannot fix (an invalid number, a recipient who replied STOP) fails at
   * once. At least once, like mail: a crash between the provider's acceptance and the update sends it again.
   */
  async #deliverSms(row: OutboxRow, attempts: number, sms: SmsTransport): Promise<void> {
    if (attempts > this.policy.maxAttempts) {
      await settle(this.options.db, row.id, this.workerId, { state: 'failed', last_error: 'lease-expired' });
      return;
    }
    try {
      const info = await sms.send({ to: row.to_address, body: row.body_text });
      const kept = await settle(this.options.db, row.id, this.workerId, { state: 'sent', sent_at: this.clock().toISOString(), message_id: info.messageId, last_error: null });
      if (!kept) this.log.warn({ outboxId: row.id }, 'text message sent after its claim lapsed; another instance may send it again');
      else this.log.info({ outboxId: row.id, template: row.template, attempts }, 'text message sent');
    } catch (err) {
      const e = err as { code?: unknown; final?: unknown } | null;
      const reason = typeof e?.code === 'string' && /^[a-z0-9_-]{1,32}$/.test(e.code) ? e.code : 'send-failed';
      const delay = e?.final === true ? null : nextAttemptDelay(this.policy, attempts);
      await settle(this.options.db, row.id, this.workerId, delay === null
        ? { state: 'failed', last_error: reason }
        : { state: 'pending', last_error: reason, next_attempt_at: new Date(this.clock().getTime() + delay).toISOString() });
      this.log.warn({ outboxId: row.id, attempts, reason, final: delay === null }, delay === null ? 'text message failed' : 'text message will be retried');
    }
  }

  /**
   * One webhook delivery: the same claim, attempts and backoff as mail; the receiver's status is kept. The event id
   * in the body and the Switchboard-Event-Id header is the same on every attempt, so a receiver can tell a repeat.
   */
  async #deliverWebhook(row: OutboxRow, attempts: number, webhooks: WebhookTransport): Promise<void> {
    if (attempts > this.policy.maxAttempts) {
      await settle(this.options.db, row.id, this.workerId, { state: 'failed', last_error: 'lease-expired' });
      return;
    }
    try {
      const { status } = await webhooks.post(row);
      const kept = await settle(this.options.db, row.id, this.workerId, { state: 'sent', sent_at: this.clock().toISOString(), response_code: status, last_error: null });
      if (!kept) this.log.warn({ outboxId: row.id }, 'webhook delivered after its claim lapsed; another instance may deliver it again (same event id)');
      else this.log.info({ outboxId: row.id, event: row.template, attempts }, 'webhook delivered');
    } catch (err) {
      const e = err as { code?: unknown; status?: unknown; final?: unknown } | null;
      const reason = typeof e?.code === 'string' && /^[a-z0-9_-]{1,32}$/.test(e.code) ? e.code : 'send-failed';
      const delay = e?.final === true ? null : nextAttemptDelay(this.policy, attempts);
      const response_code = typeof e?.status === 'number' ? e.status : null;
      await settle(this.options.db, row.id, this.workerId, delay === null
        ? { state: 'failed', last_error: reason, response_code }
        : { state: 'pending', last_error: reason, response_code, next_attempt_at: new Date(this.clock().getTime() + delay).toISOString() });
      this.log.warn({ outboxId: row.id, attempts, reason, final: delay === null }, delay === null ? 'webhook delivery failed' : 'webhook delivery will be retried');
    }
  }
}
