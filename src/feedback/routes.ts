/** Feedback (CONTRACT.md section 11): short pipelines over FeedbackService. */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { FeedbackService } from './service.ts';
import { FeedbackBody, FeedbackCreated, FeedbackListAnswer, FeedbackListQuery } from './schema.ts';
import { LIST_PAGE_SIZE } from './policy.ts';

const TAG = 'Feedback';

export function feedbackRoutes(app: App, deps: { feedback: FeedbackService }): void {
  app.post('/api/v1/feedback', {
    config: { rateLimit: 'public', idempotent: true },
    schema: {
      tags: [TAG], operationId: 'sendFeedback', security: [], summary: '"Was this page helpful?", the reasons when it was not, or a comment (public)',
      description: 'At least one of `helpful`, `reasons` or `comment`. Reasons only when the page was not helpful. A bad field is 400 naming it.',
      body: FeedbackBody, response: { 201: FeedbackCreated, ...problems(400, 409, 422, 429) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await deps.feedback.submit(actor, request.body, idempotentRequest(request, actor), request.id));
  });

  app.get('/api/v1/feedback', {
    schema: {
      tags: [TAG], operationId: 'listFeedback', security: [{ bearer: [] }], summary: 'Feedback newest first, with counts by page (supervisor, Ombudsman, admin)',
      querystring: FeedbackListQuery, response: { 200: FeedbackListAnswer, ...problems(400, 401, 403) },
    },
  }, async (request) => deps.feedback.list(await request.actor(), request.query.page ?? 1, request.query.pageSize ?? LIST_PAGE_SIZE));
}
