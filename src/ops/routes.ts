/** Operations: liveness, readiness, Prometheus metrics, the OpenAPI document and its readable reference page. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Metrics } from '../platform/http/metrics.ts';
import { Type } from '@fastify/type-provider-typebox';
import { AppError } from '../platform/errors/catalogue.ts';
import { mediaResponse, problemResponse } from '../platform/http/types.ts';
import { referenceModel } from './reference-page.ts';

export function opsRoutes(app: FastifyInstance, deps: { db: Db; metrics: Metrics }): void {
  app.get('/healthz', {
    schema: { tags: ['Operations'], summary: 'The process is up', operationId: 'getHealth', response: { 200: Type.Object({ status: Type.Literal('ok') }, { description: 'The process is up' }) } },
  }, async () => ({ status: 'ok' }));

  app.get('/readyz', {
    schema: {
      tags: ['Operations'], summary: 'The database answers', operationId: 'getReadiness',
      response: { 200: Type.Object({ status: Type.Literal('ready') }, { description: 'The database answers' }), 503: problemResponse(503, 'The database is not answering (see Retry-After)') },
    },
  }, async () => {
    try {
      await sql`select 1 as ok`.execute(deps.db);
    } catch {
      throw new AppError('unavailable', 'The database is not answering.', { headers: { 'retry-after': '5' } });
    }
    return { status: 'ready' };
  });

  app.get('/metrics', {
    schema: { tags: ['Operations'], summary: 'Prometheus metrics (text format)', operationId: 'getMetrics', response: { 200: mediaResponse('Prometheus text exposition format 0.0.4', 'text/plain') } },
  }, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });

  app.get('/api/v1/openapi.json', {
    schema: {
      tags: ['Operations'], summary: 'This API as OpenAPI 3.1', operationId: 'getOpenApiDocument',
      response: { 200: Type.Object({ openapi: Type.String() }, { additionalProperties: true, description: 'This document (OpenAPI 3.1)' }) },
    },
  }, async () => app.swagger());
}

/** The readable API reference, rendered on the server from the same OpenAPI document. */
export function opsPages(app: FastifyInstance, deps: { openapi: () => unknown }): void {
  app.get('/api/docs', async (_request, reply) => {
    return reply.page('ops/views/api-docs.njk', { titleKey: 'apiDocs.title', ...referenceModel(deps.openapi()) });
  });
}
