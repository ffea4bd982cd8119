/**
 * Status-change alerts for the public (CONTRACT.md section 6a; issue 12 item 3). A person asks to be told by e-mail
 * or text when a case's public status changes: the sign-up answers 202 whether or not the case exists, and for a
 * case that exists a confirmation link goes to the address (double opt-in). Once confirmed, each change of the
 * public status (the current status of the feed's and Switchboard's merged history, case-status/presenter.ts)
 * queues one message in the person's language naming the receipt number and the new status title, with a
 * one-click unsubscribe link. Messages go through the outbox in the transaction that changed the case (the feed's
 * batch, a duplicate notice), so an alert commits with its change or not at all; `last_sent_status` and a
 * compare-and-set UPDATE make it one message per change per subscriber, whoever writes it.
 * Text messages are queued in the outbox with the same shape (channel `sms`), and not delivered: the mail worker
 * delivers e-mail only.
 */
import { createHmac } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import type { OutboxService } from '../outbox/service.ts';
import type { RateLimiter } from '../platform/rate-limit.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { newId, sha256 } from '../platform/ids.ts';
import { translator, type Lang } from '../platform/i18n/i18n.ts';
import { parseReceiptNumber } from '../domain/receipt-number.ts';
import { maskPhone, normalisePhone } from '../domain/phone-number.ts';
import { mergedHistory, type StatusRow, type StatusVocabulary } from '../case-status/presenter.ts';
import {
  CONFIRMATIONS_PER_ADDRESS_PER_DAY, DAY_MS, HOUR_MS, SIGNUPS_PER_CLIENT_PER_HOUR, SIGNUPS_PER_SUBJECT_PER_DAY,
  TEMPLATE_CHANGED, TEMPLATE_CONFIRM, type AlertChannel,
} from './policy.ts';
import * as store from './store.ts';

export interface AlertDeps {
  db: Db;
  audit: AuditService;
  outbox: Pick<OutboxService, 'enqueue'>;
  limiter: RateLimiter;
  vocabulary: StatusVocabulary;
  receiptPrefixes: readonly string[];
  /** PUBLIC_URL: the links in messages. */
  publicUrl: string;
  /** The key the link secrets are derived from (a stored setting). */
  tokenKey: string;
  /** The agency's short name, as messages sign it (reference data). */
  agencyName: string;
  clock?: () => Date;
}

/** A sign-up as the API and the form send it. */
export interface SignUpInput {
  receiptNumber?: unknown;
  email?: unknown;
  phone?: unknown;
  language?: unknown;
}

export interface CheckedSignUp {
  receiptNumber: string;
  channel: AlertChannel;
  address: string;
  language: Lang;
}

/** What a confirmation or unsubscribe link found: the subscription's case and language, and its state now. */
export interface LinkOutcome {
  state: 'confirmed' | 'unsubscribed';
  /** True when this request changed it (false: the link had been followed before). */
  changed: boolean;
  receiptNumber: string;
  language: Lang;
  /** The link that stops the alerts (shown on the confirmation page). */
  unsubscribeUrl: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** An e-mail address masked for the audit trail: its first character and its domain. */
export const maskEmail = (address: string): string => {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, 1)}•••${address.slice(at)}`;
};

/** Checks a sign-up, naming each bad field. The receipt number alone being bad is `invalid-receipt-number`. */
export function checkSignUp(input: SignUpInput, prefixes: readonly string[]): CheckedSignUp | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const receipt = parseReceiptNumber(input.receiptNumber, prefixes);
  if (!receipt) errors.push({ field: 'receiptNumber', code: input.receiptNumber === undefined || input.receiptNumber === '' ? 'required' : 'invalid', detail: 'A receipt number: 3 letters and 10 digits, like EAC2590012345.' });
  const email = typeof input.email === 'string' && input.email.trim() !== '' ? input.email.trim() : null;
  const phone = typeof input.phone === 'string' && input.phone.trim() !== '' ? input.phone.trim() : null;
  if (input.email !== undefined && input.email !== null && typeof input.email !== 'string') errors.push({ field: 'email', code: 'invalid', detail: 'An e-mail address like name@example.org.' });
  if (input.phone !== undefined && input.phone !== null && typeof input.phone !== 'string') errors.push({ field: 'phone', code: 'invalid', detail: 'A phone number like +1 555 555 0123.' });
  let channel: AlertChannel = 'email';
  let address = '';
  if (email && phone) {
    errors.push({ field: 'email', code: 'one-of', detail: 'Give an e-mail address or a phone number, not both.' });
  } else if (email) {
    if (EMAIL.test(email) && email.length <= 254) address = email.toLowerCase();
    else errors.push({ field: 'email', code: 'invalid', detail: 'An e-mail address like name@example.org.' });
  } else if (phone) {
    channel = 'sms';
    const e164 = normalisePhone(phone);
    if (e164) address = e164;
    else errors.push({ field: 'phone', code: 'invalid', detail: 'A phone number like +1 555 555 0123.' });
  } else if (!errors.some((e) => e.field === 'email' || e.field === 'phone')) {
    errors.push({ field: 'email', code: 'required', detail: 'Give an e-mail address or a phone number.' });
  }
  const language = input.language;
  if (language !== 'en' && language !== 'es') errors.push({ field: 'language', code: language === undefined ? 'required' : 'invalid', detail: 'The language of the messages: "en" or "es".' });
  if (errors.length) return { errors };
  return { receiptNumber: receipt!.value, channel, address, language: language as Lang };
}

/** The public status a person would see: the current entry's code and date; null for a case with no history. */
export function publicStatusOf(row: Pick<StatusRow, 'history' | 'local_history'>): { key: string; status: string } | null {
  const history = mergedHistory(row);
  const last = history[history.length - 1];
  return last ? { key: `${last.status}|${last.date}`, status: last.status } : null;
}

export class AlertService {
  readonly #clock: () => Date;

  constructor(private readonly deps: AlertDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  /** The secret in a subscription's links: derived from its id, so every alert can carry the unsubscribe link again. */
  #token(id: string): string {
    return createHmac('sha256', this.deps.tokenKey).update(`alert:${id}`).digest('base64url');
  }

  #link(path: 'confirm' | 'unsubscribe', id: string, lang: Lang): string {
    return `${this.deps.publicUrl}/alerts/${path}?token=${this.#token(id)}${lang === 'es' ? '&lang=es' : ''}`;
  }

  async #limit(bucket: string, limit: number, windowMs: number, detail: string): Promise<void> {
    const d = await this.deps.limiter.hit(bucket, limit, windowMs);
    if (!d.allowed) throw new AppError('rate-limited', detail, { headers: { 'retry-after': String(d.retryAfter) } });
  }

  /**
   * POST /api/v1/public/alerts and the sign-up form. Answers the same for a case that exists and one that does not;
   * for one that exists, a pending subscription (or the one there is) and a confirmation message in one transaction.
   */
  async signUp(actor: Actor, input: SignUpInput, ctx: { clientAddress: string; traceId?: string | undefined }): Promise<{ status: 'confirmation-sent' }> {
    const checked = checkSignUp(input ?? {}, this.deps.receiptPrefixes);
    if ('errors' in checked) {
      if (checked.errors.length === 1 && checked.errors[0]!.field === 'receiptNumber' && checked.errors[0]!.code === 'invalid') {
        throw new AppError('invalid-receipt-number', 'The receipt number must be 3 letters and 10 digits, like EAC2590012345.', { extensions: { errors: checked.errors } });
      }
      throw validationError(checked.errors);
    }
    const { receiptNumber, channel, address, language } = checked;
    // Counted before anything is looked up, the same for a case that exists and one that does not.
    await this.#limit(`alerts:client:${ctx.clientAddress}`, SIGNUPS_PER_CLIENT_PER_HOUR, HOUR_MS, 'Too many alert sign-ups from your address. Try again later.');
    await this.#limit(`alerts:subject:${receiptNumber}`, SIGNUPS_PER_SUBJECT_PER_DAY, DAY_MS, 'Too many alert sign-ups for this case today. Try again tomorrow.');
    await this.#limit(`alerts:to:${sha256(address).slice(0, 32)}`, CONFIRMATIONS_PER_ADDRESS_PER_DAY, DAY_MS, 'Too many confirmation messages to this address today. Try again tomorrow.');
    const masked = channel === 'email' ? maskEmail(address) : maskPhone(address);
    await this.deps.db.transaction().execute(async (trx) => {
      const [row] = await store.caseStatusRows(trx, [receiptNumber]);
      const current = row ? publicStatusOf(row) : null;
      if (!row || !current) {
        // Nothing stored, nothing sent: the answer is the same 202.
        await this.deps.audit.record(trx, {
          actor: actorLabel(actor), action: 'alert-signup', subject: `case:${receiptNumber}`, outcome: 'allowed', traceId: ctx.traceId ?? null,
          detail: { channel, to: masked, known: false },
        });
        return;
      }
      const now = this.#clock().toISOString();
      const key = { subject_kind: 'case' as const, subject: receiptNumber, channel, address };
      let sub = await store.findByKey(trx, key);
      if (!sub) {
        const id = newId();
        await store.insertSubscription(trx, {
          ...key, id, language, token_hash: sha256(this.#token(id)), status: 'pending', created_at: now, confirmed_at: null, unsubscribed_at: null, last_sent_status: current.key,
        });
        sub = await store.findByKey(trx, key);
        if (!sub) throw new AppError('conflict', 'This sign-up is being made twice at once. Try again.');
      } else if (sub.status === 'unsubscribed') {
        await store.resubscribe(trx, sub.id, { language, lastStatus: current.key });
      } else if (sub.status === 'pending') {
        await store.setPendingLanguage(trx, sub.id, language);
      }
      const lang: Lang = sub.status === 'confirmed' ? sub.language : language;
      const t = translator(lang);
      const vars = { receipt: receiptNumber, agency: this.deps.agencyName, confirm: this.#link('confirm', sub.id, lang), unsubscribe: this.#link('unsubscribe', sub.id, lang) };
      await this.deps.outbox.enqueue(trx, {
        channel, to: address, lang, template: TEMPLATE_CONFIRM, subjectRef: receiptNumber,
        subject: t('alerts.message.confirm.subject', vars),
        bodyText: t(channel === 'email' ? 'alerts.message.confirm.body' : 'alerts.message.confirm.sms', vars),
      });
      await this.deps.audit.record(trx, {
        actor: actorLabel(actor), action: 'alert-signup', subject: `case:${receiptNumber}`, outcome: 'allowed', traceId: ctx.traceId ?? null,
        purpose: `alert:${sub.id}`, detail: { channel, to: masked, known: true, was: sub.status },
      });
    });
    return { status: 'confirmation-sent' };
  }

  /** GET /alerts/confirm: pending → confirmed (knowing the status now). Null for a link that is not one of ours. */
  async confirm(actor: Actor, token: unknown, traceId?: string): Promise<LinkOutcome | null> {
    if (typeof token !== 'string' || !TOKEN.test(token)) return null;
    return this.deps.db.transaction().execute(async (trx) => {
      const sub = await store.findByTokenHash(trx, sha256(token));
      if (!sub) return null;
      let changed = false;
      if (sub.status === 'pending') {
        const [row] = sub.subject_kind === 'case' ? await store.caseStatusRows(trx, [sub.subject]) : [];
        changed = await store.confirm(trx, sub.id, this.#clock().toISOString(), row ? publicStatusOf(row)?.key ?? null : sub.last_sent_status);
        if (changed) {
          await this.deps.audit.record(trx, {
            actor: actorLabel(actor), action: 'alert-confirm', subject: `case:${sub.subject}`, outcome: 'allowed', traceId: traceId ?? null, purpose: `alert:${sub.id}`,
            detail: { channel: sub.channel },
          });
        }
      }
      const state = sub.status === 'unsubscribed' ? 'unsubscribed' : 'confirmed';
      return { state, changed, receiptNumber: sub.subject, language: sub.language, unsubscribeUrl: this.#link('unsubscribe', sub.id, sub.language) };
    });
  }

  /**
   * A sign-up followed by its confirmation, as if the person had followed the link just sent (the demo's subscribers):
   * the same checks, limits, messages and audit entries as the two steps done by a person.
   */
  async subscribeConfirmed(actor: Actor, input: SignUpInput, ctx: { clientAddress: string }): Promise<LinkOutcome | null> {
    await this.signUp(actor, input, ctx);
    const checked = checkSignUp(input, this.deps.receiptPrefixes);
    if ('errors' in checked) return null;
    const sub = await store.findByKey(this.deps.db, { subject_kind: 'case', subject: checked.receiptNumber, channel: checked.channel, address: checked.address });
    return sub ? this.confirm(actor, this.#token(sub.id)) : null;
  }

  /** GET or POST /alerts/unsubscribe: one click, any state → unsubscribed. Null for a link that is not one of ours. */
  async unsubscribe(actor: Actor, token: unknown, traceId?: string): Promise<LinkOutcome | null> {
    if (typeof token !== 'string' || !TOKEN.test(token)) return null;
    return this.deps.db.transaction().execute(async (trx) => {
      const sub = await store.findByTokenHash(trx, sha256(token));
      if (!sub) return null;
      const changed = await store.unsubscribe(trx, sub.id, this.#clock().toISOString());
      if (changed) {
        await this.deps.audit.record(trx, {
          actor: actorLabel(actor), action: 'alert-unsubscribe', subject: `case:${sub.subject}`, outcome: 'allowed', traceId: traceId ?? null, purpose: `alert:${sub.id}`,
          detail: { channel: sub.channel, was: sub.status },
        });
      }
      return { state: 'unsubscribed', changed, receiptNumber: sub.subject, language: sub.language, unsubscribeUrl: this.#link('unsubscribe', sub.id, sub.language) };
    });
  }

  /**
   * Called inside the transaction that changed these cases (the feed's batch, a duplicate notice): one message per
   * confirmed subscriber whose case now shows another public status than the one they last knew. Returns how many.
   */
  async notifyCases(trx: Transaction<Database>, receipts: readonly string[], actor: Actor, traceId?: string): Promise<number> {
    if (receipts.length === 0) return 0;
    const subs = await store.confirmedOf(trx, 'case', [...new Set(receipts)]);
    if (subs.length === 0) return 0;
    const rows = new Map((await store.caseStatusRows(trx, [...new Set(subs.map((s) => s.subject))])).map((r) => [r.receipt_number, r]));
    let sent = 0;
    const cases = new Set<string>();
    for (const sub of subs) {
      const row = rows.get(sub.subject);
      const now = row ? publicStatusOf(row) : null;
      if (!now || now.key === sub.last_sent_status) continue;
      if (!(await store.markSent(trx, sub.id, sub.last_sent_status, now.key))) continue;
      const lang = sub.language;
      const t = translator(lang);
      const unsubscribe = this.#link('unsubscribe', sub.id, lang);
      const vars = {
        receipt: sub.subject, status: this.deps.vocabulary.statuses.get(now.status)?.title[lang] ?? now.status, agency: this.deps.agencyName, unsubscribe,
        page: `${this.deps.publicUrl}/case-status${lang === 'es' ? '?lang=es' : ''}`,
      };
      await this.deps.outbox.enqueue(trx, {
        channel: sub.channel, to: sub.address, lang, template: TEMPLATE_CHANGED, subjectRef: sub.subject,
        subject: t('alerts.message.changed.subject', vars),
        bodyText: t(sub.channel === 'email' ? 'alerts.message.changed.body' : 'alerts.message.changed.sms', vars),
        ...(sub.channel === 'email' ? { headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
      });
      sent++;
      cases.add(sub.subject);
    }
    if (sent > 0) {
      await this.deps.audit.record(trx, {
        actor: actorLabel(actor), action: 'alerts-status-changed', outcome: 'allowed', traceId: traceId ?? null, detail: { messages: sent, cases: cases.size },
      });
    }
    return sent;
  }

  /** For the contact center report: sign-ups, confirmations, unsubscriptions and messages over [from, to). */
  async summary(from: string, to: string) {
    const s = await store.summary(this.deps.db, from, to);
    const count = (rows: Array<{ n: number | string | bigint }>) => rows.reduce((a, r) => a + Number(r.n), 0);
    return {
      signups: count(s.signups),
      signupsBySms: count(s.signups.filter((r) => r.channel === 'sms')),
      confirmed: s.confirmed,
      unsubscribed: s.unsubscribed,
      confirmationMessages: count(s.messages.filter((r) => r.template === TEMPLATE_CONFIRM)),
      alertMessages: count(s.messages.filter((r) => r.template === TEMPLATE_CHANGED)),
      textMessages: count(s.messages.filter((r) => r.channel === 'sms')),
    };
  }
}
