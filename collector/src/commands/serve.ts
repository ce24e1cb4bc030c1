import { parseArgs } from 'node:util';
import { startServer } from '../server.ts';
import { startAlertingFromConfig } from '../alerting/start.ts';
import { startSchedulesFromConfig } from '../schedule/start.ts';
import { startReportsFromConfig } from '../reports/start.ts';
import { databaseFile, readConfigFile, redactedUrl } from '../settings.ts';
import { loadBranding } from '../reports/pdf/branding.ts';
import { makeLogger, settingsFrom, settingsOptions, SETTINGS_HELP } from './common.ts';

export const serveHelp = `nines-collector serve [settings]
  Runs the collector: agent WebSocket at /ws/agent, API at /api/v1, dashboard at /.
  Sends the scheduled reports of the config file's reports: section (needs smtp:; docs/reports.md),
  catching up at start on one missed while it was down.
${SETTINGS_HELP}`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: settingsOptions });
  const settings = settingsFrom(values);
  const log = makeLogger(settings.logLevel);
  const configPath = (values.config as string | undefined) ?? process.env.NINES_CONFIG;
  // A report logo it cannot read is refused before any work (alerting's catch-up at start can take a while).
  if (configPath) loadBranding(readConfigFile(configPath).reports?.branding, '');
  const server = await startServer(settings, log);
  try {
    await startAlertingFromConfig(server.app, settings, configPath);
    await startReportsFromConfig(server.app, configPath);
    // After alerting and reports: the jobs send to their recipients and use their branding. Catches up on slots missed while down.
    await startSchedulesFromConfig(server.app, settings, configPath ? readConfigFile(configPath) : {});
  } catch (error) {
    // A bad recipient, schedule or report logo in the file: stop serving rather than run without what it asks for.
    await server.close();
    throw error;
  }
  if (server.initialAdminPassword) {
    process.stdout.write(`admin account created: user "admin", password ${server.initialAdminPassword} (also in ${settings.dataDir}/initial-admin-password)\n`);
  }
  // The store it runs on; a PostgreSQL URL without its password.
  const database = settings.databaseUrl === null ? databaseFile(settings) : redactedUrl(settings.databaseUrl);
  log.info({ url: server.url, dataDir: settings.dataDir, database }, 'collector listening');
  await waitForSignal(log);
  await server.close();
  return 0;
}

export function waitForSignal(log: { info: (o: object, m: string) => void }): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
