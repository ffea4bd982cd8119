/** The contact center report (CONTRACT.md section 12): JSON, or CSV with ?format=csv. A thin pipeline over ReportService. */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import type { ReportService } from './service.ts';
import { Report, REPORT_DESCRIPTION, ReportQuery } from './schema.ts';
import { toCsv } from './csv.ts';
import { csvRows } from './views.ts';

const TAG = 'Reports';

export function reportRoutes(app: App, deps: { reports: ReportService }): void {
  app.get('/api/v1/reports/contact-center', {
    schema: {
      tags: [TAG], operationId: 'getContactCenterReport', security: [{ bearer: [] }], summary: 'The contact center report for a period (supervisor, Ombudsman, admin)',
      description: REPORT_DESCRIPTION, querystring: ReportQuery,
      response: {
        200: {
          description: 'The report',
          content: { 'application/json': { schema: Report }, 'text/csv': { schema: { type: 'string', description: '`metric,dimension,value` rows' } } },
        },
        ...problems(400, 401, 403),
      },
    },
  }, async (request, reply) => {
    const { report, period } = await deps.reports.contactCenter(await request.actor(), request.query);
    if (request.query.format === 'csv') {
      const name = `contact-center-${period.from}-to-${period.to}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`)
        .send(toCsv(['metric', 'dimension', 'value'], csvRows(report)));
    }
    return report;
  });
}
