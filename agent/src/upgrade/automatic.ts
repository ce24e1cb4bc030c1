/**
 * Automatic mode: when the collector says automatic is on and announces a newer build, the running agent asks
 * for it: as an installed service by writing a request for the privileged upgrader (request.ts, apply.ts), else
 * by starting `nines-agent upgrade` as a separate process (the upgrade restarts the service, which ends this one); it notes
 * the version in STATE_DIR/upgrade-attempt.json, so a build that was refused or rolled back is not tried again
 * and again on every reconnect: only a different announced version is.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { compareVersions, type UpdateMessage } from '@nines/shared';

export const ATTEMPT_FILE = 'upgrade-attempt.json';

export interface AutoUpgradeOptions {
  stateDir: string;
  currentVersion: string;
  log: Logger;
  clock: () => number;
  /**
   * Starts the upgrade to `version`: writes the request for the privileged upgrader (an installed service), or
   * starts `nines-agent upgrade` with these arguments detached from this process (run by hand, as root).
   */
  startUpgrade(args: string[], version: string): unknown;
}

export class AutoUpgrader {
  constructor(private readonly options: AutoUpgradeOptions) {}

  /** Called with every `update` message; true when it started an upgrade. */
  onUpdate(update: UpdateMessage): boolean {
    const { stateDir, currentVersion, log } = this.options;
    if (!update.automatic) {
      log.info({ version: update.version }, 'a newer agent build is available; automatic upgrade is off (run `nines-agent upgrade`)');
      return false;
    }
    if (compareVersions(update.version, currentVersion) !== 1) return false;
    const tried = this.lastAttempt();
    if (tried === update.version) {
      log.info({ version: update.version }, 'automatic upgrade to this version was tried before; not again (see upgrade.log in the state dir)');
      return false;
    }
    const path = join(stateDir, ATTEMPT_FILE);
    writeFileSync(path + '.tmp', JSON.stringify({ version: update.version, at: this.options.clock() }) + '\n');
    renameSync(path + '.tmp', path);
    log.info({ version: update.version }, 'starting the automatic upgrade');
    try {
      this.options.startUpgrade(['upgrade', '--state-dir', stateDir], update.version);
    } catch (error) {
      log.error({ err: error, version: update.version }, 'cannot start the automatic upgrade');
      return false;
    }
    return true;
  }

  private lastAttempt(): string | null {
    try {
      return (JSON.parse(readFileSync(join(this.options.stateDir, ATTEMPT_FILE), 'utf8')) as { version?: string }).version ?? null;
    } catch {
      return null;
    }
  }
}
