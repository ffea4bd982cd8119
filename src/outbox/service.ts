/**
 * The outbox: outgoing mail written in the caller's transaction, so a change and the message telling about it
 * commit together or not at all; delivered afterwards by the worker (worker.ts). Used by any capability that
 * tells a person something (service-request answers, callbacks, Ombudsman letters, alerts).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import type { Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxState } from './policy.ts';
import { findMessage, insertMessage, listMessages, requeueFailed, withdrawPending, type OutboxRow } from './store.ts';

export interface OutgoingMessage {
  /**
   * 'email' (the default); 'sms' is stored for a later channel and not delivered by the mail worker; 'webhook' is
   * a webhook delivery (src/webhooks/): `to` is the endpoint's id, `bodyText` the signed JSON body.
   */
  channel?: 'email' | 'sms' | 'webhook';
  /** The recipient's address (PII: stored for delivery, never logged or audited). */
  to: string;
  subject: string;
  /** Plain text, already in the recipient's language. */
  bodyText: string;
  lang: 'en' | 'es';
  /** Which message this is, e.g. "service-request-answered". */
  template: string;
  /** What it is about, by identifier (a referral number), never by name. */
  subjectRef?: string | null;
  /** Not delivered before this instant (a reminder ahead of a callback); now when omitted. */
  notBefore?: string | undefined;
  /** Extra mail headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) on alerts. */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** A message as admins read it (GET /api/v1/outbox and /staff/outbox). */
export interface OutboxItem {
  id: string; channel: 'email' | 'sms' | 'webhook'; to: string; subject: string; bodyText: string; lang: string; template: string;
  subjectRef: string | null; state: OutboxState; attempts: number; nextAttemptAt: string; lastError: string | null;
  createdAt: string; sentAt: string | null; messageId: string | null;
}

const item = (r: OutboxRow): OutboxItem => ({
  id: r.id, channel: r.channel, to: r.to_address, subject: r.subject, bodyText: r.body_text, lang: r.lang, template: r.template,
  subjectRef: r.subject_ref, state: r.state, attempts: Number(r.attempts), nextAttemptAt: r.next_attempt_at, lastError: r.last_error,
  createdAt: r.created_at, sentAt: r.sent_at, messageId: r.message_id,
});

export class OutboxService {
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly db: Db, private readonly audit: AuditService, private readonly clock: () => Date = () => new Date()) {}

  /** Called (soon after) each enqueue in this process: the worker uses it to deliver without waiting for its next round. */
  onEnqueue(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Queues a message inside the caller's transaction: it is delivered only if that transaction commits.
   * Returns the message's id.
   */
  async enqueue(trx: Transaction<Database>, message: OutgoingMessage): Promise<string> {
    if (!message.to.trim()) throw new Error('an outbox message needs a recipient');
    const id = newId();
    const now = this.clock().toISOString();
    await insertMessage(trx, {
      id, channel: message.channel ?? 'email', to_address: message.to.trim(), subject: message.subject, body_text: message.bodyText,
      lang: message.lang, template: message.template, subject_ref: message.subjectRef ?? null, state: 'pending', attempts: 0,
      next_attempt_at: message.notBefore && message.notBefore > now ? message.notBefore : now, claimed_by: null, claimed_until: null, last_error: null, created_at: now, sent_at: null, message_id: null,
      headers: message.headers && Object.keys(message.headers).length ? JSON.stringify(message.headers) : null,
    });
    // The row is not visible to the worker until the caller commits; a wake-up before then finds nothing, and the
    // worker's next round (a few seconds) delivers it. Wake after the current work so a commit usually comes first.
    for (const l of this.listeners) setImmediate(l);
    return id;
  }

  /** Withdraws, in the caller's transaction, messages about `subjectRef` of one template not yet delivered. */
  async withdraw(trx: Transaction<Database>, subjectRef: string, template: string): Promise<number> {
    return withdrawPending(trx, subjectRef, template);
  }

  /** Messages newest first, optionally in one state. The read is audited (the messages hold personal data). */
  async list(actor: Actor, filter: { state?: OutboxState | undefined }, page: number, pageSize: number, traceId?: string) {
    const { rows, total } = await listMessages(this.db, filter.state, page, pageSize);
    await this.audit.recordNow({ actor: actorLabel(actor), action: 'outbox-read', outcome: 'allowed', traceId: traceId ?? null, detail: { state: filter.state ?? 'any', page } });
    return { items: rows.map(item), page, pageSize, total };
  }

  /** Puts a failed message back in the queue, due now, with its attempts reset; audited in the same transaction. */
  async retry(id: string, actor: Actor, traceId?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await findMessage(trx, id);
      if (!row) throw new AppError('not-found', 'There is no message with this id in the outbox.');
      if (!(await requeueFailed(trx, id, this.clock().toISOString()))) throw new AppError('conflict', 'Only a failed message can be sent again.');
      await this.audit.record(trx, { actor: actorLabel(actor), action: 'outbox-retry', subject: `outbox:${id}`, outcome: 'allowed', traceId: traceId ?? null, purpose: row.subject_ref });
    });
    for (const l of this.listeners) setImmediate(l);
  }
}
