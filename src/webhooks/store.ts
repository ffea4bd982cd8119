/** All SQL of webhooks: the endpoints, and their deliveries (outbox rows with channel 'webhook', to_address = endpoint id). */
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxTable, WebhookEndpointTable } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type EndpointRow = WebhookEndpointTable;

export async function insertEndpoint(db: Executor, row: EndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

/** Endpoints not removed, oldest first. */
export async function activeEndpoints(db: Executor): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('removed_at', 'is', null).orderBy('created_at').orderBy('id').execute();
}

export async function countActive(db: Executor): Promise<number> {
  const r = await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).where('removed_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One endpoint, removed or not. */
export async function findEndpoint(db: Executor, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks an endpoint removed; false when it was not there or already removed. */
export async function removeEndpoint(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('webhook_endpoints').set({ removed_at: at }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deliveries of a removed endpoint that were still waiting: failed now, so the worker never posts them. */
export async function failWaitingDeliveries(db: Executor, endpointId: string): Promise<number> {
  const r = await db.updateTable('outbox').set({ state: 'failed', last_error: 'endpoint-removed' })
    .where('channel', '=', 'webhook').where('to_address', '=', endpointId).where('state', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export type DeliveryRow = Pick<OutboxTable, 'id' | 'template' | 'subject_ref' | 'state' | 'attempts' | 'next_attempt_at' | 'last_error' | 'created_at' | 'sent_at'> & { response_code: number | null };

/** One page of an endpoint's deliveries, newest first, and the total. */
export async function deliveriesOf(db: Executor, endpointId: string, page: number, pageSize: number): Promise<{ rows: DeliveryRow[]; total: number }> {
  const q = db.selectFrom('outbox').where('channel', '=', 'webhook').where('to_address', '=', endpointId);
  const [rows, count] = await Promise.all([
    q.select(['id', 'template', 'subject_ref', 'state', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'sent_at', 'response_code'])
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, attempts: Number(r.attempts), response_code: r.response_code == null ? null : Number(r.response_code) })), total: Number(count.n) };
}
