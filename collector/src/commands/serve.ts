import { parseArgs } from 'node:util';
import { startServer } from '../server.ts';
import { startAlertingFromConfig } from '../alerting/start.ts';
import { startReportsFromConfig } from '../reports/start.ts';
import { makeLogger, settingsFrom, settingsOptions, SETTINGS_HELP } from './common.ts';

export const serveHelp = `nines-collector serve [settings]
  Runs the collector: agent WebSocket at /ws/agent, API at /api/v1, dashboard at /.
${SETTINGS_HELP}`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: settingsOptions });
  const settings = settingsFrom(values);
  const log = makeLogger(settings.logLevel);
  const server = await startServer(settings, log);
  try {
    startAlertingFromConfig(server.app, settings, (values.config as string | undefined) ?? process.env.NINES_CONFIG);
    startReportsFromConfig(server.app, (values.config as string | undefined) ?? process.env.NINES_CONFIG);
  } catch (error) {
    // A bad recipient or report logo in the file: stop serving rather than run without what it asks for.
    await server.close();
    throw error;
  }
  if (server.initialAdminPassword) {
    process.stdout.write(`admin account created: user "admin", password ${server.initialAdminPassword} (also in ${settings.dataDir}/initial-admin-password)\n`);
  }
  log.info({ url: server.url, dataDir: settings.dataDir }, 'collector listening');
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
