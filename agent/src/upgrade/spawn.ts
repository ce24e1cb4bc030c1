/**
 * Starts `nines-agent upgrade` so that it outlives the service restart it triggers. Under systemd (INVOCATION_ID
 * is set for a unit's processes) a child stays in the unit's cgroup and dies with the restart, so it runs as a
 * transient unit of its own (systemd-run); elsewhere as a detached process. Output goes to STATE_DIR/upgrade.log.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ownCommand } from './own-file.ts';

export const UPGRADE_LOG = 'upgrade.log';

export function startDetachedUpgrade(stateDir: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const [program, ...lead] = ownCommand();
  const command = env.INVOCATION_ID
    ? ['systemd-run', '--quiet', '--collect', `--unit=nines-agent-upgrade-${Date.now()}`, program!, ...lead, ...args]
    : [program!, ...lead, ...args];
  const log = openSync(join(stateDir, UPGRADE_LOG), 'a', 0o600);
  try {
    const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['ignore', log, log], windowsHide: true });
    child.unref();
  } finally {
    closeSync(log);
  }
}
