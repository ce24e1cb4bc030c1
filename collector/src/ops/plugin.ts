/** Operations endpoints, registered by one line in app.ts: /metrics, the run-time log level, the agent download. */
import type { FastifyInstance } from 'fastify';
import { metricsRoutes } from '../http/routes/metrics.ts';
import { logLevelRoutes } from './log-level.ts';
import { downloadRoutes } from './downloads.ts';

export async function operationsPlugin(app: FastifyInstance): Promise<void> {
  await metricsRoutes(app);
  await logLevelRoutes(app);
  await downloadRoutes()(app);
}
