/** GET /api/v1/audit: the audit trail for administrators, newest first. The read itself is audited. */
import { Type } from '@fastify/type-provider-typebox';
import type { App } from '../platform/http/types.ts';
import { ListOf, PageQuery, problems } from '../platform/http/types.ts';
import { requireStaff } from '../platform/http/auth.ts';
import { actorLabel } from '../platform/actor.ts';
import { dateOrInstantToInstant } from '../domain/calendar.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import type { AuditService } from './service.ts';

const AuditEntry = Type.Object({
  id: Type.Integer(), at: Type.String({ format: 'date-time' }), actor: Type.String(), action: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]), outcome: Type.Union([Type.Literal('allowed'), Type.Literal('denied')]),
  purpose: Type.Union([Type.String(), Type.Null()]), traceId: Type.Union([Type.String(), Type.Null()]),
});

const DateOrInstant = Type.String({ description: 'YYYY-MM-DD (a day in the agency time zone) or an ISO 8601 instant' });

export function auditRoutes(app: App, deps: { audit: AuditService; timeZone: string }): void {
  app.get('/api/v1/audit', {
    schema: {
      tags: ['Audit'], summary: 'List audit entries, newest first (admin)', operationId: 'listAuditEntries', security: [{ bearer: [] }],
      querystring: Type.Object({
        actor: Type.Optional(Type.String()), subject: Type.Optional(Type.String()),
        outcome: Type.Optional(Type.Union([Type.Literal('allowed'), Type.Literal('denied')])),
        from: Type.Optional(DateOrInstant), to: Type.Optional(DateOrInstant), ...PageQuery,
      }),
      response: { 200: ListOf(AuditEntry, 'One page of audit entries, newest first'), ...problems(400, 401, 403) },
    },
  }, async (request) => {
    const actor = await requireStaff(request, ['admin']);
    const q = request.query;
    const from = q.from ? dateOrInstantToInstant(q.from, deps.timeZone, 'start') : undefined;
    const to = q.to ? dateOrInstantToInstant(q.to, deps.timeZone, 'end') : undefined;
    if (from === null || to === null) throw new AppError('invalid-request', 'from and to must be dates (YYYY-MM-DD) or ISO 8601 instants.', { extensions: { errors: [{ field: from === null ? 'from' : 'to', code: 'format', detail: 'Use YYYY-MM-DD or an ISO 8601 instant.' }] } });
    const result = await deps.audit.list({ actor: q.actor, subject: q.subject, outcome: q.outcome, from, to }, q.page ?? 1, q.pageSize ?? 50);
    await deps.audit.recordNow({ actor: actorLabel(actor), action: 'audit-read', outcome: 'allowed', traceId: request.id });
    return result;
  });
}
