/** Status-change alerts, the JSON API (CONTRACT.md section 6a): a short pipeline over AlertService. */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import type { AlertService } from './service.ts';
import { AlertSignUpAccepted, AlertSignUpBody } from './schema.ts';

export function alertRoutes(app: App, deps: { alerts: AlertService }): void {
  app.post('/api/v1/public/alerts', {
    config: { rateLimit: 'public' },
    schema: {
      tags: ['Alerts'], operationId: 'signUpForAlerts', security: [], summary: 'Be told by e-mail or text when a case\'s public status changes (public)',
      description: 'One of `email` or `phone`. `202` for any well-formed request, whether or not the case exists. For a case that exists, a '
        + 'confirmation link goes to the address (GET under PUBLIC_URL); after that each change of the public status sends one message '
        + 'naming the receipt number and the new status title, with a one-click unsubscribe link. Limited per client address, per case '
        + 'and per recipient (a few confirmations a day). A bad field is 400 naming it.',
      body: AlertSignUpBody, response: { 202: AlertSignUpAccepted, ...problems(400, 413, 415, 429) },
    },
  }, async (request, reply) => {
    const answer = await deps.alerts.signUp(await request.actor(), request.body, { clientAddress: request.ip, traceId: request.id });
    return reply.code(202).send(answer);
  });
}
