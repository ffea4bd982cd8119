/** GET /api/v1/outbox: the outgoing mail for administrators, newest first (what was sent, what waits, what failed). */
import { Type } from '@fastify/type-provider-typebox';
import type { App } from '../platform/http/types.ts';
import { ListOf, PageQuery, problems } from '../platform/http/types.ts';
import { requireStaff } from '../platform/http/auth.ts';
import type { OutboxService } from './service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const OutboxStateSchema = Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed')]);

const OutboxMessage = Type.Object({
  id: Type.String(),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('webhook')]),
  to: Type.String({ description: 'The recipient (personal data: the read is audited); for a webhook delivery, the endpoint\'s id' }),
  subject: Type.String(),
  bodyText: Type.String(),
  lang: Type.String(),
  template: Type.String({ description: 'Which message this is, e.g. service-request-answered' }),
  subjectRef: Nullable(Type.String({ description: 'What it is about, by identifier (a referral number)' })),
  state: OutboxStateSchema,
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  lastError: Nullable(Type.String({ description: 'A short reason (an SMTP status code), never the server\'s text' })),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
  messageId: Nullable(Type.String()),
});

export function outboxRoutes(app: App, deps: { outbox: OutboxService }): void {
  app.get('/api/v1/outbox', {
    schema: {
      tags: ['Outbox'], summary: 'List outgoing messages, newest first (admin)', operationId: 'listOutboxMessages', security: [{ bearer: [] }],
      querystring: Type.Object({ state: Type.Optional(OutboxStateSchema), ...PageQuery }),
      response: { 200: ListOf(OutboxMessage, 'One page of outgoing messages, newest first'), ...problems(400, 401, 403) },
    },
  }, async (request) => {
    const actor = await requireStaff(request, ['admin']);
    const q = request.query;
    return deps.outbox.list(actor, { state: q.state }, q.page ?? 1, q.pageSize ?? 50, request.id);
  });
}
