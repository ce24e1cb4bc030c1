/** The steps of `nines-agent install` / `uninstall`, the same on every OS; the manager does the OS part. */
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { dirname } from 'node:path';
import { loadAgentConfig } from '../config-file.ts';
import { enroll, readIdentity, writeIdentity, type AgentIdentity, type EnrollTls } from '../identity.ts';
import type { ExecFn } from '../exec.ts';
import { WINSW_EXE, WINSW_EXE_CONFIG } from './windows.win32.ts';
import { onDisk, type ServiceContext, type ServiceLayout, type ServiceManager, type ServiceSpec } from './spec.ts';

export interface InstallOptions {
  url: string;
  token: string;
  /** Agent name shown in the dashboard; the host name when absent. */
  name?: string;
  /** Enroll again even when the state dir already holds an identity. */
  force: boolean;
  /** The bundled agent (dist/nines-agent.mjs) to copy into place. */
  agentSource: string;
  /** A local agent config to install beside it, validated first. */
  configSource: string | null;
  /** WinSW.exe to install as the Windows service wrapper; required on Windows only. */
  winswSource: string | null;
  nodePath: string;
  /** agentSource is a standalone executable (Node SEA): installed as nines-agent(.exe) and run directly. */
  standalone?: boolean;
  logLevel: string;
  /** How to trust the collector, for the enrollment now and the service later (CA file, pin, plain http). */
  tls: EnrollTls;
  /** Start the service now (else only enable it for the next boot). */
  start: boolean;
  layout?: ServiceLayout;
}

export interface InstallOutcome {
  layout: ServiceLayout;
  identity: AgentIdentity;
  /** False when an existing identity was kept (a reinstall or upgrade keeps the agent's history). */
  enrolled: boolean;
}

/** Thrown for problems found before anything is changed: missing files, a bad config. */
export class InstallError extends Error {
  readonly code = 'NINES_ERR_INSTALL';
}

export async function installService(ctx: ServiceContext, manager: ServiceManager, options: InstallOptions): Promise<InstallOutcome> {
  const layout = withProgram(options.layout ?? manager.defaultLayout(), manager, options.standalone ?? false);
  // Everything that can be checked is checked before the token is spent or a file is written.
  if (!existsSync(options.agentSource)) throw new InstallError(`agent bundle ${options.agentSource} not found (build it with \`npm run build\`)`);
  if (options.configSource) loadAgentConfig(options.configSource);
  if (manager.kind === 'windows' && (!options.winswSource || !existsSync(options.winswSource))) {
    throw new InstallError(`Windows needs the WinSW service wrapper: download winsw.exe from the collector (<collector>/download/winsw.exe, as the dashboard's command does) or WinSW-x64.exe from https://github.com/winsw/winsw/releases and pass --winsw <path> (got ${options.winswSource ?? 'none'})`);
  }
  const stateDir = onDisk(ctx, layout.stateDir);
  let identity = options.force ? null : readIdentity(stateDir);
  const enrolled = identity === null;
  if (identity) ctx.say(`keeping the existing identity ${identity.agentId} in ${layout.stateDir} (--force enrolls again)`);
  else {
    identity = await enroll(options.url, options.token, Date.now(), options.name, options.tls);
    writeIdentity(stateDir, identity);
    ctx.say(`enrolled as agent ${identity.agentId} with ${options.url}`);
  }

  await manager.ensureUser(ctx, layout);
  await manager.stopForUpgrade?.(ctx, layout);
  place(ctx, options.agentSource, layout.agentFile, 0o755);
  if (options.configSource) place(ctx, options.configSource, layout.configFile, 0o640);
  if (options.winswSource) {
    place(ctx, options.winswSource, `${layout.programDir}\\${WINSW_EXE}`, 0o755);
    writeFileSync(onDisk(ctx, `${layout.programDir}\\${WINSW_EXE}.config`), WINSW_EXE_CONFIG);
  }
  // The service account may not read the installer's copy (e.g. under /root): the CA goes beside the config.
  const caFile = options.tls.caFile ? beside(layout.configFile, 'collector-ca.pem') : null;
  if (options.tls.caFile && caFile) place(ctx, options.tls.caFile, caFile, 0o644);
  const connectionArgs = [
    ...(caFile ? ['--ca-file', caFile] : []),
    ...(options.tls.pinnedFingerprint ? ['--pin-sha256', options.tls.pinnedFingerprint] : []),
    ...(options.tls.allowInsecure ? ['--allow-insecure'] : []),
  ];
  if (layout.logDir) mkdirSync(onDisk(ctx, layout.logDir), { recursive: true });
  const spec: ServiceSpec = { layout, nodePath: options.nodePath, standalone: options.standalone ?? false, logLevel: options.logLevel, withConfig: options.configSource !== null, connectionArgs };
  await manager.grantAccess(ctx, spec);
  const definition = onDisk(ctx, layout.definitionFile);
  mkdirSync(dirname(definition), { recursive: true });
  writeFileSync(definition, manager.render(spec), { mode: 0o644 });
  ctx.say(`wrote ${layout.definitionFile}`);
  const upgrader = installUpgrader(ctx, manager, spec, identity);
  if (upgrader) await manager.upgrader.grant(ctx, spec);
  await manager.activate(ctx, spec, options.start);
  ctx.say(options.start ? `service ${manager.kind} started` : `service ${manager.kind} enabled; it starts at the next boot`);
  if (upgrader) {
    await manager.upgrader.activate(ctx, spec);
    ctx.say(`privileged upgrader installed (${upgrader.join(', ')}); automatic upgrades work once the consultant turns them on`);
  }
  return { layout, identity, enrolled };
}

export interface UninstallOptions {
  /** Also remove identity, spool, config, logs and the service user: the agent is gone for good. */
  purge: boolean;
  layout?: ServiceLayout;
}

export async function uninstallService(ctx: ServiceContext, manager: ServiceManager, options: UninstallOptions): Promise<ServiceLayout> {
  const layout = options.layout ?? manager.defaultLayout();
  await manager.upgrader.deactivate(ctx, layout);
  await manager.deactivate(ctx, layout);
  for (const file of manager.upgrader.render({ layout, nodePath: '', logLevel: 'info', withConfig: false, connectionArgs: [] })) remove(ctx, file.path);
  remove(ctx, layout.upgradeRequestDir);
  remove(ctx, layout.definitionFile);
  remove(ctx, layout.programDir);
  if (options.purge) {
    for (const path of [layout.stateDir, layout.configFile, layout.logDir, layout.upgradeKeyFile]) if (path) remove(ctx, path);
    await manager.removeUser(ctx, layout);
  } else {
    ctx.say(`kept ${layout.stateDir} (identity and unsent results): a reinstall continues as the same agent; --purge removes it`);
  }
  return layout;
}

/**
 * The privileged upgrader's files: the collector key pinned where only root/SYSTEM can write it (the identity
 * in the state dir, which the agent user can rewrite, is not what the upgrader trusts), the request directory,
 * and the trigger's definitions. Null (and a line saying why) when the identity pins no key: an enrollment
 * with a collector older than signed upgrades; `upgrade --pin-signing-key` then a reinstall adds it.
 */
function installUpgrader(ctx: ServiceContext, manager: ServiceManager, spec: ServiceSpec, identity: AgentIdentity): string[] | null {
  const { layout } = spec;
  if (!identity.signingKey) {
    ctx.say('no collector signing key pinned in the identity: the privileged upgrader is not installed (automatic upgrades stay off on this machine)');
    return null;
  }
  const pem = createPublicKey({ key: Buffer.from(identity.signingKey, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
  const keyFile = onDisk(ctx, layout.upgradeKeyFile);
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile + '.tmp', pem, { mode: 0o644 });
  renameSync(keyFile + '.tmp', keyFile);
  ctx.say(`pinned the collector signing key in ${layout.upgradeKeyFile}`);
  mkdirSync(onDisk(ctx, layout.upgradeRequestDir), { recursive: true, mode: 0o700 });
  const written: string[] = [];
  for (const file of manager.upgrader.render(spec)) {
    const path = onDisk(ctx, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.encoding === 'utf16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file.text, 'utf16le')]) : file.text, { mode: 0o644 });
    ctx.say(`wrote ${file.path}`);
    written.push(file.path);
  }
  return written;
}

/** A file in the same directory as `path`, in that path's own separator style (Windows paths on any OS). */
function beside(path: string, name: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(0, cut + 1) + name;
}

/** A standalone agent is an executable named for its OS, beside where the bundle would be. */
function withProgram(layout: ServiceLayout, manager: ServiceManager, standalone: boolean): ServiceLayout {
  if (!standalone) return layout;
  const windows = manager.kind === 'windows';
  return { ...layout, agentFile: `${layout.programDir}${windows ? '\\' : '/'}nines-agent${windows ? '.exe' : ''}` };
}

function place(ctx: ServiceContext, source: string, target: string, mode: number): void {
  const path = onDisk(ctx, target);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(source, path);
  chmodSync(path, mode);
  ctx.say(`installed ${target}`);
}

function remove(ctx: ServiceContext, target: string): void {
  const path = onDisk(ctx, target);
  if (!existsSync(path)) return;
  rmSync(path, { recursive: true, force: true });
  ctx.say(`removed ${target}`);
}

/**
 * For `--root`: files go under the root, commands are printed instead of run. `id` answers "no such
 * user", so the printed list is what a fresh machine would run.
 */
export function printingExec(print: (line: string) => void): ExecFn {
  return async (file, args) => {
    print(`would run: ${[file, ...args].join(' ')}`);
    return { code: file === 'id' ? 1 : 0, stdout: '', stderr: '' };
  };
}
