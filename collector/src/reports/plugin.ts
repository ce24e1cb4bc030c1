import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ReportService } from './service.ts';
import { reportRoutes } from '../http/routes/reports.ts';
import { reportSettingsRoutes } from '../http/routes/report-settings.ts';

/** Reports in the collector: the HTML/PDF routes, previews and sends; mailing starts with `app.reports.start()` (serve does it). */
async function reports(app: FastifyInstance): Promise<void> {
  const service = new ReportService(app.nines.store, app.nines.clock, app.log);
  await service.reload(); // the settings saved through the API apply to previews before serve starts the mailing
  app.decorate('reports', service);
  app.addHook('onClose', async () => service.stop());
  await app.register(reportRoutes);
  await app.register(reportSettingsRoutes);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Report mailing (reports/service.ts); the scheduler calls `await app.reports.delivery.runMonthlyReports(slot)`. */
    reports: ReportService;
  }
}

export const reportsPlugin = fp(reports, { name: 'nines-reports' });
