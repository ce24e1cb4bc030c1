import { parseArgs } from 'node:util';
import { parseDuration, systemClock, type AgentConfig } from '@nines/shared';
import { Agent } from '../agent.ts';
import { readIdentity } from '../identity.ts';
import { loadAgentConfig } from '../config-file.ts';
import { execProgram } from '../exec.ts';
import { makeLogger, stateDirFrom, UsageError } from './common.ts';
import { DEFAULT_SPOOL_MAX_BYTES, DEFAULT_SPOOL_MAX_AGE_MS } from '../spool.ts';
import { AutoUpgrader } from '../upgrade/automatic.ts';
import { startDetachedUpgrade } from '../upgrade/spawn.ts';
import { writeRequest } from '../upgrade/request.ts';
import { AGENT_VERSION } from '../version.ts';

export const runHelp = `nines-agent run [--state-dir DIR] [--config FILE] [--ca-file PEM] [--pin-sha256 FP] [--allow-insecure] [--heartbeat-port N]
                [--spool-max-mb N] [--spool-max-age DURATION] [--upgrade-request-dir DIR]
  Runs the agent in the foreground: the collector's assigned checks, the local checks of FILE
  (YAML, see docs/configuration.md) and auto-detected ones (patch status, and the security kinds
  that apply to the machine, see docs/checks.md), results spooled to
  DIR/spool and streamed to the collector. SIGINT/SIGTERM stop it cleanly. When the collector
  announces a newer build and the consultant turned automatic upgrades on, it writes the version
  into the --upgrade-request-dir for the privileged upgrader that \`install\` sets up (as a service
  it cannot replace its own program), or without that flag starts \`nines-agent upgrade\` by itself
  (output in DIR/upgrade.log; see docs/install.md#automatic-upgrades).
  --ca-file        trust this CA bundle for https:// collectors
  --pin-sha256     trust exactly the collector certificate with this SHA-256 fingerprint
  --allow-insecure allow plain http:// to a collector that is not on loopback
  --heartbeat-port port on 127.0.0.1 for backup scripts' heartbeats (default 8787; opened only
                   when a backup check with tool heartbeat is configured, see docs/backups.md)
  --spool-max-mb   results kept while the collector is unreachable, in MB (default ${DEFAULT_SPOOL_MAX_BYTES / 1024 / 1024}; may be
                   fractional); beyond it the oldest are dropped and reported as a gap (UNKNOWN)
  --spool-max-age  drop spooled results older than this, e.g. 7d, 36h (default ${DEFAULT_SPOOL_MAX_AGE_MS / 86_400_000}d); see docs/delivery.md
  --upgrade-request-dir  where to ask the privileged upgrader for a newer build (set by \`install\`)`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'state-dir': { type: 'string' }, config: { type: 'string' }, 'ca-file': { type: 'string' },
      'pin-sha256': { type: 'string' }, 'allow-insecure': { type: 'boolean' }, 'heartbeat-port': { type: 'string' },
      'spool-max-mb': { type: 'string' }, 'spool-max-age': { type: 'string' }, 'upgrade-request-dir': { type: 'string' },
    },
  });
  const stateDir = stateDirFrom(values['state-dir']);
  const identity = readIdentity(stateDir);
  if (!identity) throw new UsageError(`not enrolled: no identity in ${stateDir} (run \`nines-agent enroll\` first)`);
  const localConfig: AgentConfig = values.config ? loadAgentConfig(values.config) : {};
  const spool = spoolLimits(values['spool-max-mb'], values['spool-max-age']);
  const log = makeLogger();
  const requestDir = values['upgrade-request-dir'];
  const auto = new AutoUpgrader({ stateDir, currentVersion: AGENT_VERSION, log, clock: systemClock, startUpgrade: (args, version) => {
    if (requestDir) {
      // As a service the agent cannot replace its program (and must not be able to): it asks root's upgrader.
      writeRequest(requestDir, version);
      log.info({ version, requestDir }, 'asked the privileged upgrader for the new build');
      return;
    }
    return startDetachedUpgrade(stateDir, args).then(
      (pid) => log.info({ pid }, 'automatic upgrade started (output in upgrade.log in the state dir)'),
      (error: unknown) => log.error({ err: error }, 'cannot start the automatic upgrade'),
    );
  } });
  const agent = new Agent({
    onUpdate: (update) => auto.onUpdate(update),
    spool,
    stateDir, identity, localConfig, clock: systemClock, exec: execProgram, log,
    heartbeatPort: values['heartbeat-port'] === undefined ? undefined : Number(values['heartbeat-port']),
    tls: values['ca-file'] || values['pin-sha256'] || values['allow-insecure']
      ? { caFile: values['ca-file'], pinnedFingerprint: values['pin-sha256'], allowInsecure: values['allow-insecure'] }
      : identity.tls,
  });
  await agent.start();
  log.info({ agentId: identity.agentId, collector: identity.collectorUrl, stateDir, checks: agent.checks().length }, 'agent running');
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'stopping');
      agent.stop().then(resolve, resolve);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  return 0;
}

function spoolLimits(maxMb: string | undefined, maxAge: string | undefined): { maxBytes?: number; maxAgeMs?: number } {
  const limits: { maxBytes?: number; maxAgeMs?: number } = {};
  if (maxMb !== undefined) {
    const mb = Number(maxMb);
    if (!Number.isFinite(mb) || mb <= 0) throw new UsageError(`--spool-max-mb wants a positive number of MB, not "${maxMb}"`);
    limits.maxBytes = Math.round(mb * 1024 * 1024);
  }
  if (maxAge !== undefined) {
    try {
      limits.maxAgeMs = parseDuration(maxAge);
    } catch (error) {
      throw new UsageError(`--spool-max-age: ${(error as Error).message}`);
    }
    if (limits.maxAgeMs <= 0) throw new UsageError('--spool-max-age must be more than 0');
  }
  return limits;
}
