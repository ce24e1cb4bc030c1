/**
 * Starts `nines-agent upgrade` so that it outlives the service restart it triggers. Under systemd (INVOCATION_ID
 * is set for a unit's processes) a child stays in the unit's cgroup and dies with the restart, so it runs as a
 * transient unit of its own (systemd-run); elsewhere as a detached process (its own process group, which
 * launchd leaves alone when the job restarts). Output goes to STATE_DIR/upgrade.log.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ownCommand } from './own-file.ts';

export const UPGRADE_LOG = 'upgrade.log';

/** The command line that starts the upgrade: pure, so both forms are tested on any machine. */
export function upgradeCommandLine(own: string[], args: string[], env: NodeJS.ProcessEnv, now: number): string[] {
  return env.INVOCATION_ID ? ['systemd-run', '--quiet', '--collect', `--unit=nines-agent-upgrade-${now}`, ...own, ...args] : [...own, ...args];
}

/** Resolves with the child's pid once it has started (it is not waited for: it will outlive this process). */
export function startDetachedUpgrade(stateDir: string, args: string[], env: NodeJS.ProcessEnv = process.env, own: string[] = ownCommand()): Promise<number> {
  const command = upgradeCommandLine(own, args, env, Date.now());
  const log = openSync(join(stateDir, UPGRADE_LOG), 'a', 0o600);
  try {
    const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['ignore', log, log], windowsHide: true, env });
    child.unref();
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', reject);
    });
  } finally {
    closeSync(log);
  }
}
