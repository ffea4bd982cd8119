/** The visa bulletin (publish, read) and the public priority date check: short pipelines over the service. */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import { requireScopeOrRole } from '../platform/http/auth.ts';
import { ROLES } from '../domain/roles.ts';
import { can } from '../domain/capabilities.ts';
import type { VisaBulletinService } from './service.ts';
import { BulletinBody, BulletinResponse, CheckQuery, CheckResponse, MonthParams } from './schema.ts';

/** Staff roles that may publish reference data (the capability matrix decides; today: admin). */
const PUBLISHER_ROLES = ROLES.filter((r) => can(r, 'publish-reference-data'));

export function visaBulletinRoutes(app: App, deps: { visaBulletins: VisaBulletinService }): void {
  app.put('/api/v1/visa-bulletins/:month', {
    schema: {
      tags: ['Visa bulletin'], summary: 'Publish (or replace) the visa bulletin of a month', operationId: 'publishVisaBulletin', security: [{ bearer: [] }],
      params: MonthParams, body: BulletinBody, response: { 200: BulletinResponse, ...problems(400, 401, 403, 413, 415) },
    },
  }, async (request) => {
    const actor = await requireScopeOrRole(request, 'reference-data', PUBLISHER_ROLES);
    return deps.visaBulletins.publish(request.params.month, request.body, actor, request.id);
  });

  app.get('/api/v1/visa-bulletins/:month', {
    config: { rateLimit: 'public' },
    schema: { tags: ['Visa bulletin'], summary: 'The visa bulletin of a month', operationId: 'getVisaBulletin', params: MonthParams, response: { 200: BulletinResponse, ...problems(400, 404, 429) } },
  }, async (request) => deps.visaBulletins.get(request.params.month));

  app.get('/api/v1/priority-date-check', {
    config: { rateLimit: 'public' },
    schema: {
      tags: ['Visa bulletin'], summary: 'Whether a priority date is current in this month\'s bulletin (else the latest published)', operationId: 'checkPriorityDate',
      querystring: CheckQuery, response: { 200: CheckResponse, ...problems(400, 404, 429) },
    },
  }, async (request) => deps.visaBulletins.check(request.query));
}
