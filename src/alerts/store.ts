/** All SQL of status-change alerts: subscriptions, the cases they watch, and the report's counts. */
import type { Kysely, Transaction } from 'kysely';
import type { AlertSubscriptionTable, Database } from '../platform/db/schema.ts';
import { ALERT_TEMPLATES } from './policy.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type SubscriptionRow = AlertSubscriptionTable;
export type SubscriptionKey = Pick<SubscriptionRow, 'subject_kind' | 'subject' | 'channel' | 'address'>;

/** Rows per `IN (…)` list: well under SQLite's parameter limit. */
const CHUNK = 500;

export async function findByKey(db: Executor, k: SubscriptionKey): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('alert_subscriptions').selectAll()
    .where('subject_kind', '=', k.subject_kind).where('subject', '=', k.subject).where('channel', '=', k.channel).where('address', '=', k.address)
    .executeTakeFirst();
}

/** Inserts a new pending subscription; false when the same key was inserted meanwhile (a racing sign-up). */
export async function insertSubscription(db: Executor, row: SubscriptionRow): Promise<boolean> {
  const r = await db.insertInto('alert_subscriptions').values(row)
    .onConflict((oc) => oc.columns(['subject_kind', 'subject', 'channel', 'address']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** A sign-up again after unsubscribing: pending once more, in the language now chosen, knowing the status now. */
export async function resubscribe(db: Executor, id: string, set: { language: SubscriptionRow['language']; lastStatus: string | null }): Promise<void> {
  await db.updateTable('alert_subscriptions')
    .set({ status: 'pending', language: set.language, last_sent_status: set.lastStatus, unsubscribed_at: null, confirmed_at: null })
    .where('id', '=', id).where('status', '=', 'unsubscribed').execute();
}

/** A pending sign-up repeated: its language follows the latest request. */
export async function setPendingLanguage(db: Executor, id: string, language: SubscriptionRow['language']): Promise<void> {
  await db.updateTable('alert_subscriptions').set({ language }).where('id', '=', id).where('status', '=', 'pending').execute();
}

export async function findByTokenHash(db: Executor, tokenHash: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('alert_subscriptions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Pending → confirmed, knowing the public status now (so nothing from before is sent). False when it was not pending. */
export async function confirm(db: Executor, id: string, at: string, lastStatus: string | null): Promise<boolean> {
  const r = await db.updateTable('alert_subscriptions').set({ status: 'confirmed', confirmed_at: at, last_sent_status: lastStatus })
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Any state → unsubscribed. False when it already was. */
export async function unsubscribe(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('alert_subscriptions').set({ status: 'unsubscribed', unsubscribed_at: at })
    .where('id', '=', id).where('status', '<>', 'unsubscribed').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The confirmed subscriptions of these subjects. */
export async function confirmedOf(db: Executor, kind: SubscriptionRow['subject_kind'], subjects: readonly string[]): Promise<SubscriptionRow[]> {
  const out: SubscriptionRow[] = [];
  for (let i = 0; i < subjects.length; i += CHUNK) {
    const part = subjects.slice(i, i + CHUNK);
    out.push(...await db.selectFrom('alert_subscriptions').selectAll()
      .where('subject_kind', '=', kind).where('subject', 'in', part).where('status', '=', 'confirmed')
      .orderBy('subject').orderBy('id').execute());
  }
  return out;
}

/**
 * Records that the subscriber now knows `to`, only if they still knew `from` and are still confirmed: of two
 * writers telling about one change, exactly one UPDATE matches, and only that one sends.
 */
export async function markSent(db: Executor, id: string, from: string | null, to: string): Promise<boolean> {
  let q = db.updateTable('alert_subscriptions').set({ last_sent_status: to }).where('id', '=', id).where('status', '=', 'confirmed');
  q = from === null ? q.where('last_sent_status', 'is', null) : q.where('last_sent_status', '=', from);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** What the public status of a case is made of (case-status/presenter.ts reads the same columns). */
export async function caseStatusRows(db: Executor, receipts: readonly string[]) {
  const out: Array<{ receipt_number: string; form_type: string; office: string; received_date: string; history: string; local_history: string }> = [];
  for (let i = 0; i < receipts.length; i += CHUNK) {
    out.push(...await db.selectFrom('cases').select(['receipt_number', 'form_type', 'office', 'received_date', 'history', 'local_history'])
      .where('receipt_number', 'in', receipts.slice(i, i + CHUNK)).execute());
  }
  return out;
}

/** Sign-ups (created in [from, to)), confirmations, unsubscriptions, and alert messages queued, by channel. */
export async function summary(db: Executor, from: string, to: string) {
  const [signups, confirmed, unsubscribed, messages] = await Promise.all([
    db.selectFrom('alert_subscriptions').select(['channel', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
      .where('created_at', '>=', from).where('created_at', '<', to).groupBy('channel').execute(),
    db.selectFrom('alert_subscriptions').select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('confirmed_at', '>=', from).where('confirmed_at', '<', to).executeTakeFirstOrThrow(),
    db.selectFrom('alert_subscriptions').select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('unsubscribed_at', '>=', from).where('unsubscribed_at', '<', to).executeTakeFirstOrThrow(),
    db.selectFrom('outbox').select(['template', 'channel', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
      .where('template', 'in', [...ALERT_TEMPLATES]).where('created_at', '>=', from).where('created_at', '<', to).groupBy(['template', 'channel']).execute(),
  ]);
  return { signups, confirmed: Number(confirmed.n), unsubscribed: Number(unsubscribed.n), messages };
}
