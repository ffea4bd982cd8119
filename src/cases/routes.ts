/** POST /api/v1/case-feed: NDJSON or a JSON array of case records, streamed (up to 256 MiB), upserted by receipt number. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { requireScopeOrRole } from '../platform/http/auth.ts';
import { problems } from '../platform/http/types.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { byteLimit, jsonArrayRecords, ndjsonRecords } from './feed-stream.ts';
import type { CaseFeedService } from './service.ts';
import { CaseRecord, FeedBody, FeedResponse } from './schema.ts';

export const FEED_LIMIT_BYTES = 256 * 1024 * 1024;

export async function caseFeedRoutes(app: FastifyInstance, deps: { feed: CaseFeedService }): Promise<void> {
  app.addSchema(CaseRecord);
  await app.register(async (scope) => {
    // The body is handed to the handler unread, as a stream: nothing is buffered, and authorization comes first.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/x-ndjson', 'application/json'], (_req: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void) => done(null, payload));
    scope.post('/api/v1/case-feed', {
      config: { documentedBody: FeedBody },
      schema: {
        tags: ['Case feed'], summary: 'Load case records (NDJSON or a JSON array); upserts by receipt number', operationId: 'loadCaseFeed', security: [{ bearer: [] }],
        description: 'Scope case-feed, or an admin. Each record upserts one case by receipt number; a re-sent record changes nothing.',
        response: { 200: FeedResponse, ...problems(400, 401, 403, 413, 415) },
      },
    }, async (request) => {
      const actor = await requireScopeOrRole(request, 'case-feed', ['admin']);
      const body = (request.body as Readable).pipe(byteLimit(FEED_LIMIT_BYTES));
      (request.body as Readable).on('error', (e) => body.destroy(e));
      const ndjson = (request.headers['content-type'] ?? '').startsWith('application/x-ndjson');
      const records = ndjson ? ndjsonRecords(body) : jsonArrayRecords(body);
      try {
        const r = await deps.feed.import(records, actor, { traceId: request.id });
        return { accepted: r.accepted, rejected: r.rejected, ...(r.rejectedTotal > r.rejected.length ? { rejectedTotal: r.rejectedTotal } : {}) };
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError('invalid-request', 'The case feed could not be read to the end.');
      }
    });
  });
}
