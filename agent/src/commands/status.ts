import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIdentity } from '../identity.ts';
import { execProgram } from '../exec.ts';
import { serviceManagers } from '../service/index.ts';
import type { ServiceContext } from '../service/spec.ts';
import type { CheckOutcome } from '../checks/check.ts';
import { AGENT_VERSION } from '../version.ts';
import { stateDirFrom } from './common.ts';
import { readAnnouncement } from '../upgrade/announcement.ts';
import { compareVersions } from '@nines/shared';

export const statusHelp = `nines-agent status [--state-dir DIR] [--json]
  Shows this agent's version, whether it is enrolled, its collector, connection state, last seq and
  spool backlog (as last written by the running agent, every 10 s), whether the system service
  runs (systemd, launchd or Windows service, as \`nines-agent install\` set it up), and whether the
  collector announced a newer build (install it with \`nines-agent upgrade\`).`;

export interface ServiceStatus {
  manager: string;
  /** OK when the service runs; CRIT when stopped or not installed; UNKNOWN when the manager could not be asked. */
  status: CheckOutcome['status'];
  message: string;
}

/** The installed service's state, asked the way the `service` check asks; null on platforms without one. */
export async function serviceStatus(ctx: Pick<ServiceContext, 'exec' | 'platform'>): Promise<ServiceStatus | null> {
  const manager = (serviceManagers as Partial<Record<NodeJS.Platform, (typeof serviceManagers)[keyof typeof serviceManagers]>>)[ctx.platform];
  if (!manager) return null;
  const outcome = await manager.state({ root: '/', exec: ctx.exec, platform: ctx.platform, say: () => {} });
  return { manager: manager.kind, status: outcome.status, message: outcome.message };
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'state-dir': { type: 'string' }, json: { type: 'boolean' } } });
  const stateDir = stateDirFrom(values['state-dir']);
  const identity = readIdentity(stateDir);
  let running: Record<string, unknown> | null = null;
  try {
    running = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    running = null;
  }
  const service = await serviceStatus({ exec: execProgram, platform: process.platform });
  const announced = readAnnouncement(stateDir);
  const status = {
    version: AGENT_VERSION, stateDir, enrolled: identity !== null, agentId: identity?.agentId ?? null, collectorUrl: identity?.collectorUrl ?? null,
    agent: running, service,
    upgrade: {
      available: announced && compareVersions(announced.version, AGENT_VERSION) === 1 ? announced.version : null,
      automatic: announced?.automatic ?? false, signingKeyPinned: Boolean(identity?.signingKey),
    },
  };
  if (values.json) process.stdout.write(JSON.stringify(status, null, 2) + '\n');
  else {
    process.stdout.write(`nines-agent ${AGENT_VERSION}\n`);
    process.stdout.write(identity ? `enrolled as ${identity.agentId} with ${identity.collectorUrl}\n` : `not enrolled (no identity in ${stateDir})\n`);
    if (service) process.stdout.write(`service (${service.manager}): ${service.status} ${service.message}\n`);
    if (status.upgrade.available) process.stdout.write(`update available: ${status.upgrade.available} (\`nines-agent upgrade\`${status.upgrade.automatic ? '; automatic upgrades are on' : ''})\n`);
    if (identity && !identity.signingKey) process.stdout.write('no collector signing key pinned: upgrades are refused until enrolled again (see `nines-agent upgrade --help`)\n');
    if (running) {
      process.stdout.write(
        `connection: ${running.connection}${running.lastError ? ` (last error: ${running.lastError})` : ''}\n` +
          `last seq ${running.lastSeq}, acknowledged up to ${running.ackedUpTo}, backlog ${running.backlog}\n` +
          `status written ${new Date(running.updatedAt as number).toISOString()} by pid ${running.pid}\n`,
      );
    }
  }
  return identity ? 0 : 1;
}
