import { parseArgs } from 'node:util';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execProgram } from '../exec.ts';
import { serviceManagerFor } from '../service/index.ts';
import { installService, printingExec } from '../service/installer.ts';
import type { ServiceContext } from '../service/spec.ts';
import { UsageError } from './common.ts';

/** Set by agent/build.mjs: true inside dist/nines-agent.mjs, whose own file is what gets installed. */
declare const __NINES_AGENT_BUNDLED__: boolean | undefined;
/** Set by agent/build.mjs --standalone. */
declare const __NINES_AGENT_STANDALONE__: boolean | undefined;

export const installHelp = `nines-agent install --url <collector URL> --token <token> [options]
  Enrolls this machine (unless it already is) and installs the agent as a system service that
  starts at boot and restarts on failure, running as an unprivileged account:
    Linux    systemd unit /etc/systemd/system/nines-agent.service, user nines-agent,
             agent in /opt/nines-agent, state in /var/lib/nines-agent, logs in the journal
    macOS    launchd daemon /Library/LaunchDaemons/org.nines.agent.plist, user _ninesagent,
             state in /Library/Application Support/Nines/agent, logs in /Library/Logs/Nines
    Windows  service "nines-agent" via WinSW (--winsw), account LocalService,
             agent in C:\\Program Files\\Nines Agent, state in C:\\ProgramData\\Nines\\agent
  Beside it, the privileged upgrader for automatic upgrades, with the collector's key pinned where the
  service account cannot write it: Linux nines-agent-upgrade.path/.service (root) and
  /etc/nines-agent/upgrade-key.pem; macOS daemon org.nines.agent-upgrade (root); Windows task
  "Nines agent upgrade" (SYSTEM). The agent only writes a version into the request directory
  (see docs/install.md#automatic-upgrades).
  Run it as root / from an elevated prompt. Installing again upgrades in place and keeps the identity.
  --name NAME        agent name in the dashboard (default: host name)
  --config FILE      local checks (YAML), validated and installed beside the agent
  --winsw FILE       the WinSW service wrapper (Windows only): winsw.exe from <collector>/download/,
                     or WinSW-x64.exe from github.com/winsw/winsw/releases (default: winsw.exe, else
                     WinSW-x64.exe, in the folder of the agent); installed as nines-agent-service.exe
  --agent-file FILE  the bundle (*.mjs) or standalone executable to install (default: this running one)
  --log-level LEVEL  the service's log level (default info)
  --node PATH        the node binary the service runs (default: this one, through a stable link such
                     as /usr/local/bin/node when one points at it, so a Homebrew/nvm upgrade does not break it)
  --force            enroll again even if this machine already has an identity
  --no-start         enable the service but do not start it now
  --ca-file, --pin-sha256, --allow-insecure  how to trust the collector, for the enrollment and the
                     service (see run); the CA file is installed beside the config as collector-ca.pem
  --root DIR         write the files under DIR and print the service commands instead of running
                     them (packaging, dry runs); the token is still exchanged for an identity
  --platform OS      with --root: lay out for linux, darwin or win32 instead of this OS`;

export async function installCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' }, token: { type: 'string' }, name: { type: 'string' }, config: { type: 'string' }, winsw: { type: 'string' },
      'agent-file': { type: 'string' }, 'log-level': { type: 'string' }, force: { type: 'boolean' }, 'no-start': { type: 'boolean' },
      'ca-file': { type: 'string' }, 'pin-sha256': { type: 'string' }, 'allow-insecure': { type: 'boolean' }, root: { type: 'string' },
      platform: { type: 'string' }, node: { type: 'string' },
    },
  });
  if (!values.url || !values.token) throw new UsageError('install needs --url and --token (create a token with `nines-collector enroll-token create --client <name>`)');
  const agentSource = values['agent-file'] ?? (isStandaloneAgent() ? process.execPath : typeof __NINES_AGENT_BUNDLED__ === 'boolean' ? process.argv[1] : undefined);
  if (!agentSource) throw new UsageError('running from the sources: build the agent (`npm run build`) and pass --agent-file agent/dist/nines-agent.mjs');
  const ctx = await serviceContext(values.root, values.platform);
  const manager = serviceManagerFor(ctx.platform);
  // winsw.exe (the collector's) or WinSW-x64.exe (GitHub's) in the same folder as the agent is found without --winsw.
  const winsw = values.winsw ?? (manager.kind === 'windows' ? besideAgent(agentSource, ['winsw.exe', 'WinSW-x64.exe']) : undefined);
  const outcome = await installService(ctx, manager, {
    url: values.url, token: values.token, name: values.name, force: values.force ?? false,
    agentSource: resolve(agentSource), configSource: values.config ? resolve(values.config) : null, winswSource: winsw ? resolve(winsw) : null,
    standalone: !/\.[cm]?js$/i.test(agentSource), nodePath: values.node ?? stableNodePath(process.execPath), logLevel: values['log-level'] ?? 'info', start: !values['no-start'],
    tls: { caFile: values['ca-file'] ? resolve(values['ca-file']) : undefined, pinnedFingerprint: values['pin-sha256'], allowInsecure: values['allow-insecure'] },
  });
  process.stdout.write(`nines-agent installed: agent ${outcome.identity.agentId}, ${manager.kind} service, state in ${outcome.layout.stateDir}\n`);
  return 0;
}

/** The first of these names in the agent's folder; the first name when none is there (the install then says so). */
function besideAgent(agentSource: string, names: string[]): string {
  const dir = dirname(resolve(agentSource));
  return names.map((n) => join(dir, n)).find((p) => existsSync(p)) ?? join(dir, names[0]!);
}

/** True inside the standalone executable (`node build.mjs --standalone`): node and agent are one file. */
function isStandaloneAgent(): boolean {
  return typeof __NINES_AGENT_STANDALONE__ === 'boolean';
}

const STABLE_NODE_LINKS = ['/usr/bin/node', '/usr/local/bin/node', '/opt/homebrew/bin/node'];

/**
 * process.execPath is the resolved binary (e.g. /opt/homebrew/Cellar/node/22.3.0/bin/node), which the
 * next `brew upgrade` deletes; a well-known link that points at the same binary survives upgrades.
 */
export function stableNodePath(execPath: string, links = STABLE_NODE_LINKS, resolveLink: (p: string) => string = realpathSync): string {
  let target: string;
  try {
    target = resolveLink(execPath);
  } catch {
    return execPath;
  }
  for (const link of links) {
    try {
      if (resolveLink(link) === target) return link;
    } catch {
      // not present on this machine
    }
  }
  return execPath;
}

/**
 * The real system (root "/", real commands, must be privileged) or, with --root, a directory to write
 * into and commands only printed. --platform (with --root only) renders another OS's files, for packaging.
 */
export async function serviceContext(root: string | undefined, platform: string | undefined): Promise<ServiceContext> {
  const say = (line: string) => process.stdout.write(line + '\n');
  if (root) return { root: resolve(root), exec: printingExec(say), platform: (platform ?? process.platform) as NodeJS.Platform, say };
  if (platform) throw new UsageError('--platform only works together with --root');
  await requirePrivileges();
  return { root: '/', exec: execProgram, platform: process.platform, say };
}

async function requirePrivileges(): Promise<void> {
  if (process.platform === 'win32') {
    // `net session` succeeds only in an elevated prompt: the usual test without a native module.
    const run = await execProgram('net', ['session'], { timeoutMs: 15_000 });
    if (run.code !== 0) throw new UsageError('run this from an elevated prompt ("Run as administrator")');
    return;
  }
  if (process.getuid?.() !== 0) throw new UsageError('installing a system service needs root: run it with sudo');
}
