/** Processing times (publish and read) and inquiry eligibility by receipt number: short pipelines over the service. */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import { requireScopeOrRole } from '../platform/http/auth.ts';
import { ROLES } from '../domain/roles.ts';
import { can } from '../domain/capabilities.ts';
import type { ProcessingTimeService } from './service.ts';
import { FigureQuery, FigureResponse, InquiryResponse, PublishBody, PublishResponse, ReceiptParams } from './schema.ts';

/** Staff roles that may publish reference data (the capability matrix decides; today: admin). */
const PUBLISHER_ROLES = ROLES.filter((r) => can(r, 'publish-reference-data'));

export function processingTimeRoutes(app: App, deps: { processingTimes: ProcessingTimeService }): void {
  app.put('/api/v1/processing-times', {
    schema: {
      tags: ['Processing times'], summary: 'Publish processing times; each row replaces the row of its form, category and office', operationId: 'publishProcessingTimes', security: [{ bearer: [] }],
      body: PublishBody, response: { 200: PublishResponse, ...problems(400, 401, 403, 413, 415) },
    },
  }, async (request) => {
    const actor = await requireScopeOrRole(request, 'reference-data', PUBLISHER_ROLES);
    return deps.processingTimes.publish(request.body, actor, request.id);
  });

  app.get('/api/v1/processing-times', {
    config: { rateLimit: 'public' },
    schema: {
      tags: ['Processing times'], summary: 'The processing time of a form, category and office: published, else computed from recent decisions, else 6 months', operationId: 'getProcessingTime',
      querystring: FigureQuery, response: { 200: FigureResponse, ...problems(400, 429) },
    },
  }, async (request) => deps.processingTimes.figure(request.query));

  app.get('/api/v1/case-status/:receiptNumber/inquiry', {
    config: { rateLimit: 'public' },
    schema: {
      tags: ['Processing times'], summary: 'Whether a case is outside normal processing time, and from when it will be', operationId: 'getInquiryEligibility',
      params: ReceiptParams, response: { 200: InquiryResponse, ...problems(400, 404, 429) },
    },
  }, async (request) => deps.processingTimes.inquiryByReceipt(request.params.receiptNumber));
}
