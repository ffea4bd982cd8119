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
