/** All SQL of API clients and their access tokens. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export const insertClient = (db: Executor, row: Database['api_clients']) => db.insertInto('api_clients').values(row).execute();

export const findClient = (db: Executor, id: string) =>
  db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();

export const insertToken = (db: Executor, row: Database['access_tokens']) => db.insertInto('access_tokens').values(row).execute();

/** A live token and its client, if the client is still enabled. */
export const findLiveToken = (db: Executor, id: string, now: string) =>
  db.selectFrom('access_tokens').innerJoin('api_clients', 'api_clients.id', 'access_tokens.client_id')
    .select(['access_tokens.id', 'access_tokens.client_id', 'access_tokens.scopes', 'access_tokens.expires_at', 'api_clients.name', 'api_clients.disabled', 'api_clients.per_second', 'api_clients.per_day'])
    .where('access_tokens.id', '=', id).where('access_tokens.expires_at', '>', now)
    .executeTakeFirst();

export const pruneTokens = (db: Executor, before: string) => db.deleteFrom('access_tokens').where('expires_at', '<=', before).execute();

/** One page of clients, newest first (the secret's hash left out), and how many there are. */
export async function listClients(db: Executor, offset: number, limit: number) {
  const rows = await db.selectFrom('api_clients').select(['id', 'name', 'scopes', 'per_second', 'per_day', 'disabled', 'created_at'])
    .orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  const total = Number((await db.selectFrom('api_clients').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { rows, total };
}

/** Marks a client disabled; returns whether it was enabled until now. */
export const disableClient = async (db: Executor, id: string) =>
  Number((await db.updateTable('api_clients').set({ disabled: 1 }).where('id', '=', id).where('disabled', '=', 0).executeTakeFirst()).numUpdatedRows) > 0;

/** Deletes every access token of a client; returns how many. */
export const deleteTokensOf = async (db: Executor, clientId: string) =>
  Number((await db.deleteFrom('access_tokens').where('client_id', '=', clientId).executeTakeFirst()).numDeletedRows);
