/** Ombudsman call reviews (CONTRACT.md section 11): short pipelines over CallReviewService. */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import { idempotentRequest, sendIdempotentAnswer } from '../platform/idempotency/http.ts';
import type { CallReviewService } from './service.ts';
import { CloseBody, Requested, RequestBody, Review, ReviewParams } from './schema.ts';

const TAG = 'Ombudsman';
const staff = [{ bearer: [] }];

export function callReviewRoutes(app: App, deps: { callReviews: CallReviewService }): void {
  const reviews = deps.callReviews;

  app.post('/api/v1/ombudsman/call-reviews', {
    config: { idempotent: true },
    schema: {
      tags: [TAG], operationId: 'requestCallReview', security: staff, summary: 'Ask the agency to review a Contact Center call (Ombudsman)',
      description: 'Finds the call from that phone number starting within 2 hours of `callTime`, closest first (narrowed by `agentId` or `agentName`), '
        + 'or exactly by `reference`. None: 404. Started more than 90 days ago: `422 review-window-closed`. The call is held from retention until the review closes.',
      body: RequestBody, response: { 201: Requested, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = await request.actor();
    return sendIdempotentAnswer(reply, await reviews.request(actor, request.body, idempotentRequest(request, actor), request.id));
  });

  app.get('/api/v1/ombudsman/call-reviews/:reviewNumber', {
    schema: {
      tags: [TAG], operationId: 'getCallReview', security: staff, summary: 'One call review (Ombudsman, supervisors)',
      params: ReviewParams, response: { 200: Review, ...problems(401, 403, 404) },
    },
  }, async (request) => reviews.get(await request.actor(), request.params.reviewNumber, request.id));

  app.post('/api/v1/ombudsman/call-reviews/:reviewNumber/close', {
    schema: {
      tags: [TAG], operationId: 'closeCallReview', security: staff, summary: 'Close a call review with its outcome (Ombudsman); the hold on the call is lifted',
      params: ReviewParams, body: CloseBody, response: { 200: Review, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => reviews.close(await request.actor(), request.params.reviewNumber, request.body.outcome, request.id));
}
