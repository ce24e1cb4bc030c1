import { parseArgs } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckConfig } from '@nines/shared';
import type { Logger } from 'pino';
import { startServer, type RunningServer } from '../server.ts';
import { startAlertingFromConfig } from '../alerting/start.ts';
import { createEnrollToken } from './enroll-token.ts';
import { makeLogger, settingsFrom, settingsOptions, SETTINGS_HELP } from './common.ts';
import { waitForSignal } from './serve.ts';
import { DEMO_AGENT } from '../layout.ts';

export const demoHelp = `nines-collector demo [settings]
  What \`npm start\` runs: the collector, plus a local agent enrolled under the client "local"
  (through the same enrollment a real agent uses) that checks this machine. Agent state in
  <data-dir>/agent. Ctrl-C stops both.
${SETTINGS_HELP}`;

/**
 * What the local agent checks: the collector's own health, its port, and this machine's disk. Port and
 * disk have no name: the dashboard names them per language from kind and target ("Datenträger /").
 */
export function localChecks(url: string): CheckConfig[] {
  const { hostname, port } = new URL(url);
  return [
    { kind: 'http', id: 'collector-health', name: 'Collector /healthz', url: `${url}/healthz`, keyword: '"ok"', interval: '30s' },
    { kind: 'tcp', id: 'collector-port', host: hostname, port: Number(port), interval: '30s' },
    { kind: 'disk', id: 'disk-root', path: '/', interval: '60s' },
  ];
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: settingsOptions });
  const settings = settingsFrom({ ...values, 'log-level': values['log-level'] ?? process.env.NINES_LOG_LEVEL ?? 'warn' });
  const log = makeLogger(settings.logLevel);
  const server = await startServer(settings, log);
  await startAlertingFromConfig(server.app, settings, (values.config as string | undefined) ?? process.env.NINES_CONFIG);
  const stateDir = join(settings.dataDir, 'agent');
  let agent: ChildProcess | null = null;
  try {
    await enrollLocalAgent(server, stateDir, log);
    agent = spawnAgent(stateDir, settings.logLevel);
    printBanner(server, settings.dataDir, stateDir);
    await Promise.race([waitForSignal(log), exited(agent)]);
  } finally {
    if (agent) await stopChild(agent);
    await server.close();
    process.stdout.write('Nines stopped.\n');
  }
  return 0;
}

async function enrollLocalAgent(server: RunningServer, stateDir: string, log: Logger): Promise<void> {
  const identityFile = join(stateDir, 'identity.json');
  if (existsSync(identityFile)) {
    const { agentId } = JSON.parse(readFileSync(identityFile, 'utf8')) as { agentId: string };
    if (await server.store.getAgent(agentId)) return;
    log.warn({ agentId }, 'local agent identity unknown to this database; enrolling again');
  }
  const token = await createEnrollToken(server.store, 'local', Date.now(), 10 * 60_000);
  const code = await exited(spawnAgentCommand(['enroll', '--url', server.url, '--token', token, '--state-dir', stateDir, '--name', 'local', '--force'], 'warn'));
  if (code !== 0) throw new Error(`the local agent could not enroll (exit ${code})`);
  const { agentId } = JSON.parse(readFileSync(identityFile, 'utf8')) as { agentId: string };
  await server.store.assignChecks(agentId, localChecks(server.url));
}

function spawnAgent(stateDir: string, logLevel: string): ChildProcess {
  return spawnAgentCommand(['run', '--state-dir', stateDir], logLevel);
}

function spawnAgentCommand(args: string[], logLevel: string): ChildProcess {
  return spawn(process.execPath, [DEMO_AGENT, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NINES_LOG_LEVEL: logLevel },
  });
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited(child);
  clearTimeout(timer);
}

function printBanner(server: RunningServer, dataDir: string, stateDir: string): void {
  const lines = [
    '',
    `  Nines is running.`,
    `  Dashboard:  ${server.url}/`,
    server.initialAdminPassword
      ? `  Login:      admin / ${server.initialAdminPassword}   (shown once; also in ${dataDir}/initial-admin-password)`
      : `  Login:      admin (password in ${dataDir}/initial-admin-password from the first start)`,
    `  Collector:  data in ${dataDir}/nines.db; agents connect to ${server.url.replace('http', 'ws')}/ws/agent`,
    `  Local agent: client "local", state in ${stateDir}; first results within seconds`,
    `  Status:     npx nines-collector status`,
    `  Stop:       Ctrl-C`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
