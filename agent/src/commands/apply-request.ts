/**
 * `nines-agent upgrade --apply-request`: the privileged upgrader's entry (apply.ts says what it trusts). Run by
 * root's nines-agent-upgrade.service when the request directory is not empty, by a SYSTEM scheduled task on
 * Windows, by a launchd daemon on macOS; never by the agent's own service account.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { arch, platform } from 'node:os';
import { parseDuration } from '@nines/shared';
import { IDENTITY_FILE, type AgentIdentity } from '../identity.ts';
import { readPlainFile } from '../upgrade/request.ts';
import { execProgram } from '../exec.ts';
import { serviceManagerFor } from '../service/index.ts';
import { AGENT_VERSION } from '../version.ts';
import { downloadRelease } from '../upgrade/download.ts';
import { nodeSwapContext } from '../upgrade/context.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../upgrade/swap.ts';
import { reportSwap } from '../upgrade/swap-report.ts';
import { applyRequest } from '../upgrade/apply.ts';
import { probeVersionWith } from '../upgrade/probe-version.ts';
import { ownAgentFile } from '../upgrade/own-file.ts';
import { stateDirFrom, UsageError } from './common.ts';

export const applyRequestHelp = `nines-agent upgrade --apply-request [--state-dir DIR] [--request-dir DIR] [--key-file PEM]
                    [--agent-file FILE] [--connect-timeout DURATION] [--restart-command PROGRAM]
  The privileged upgrader (root / SYSTEM; \`install\` sets it up): takes the request the unprivileged
  agent wrote into the request directory (a version, nothing else), removes it, and installs that
  version only if the build for this machine is signed by the key in PEM (root-owned; the agent's
  identity is not trusted for it) and reports exactly that version, newer than the installed one.
  Then swaps, restarts and rolls back like \`upgrade\`. Exit code 0 when upgraded or nothing was
  requested, 1 when refused or rolled back (the refusal is logged; the request is removed either way).
  --request-dir      default: the install layout's (Linux /var/lib/nines-agent-upgrade/requests)
  --key-file         default: the install layout's (Linux /etc/nines-agent/upgrade-key.pem)
  --restart-command  run PROGRAM (no arguments, no shell) instead of restarting the service`;

export async function applyRequestCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'apply-request': { type: 'boolean' }, 'state-dir': { type: 'string' }, 'request-dir': { type: 'string' }, 'key-file': { type: 'string' },
      'agent-file': { type: 'string' }, 'connect-timeout': { type: 'string' }, 'restart-command': { type: 'string' },
    },
  });
  const manager = serviceManagerFor(platform());
  const layout = manager.defaultLayout();
  const stateDir = stateDirFrom(values['state-dir']);
  let connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  if (values['connect-timeout'] !== undefined) {
    try {
      connectTimeoutMs = parseDuration(values['connect-timeout']);
    } catch (error) {
      throw new UsageError(`--connect-timeout: ${(error as Error).message}`);
    }
  }
  const agentFile = values['agent-file'] ?? ownAgentFile();
  if (!agentFile) throw new UsageError('running from the sources: pass --agent-file with the installed agent to replace');
  const target = resolve(agentFile);
  const say = (line: string) => process.stdout.write(line + '\n');
  const restartCommand = values['restart-command'];
  const restart = restartCommand
    ? () => new Promise<void>((ok, fail) => execFile(restartCommand, [], { timeout: 60_000 }, (error) => (error ? fail(error) : ok())))
    : () => manager.restart({ root: '/', exec: execProgram, platform: platform(), say }, layout);
  const result = await applyRequest({
    requestDir: resolve(values['request-dir'] ?? layout.upgradeRequestDir), keyFile: resolve(values['key-file'] ?? layout.upgradeKeyFile),
    readKey: (path) => readFileSync(path, 'utf8'), loadIdentity: () => identityFromUntrustedDir(stateDir), installedVersion: AGENT_VERSION, platform: platform(), arch: arch(), target,
    checkOwners: platform() !== 'win32', connectTimeoutMs, download: downloadRelease, probeVersion: probeVersionWith(target, stateDir),
    swap: nodeSwapContext(stateDir, restart, say), say,
  });
  switch (result.outcome) {
    case 'none':
      say('no upgrade requested');
      return 0;
    default:
      return reportSwap(result, say);
  }
}

/**
 * The identity as root reads it from the state dir, which the agent user owns: not through a symlink, not a FIFO,
 * not huge, and never quoted in an error (a JSON.parse message would show the start of whatever was linked in).
 */
function identityFromUntrustedDir(stateDir: string): AgentIdentity {
  const path = join(stateDir, IDENTITY_FILE);
  const bytes = readPlainFile(path, 256 * 1024, path);
  if (bytes instanceof Error) throw bytes;
  let value: Partial<AgentIdentity>;
  try {
    value = JSON.parse(bytes.toString('utf8')) as Partial<AgentIdentity>;
  } catch {
    throw new UsageError(`${path} is not JSON: refusing to use it`);
  }
  if (typeof value?.collectorUrl !== 'string') throw new UsageError(`${path} names no collector URL: refusing to use it`);
  // A CA file named there is read as root: only one that root alone may change (install's copy is).
  const caFile = value.tls?.caFile;
  if (caFile && process.platform !== 'win32') {
    const stat = statSync(caFile, { throwIfNoEntry: false });
    if (!stat || stat.uid !== 0 || (stat.mode & 0o022) !== 0) throw new UsageError(`the CA file ${caFile} in ${path} is missing or not root's alone: refusing to read it as root`);
  }
  return value as AgentIdentity;
}
