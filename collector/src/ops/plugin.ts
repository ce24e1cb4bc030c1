/** Operations endpoints, registered by one line in app.ts: /metrics and the run-time log level (downloads: http/routes/downloads.ts). */
import type { FastifyInstance } from 'fastify';
import { metricsRoutes } from '../http/routes/metrics.ts';
import { logLevelRoutes } from './log-level.ts';

export async function operationsPlugin(app: FastifyInstance): Promise<void> {
  await metricsRoutes(app);
  await logLevelRoutes(app);
}
