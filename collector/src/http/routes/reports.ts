import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireVisible } from '../../auth/guards.ts';
import { clientInfo } from '../../availability/index.ts';
import { NinesError } from '../../errors.ts';
import { monthlyReport, renderMonthlyReport, renderMonthlyPdf } from '../../reports/index.ts';
import { yearlyReport } from '../../reports/yearly.ts';
import { renderYearlyPdf } from '../../reports/pdf/yearly-pdf.ts';

const ReportQuery = Type.Object({
  client: Type.String({ minLength: 1, maxLength: 100, description: 'client id or name' }),
  month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }),
  lang: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
  format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('json'), Type.Literal('pdf')])),
});
const YearQuery = Type.Object({
  client: Type.String({ minLength: 1, maxLength: 100, description: 'client id or name' }),
  year: Type.String({ pattern: '^\\d{4}$' }),
  lang: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('pdf')])),
});
// Free text here so that a bad period gets the reason ("use YYYY-MM or YYYY"), not a bare schema error.
const PeriodParams = Type.Object({ client: Type.String({ minLength: 1, maxLength: 100 }), period: Type.String({ minLength: 1, maxLength: 20 }) });

function requireAdmin(request: FastifyRequest): void {
  if (request.identity?.clientIds !== null) throw new NinesError('FORBIDDEN', 'only the consultant (admin) sends reports');
}

/**
 * GET /api/v1/reports/monthly and /yearly: the reports as HTML, JSON or PDF (a client sees its own only).
 * GET /api/v1/reports/:client/:period/preview and POST …/send (admin): who gets the mail, and a resend on request.
 */
export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const src = app.nines.store;
  const visibleClient = async (request: FastifyRequest, idOrName: string) => {
    const c = await clientInfo(src, idOrName);
    return requireVisible(request, c && { ...c, clientId: c.id }, 'client');
  };
  const branding = () => app.reports.delivery.branding;

  app.get<{ Querystring: Static<typeof ReportQuery> }>('/api/v1/reports/monthly', { config: { access: 'client' }, schema: { querystring: ReportQuery } }, async (request, reply) => {
    const client = await visibleClient(request, request.query.client);
    const report = await monthlyReport(src, client.id, request.query.month, app.nines.clock());
    const lang = request.query.lang ?? report.client.language;
    if (request.query.format === 'json') return report;
    if (request.query.format === 'pdf') return reply.type('application/pdf').send((await renderMonthlyPdf(report, lang, branding())).pdf);
    return reply.type('text/html; charset=utf-8').send(renderMonthlyReport(report, lang));
  });

  app.get<{ Querystring: Static<typeof YearQuery> }>('/api/v1/reports/yearly', { config: { access: 'client' }, schema: { querystring: YearQuery } }, async (request, reply) => {
    const client = await visibleClient(request, request.query.client);
    const report = await yearlyReport(src, client.id, request.query.year, app.nines.clock());
    if (request.query.format === 'json') return report;
    return reply.type('application/pdf').send((await renderYearlyPdf(report, request.query.lang ?? report.client.language, branding())).pdf);
  });

  app.get<{ Params: Static<typeof PeriodParams> }>('/api/v1/reports/:client/:period/preview', { config: { access: 'admin' }, schema: { params: PeriodParams } }, async (request) => {
    requireAdmin(request);
    return await app.reports.delivery.preview(request.params.client, request.params.period);
  });

  app.post<{ Params: Static<typeof PeriodParams> }>('/api/v1/reports/:client/:period/send', { config: { access: 'admin' }, schema: { params: PeriodParams } }, async (request) => {
    requireAdmin(request);
    return { sends: await app.reports.delivery.resend(request.params.client, request.params.period) };
  });
}
