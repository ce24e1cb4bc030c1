import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireVisible } from '../../auth/guards.ts';
import { clientInfo } from '../../availability/index.ts';
import { monthlyReport, renderMonthlyReport } from '../../reports/index.ts';

const ReportQuery = Type.Object({
  client: Type.String({ minLength: 1, maxLength: 100, description: 'client id or name' }),
  month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }),
  lang: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
  format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('json')])),
});

/** GET /api/v1/reports/monthly: the same report as `nines-collector report`, as HTML (default) or its figures as JSON. */
export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const src = app.nines.store;
  app.get<{ Querystring: Static<typeof ReportQuery> }>('/api/v1/reports/monthly', { config: { access: 'client' }, schema: { querystring: ReportQuery } }, async (request, reply) => {
    const client = requireVisible(request, (() => { const c = clientInfo(src, request.query.client); return c && { ...c, clientId: c.id }; })(), 'client');
    const report = monthlyReport(src, client.id, request.query.month, app.nines.clock());
    if (request.query.format === 'json') return report;
    return reply.type('text/html; charset=utf-8').send(renderMonthlyReport(report, request.query.lang ?? report.client.language));
  });
}
