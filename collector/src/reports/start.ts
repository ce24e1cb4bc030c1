import type { FastifyInstance } from 'fastify';
import { readConfigFile } from '../settings.ts';

/** Starts report mailing from the YAML config (`smtp:`, `reports:`, `alerting.brand`); throws on a bad logo. */
export async function startReportsFromConfig(app: FastifyInstance, configPath: string | undefined): Promise<void> {
  const file = configPath ? readConfigFile(configPath) : {};
  await app.reports.start({ smtp: file.smtp, reports: file.reports, brand: file.alerting?.brand });
}
