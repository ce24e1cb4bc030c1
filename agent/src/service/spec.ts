/** What every service manager (systemd, launchd, Windows) needs to know to install the agent as a system service. */
import { join } from 'node:path';
import { pino } from 'pino';
import type { ExecFn } from '../exec.ts';
import type { CheckContext, CheckOutcome } from '../checks/check.ts';

export const SERVICE_NAME = 'nines-agent';

/** Where the installed agent lives on one OS. Absolute paths as the OS sees them (C:\… on Windows). */
export interface ServiceLayout {
  /** The unit file / plist / WinSW XML. */
  definitionFile: string;
  /** Directory holding the installed agent bundle (and on Windows the WinSW wrapper). */
  programDir: string;
  agentFile: string;
  stateDir: string;
  configFile: string;
  /** Where the service's stdout/stderr go when the OS has no journal (launchd, WinSW); null for systemd. */
  logDir: string | null;
  /** The unprivileged account the agent runs as. */
  user: string;
  /**
   * Where the agent asks the privileged upgrader for a version (docs/install.md#automatic-upgrades): writable by
   * the service account, inside a directory only root/SYSTEM may change.
   */
  upgradeRequestDir: string;
  /** The collector's public signing key, pinned at install where the service account cannot write it. */
  upgradeKeyFile: string;
}

/** Everything a definition is rendered from: pure data, so templates are tested on every OS. */
export interface ServiceSpec {
  layout: ServiceLayout;
  /** Absolute path of the Node.js binary that runs the bundle (unused for a standalone executable). */
  nodePath: string;
  /** The agent is a standalone executable (Node SEA) at layout.agentFile, not a bundle run by node. */
  standalone?: boolean;
  logLevel: string;
  /** Whether a config file was installed (the run command gets --config only then). */
  withConfig: boolean;
  /** Extra `run` flags for the collector connection: --ca-file, --pin-sha256, --allow-insecure. */
  connectionArgs: string[];
}

/** The world an install touches. Tests pass a temporary root and a recording exec. */
export interface ServiceContext {
  /** File system root the layout's paths are placed under: "/" for real, a temp dir in tests. */
  root: string;
  exec: ExecFn;
  platform: NodeJS.Platform;
  /** Progress lines for the person installing ("created user nines-agent"). */
  say(line: string): void;
}

/** One service manager; the registry in ./index.ts maps each supported platform to one. */
export interface ServiceManager {
  readonly kind: 'systemd' | 'launchd' | 'windows';
  defaultLayout(): ServiceLayout;
  /** The definition file's text (unit, plist, WinSW XML). Pure. */
  render(spec: ServiceSpec): string;
  /** Creates the service account if missing (no-op where a built-in account is used). */
  ensureUser(ctx: ServiceContext, layout: ServiceLayout): Promise<void>;
  /** Gives the service account what it needs: its state dir writable, the config (if any) readable. */
  grantAccess(ctx: ServiceContext, spec: ServiceSpec): Promise<void>;
  /** Registers, enables and starts the service whose definition is already written. */
  activate(ctx: ServiceContext, spec: ServiceSpec, start: boolean): Promise<void>;
  /** Before an install copies files over an existing one: stops what holds them open (Windows locks a running exe). */
  stopForUpgrade?(ctx: ServiceContext, layout: ServiceLayout): Promise<void>;
  /** Restarts the installed service so it runs the agent file now in place (`nines-agent upgrade`). */
  restart(ctx: ServiceContext, layout: ServiceLayout): Promise<void>;
  /** Stops and unregisters the service; tolerates one that is already gone. */
  deactivate(ctx: ServiceContext, layout: ServiceLayout): Promise<void>;
  /** Removes the service account (uninstall --purge). */
  removeUser(ctx: ServiceContext, layout: ServiceLayout): Promise<void>;
  /** The privileged upgrader beside the service (docs/install.md#automatic-upgrades). */
  readonly upgrader: UpgraderManager;
  /** Whether the service runs, in the words of the service check. */
  state(ctx: ServiceContext, layout: ServiceLayout): Promise<CheckOutcome>;
}

/** One definition file of the privileged upgrader, as rendered. */
export interface UpgraderFile {
  path: string;
  text: string;
  /** Task Scheduler reads its XML as UTF-16 (with a byte order mark); everything else is UTF-8. */
  encoding?: 'utf16le';
}

/**
 * The privileged half of automatic upgrades on one OS: something that runs `upgrade --apply-request` as root /
 * SYSTEM when the agent has written a request, and the file modes that keep the agent user from the key and the
 * program while letting it write the request.
 */
export interface UpgraderManager {
  /** What triggers the upgrader and how it runs (systemd .path + .service, launchd daemon, scheduled task). Pure. */
  render(spec: ServiceSpec): UpgraderFile[];
  /** Owner and modes: request dir the service account's, its parent and the key root's/SYSTEM's alone. */
  grant(ctx: ServiceContext, spec: ServiceSpec): Promise<void>;
  /** Registers and starts the trigger (its definitions are already written). */
  activate(ctx: ServiceContext, spec: ServiceSpec): Promise<void>;
  /** Stops and unregisters it; tolerates one that is gone. */
  deactivate(ctx: ServiceContext, layout: ServiceLayout): Promise<void>;
}

/** A layout path placed under the context's root; Windows drive letters become a directory in tests. */
export function onDisk(ctx: Pick<ServiceContext, 'root'>, path: string): string {
  if (ctx.root === '/' || ctx.root === '') return path;
  const relative = /^[A-Za-z]:[\\/]/.test(path) ? path.slice(0, 1) + '/' + path.slice(3).replaceAll('\\', '/') : path;
  return join(ctx.root, relative);
}

/** The service's command line, program first, before OS-specific quoting: node + bundle, or the standalone agent. */
export function commandLine(spec: ServiceSpec): string[] {
  const { layout } = spec;
  return [
    ...(spec.standalone ? [layout.agentFile] : [spec.nodePath, layout.agentFile]), 'run', '--state-dir', layout.stateDir,
    ...(spec.withConfig ? ['--config', layout.configFile] : []),
    ...spec.connectionArgs,
    '--upgrade-request-dir', layout.upgradeRequestDir,
  ];
}

/** The privileged upgrader's command line (root / SYSTEM), program first: `upgrade --apply-request` with the layout's paths. */
export function upgraderCommandLine(spec: ServiceSpec): string[] {
  const { layout } = spec;
  return [
    ...(spec.standalone ? [layout.agentFile] : [spec.nodePath, layout.agentFile]), 'upgrade', '--apply-request', '--state-dir', layout.stateDir,
    '--request-dir', layout.upgradeRequestDir, '--key-file', layout.upgradeKeyFile, '--agent-file', layout.agentFile,
  ];
}

/** Thrown when a command an install step needs fails; carries the command and what it said. */
export class ServiceCommandError extends Error {
  readonly code = 'NINES_ERR_SERVICE_COMMAND';
}

/** Runs a step of an install and fails loudly with the command and its output. */
export async function mustRun(ctx: ServiceContext, file: string, args: string[], okCodes: number[] = [0]): Promise<string> {
  const run = await ctx.exec(file, args, { timeoutMs: 60_000 });
  if (run.failure || run.code === null || !okCodes.includes(run.code)) {
    const said = (run.failureMessage ?? (run.stderr || run.stdout)).trim().split(/\r?\n/).slice(0, 3).join(' / ');
    throw new ServiceCommandError(`\`${[file, ...args].join(' ')}\` failed (exit ${run.code ?? run.failure}): ${said}`);
  }
  return run.stdout;
}

/** A check context for asking the service check whether the agent's own service runs. */
export function serviceCheckContext(ctx: ServiceContext): CheckContext {
  const timeoutMs = 10_000;
  return { exec: ctx.exec, timeoutMs, signal: AbortSignal.timeout(timeoutMs), clock: Date.now, log: pino({ level: 'silent' }), stateDir: ctx.root };
}
