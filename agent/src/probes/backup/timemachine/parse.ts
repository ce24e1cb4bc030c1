import type { ExecResult } from '../../../exec.ts';
import { BackupProbeError } from '../probe.ts';
import type { WallClock } from '../localtime.ts';

export interface TimeMachineLatest {
  /** The backup's path, e.g. /Volumes/Backup/Backups.backupdb/mac/2011-08-26-104514. */
  path: string;
  /** From the backup's folder name, in the Mac's local time. */
  wallClock: WallClock;
}

// HFS+ folders and APFS snapshots are both named YYYY-MM-DD-HHMMSS (APFS adds ".backup").
const BACKUP_NAME = /(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})(?:\.backup)?\/?$/;

/** The latest backup, or null when tmutil knows of none; tmutil's own errors become a probe error. */
export function parseLatestBackup(result: ExecResult): TimeMachineLatest | null {
  if (result.code === null) throw new BackupProbeError(result.failureMessage ?? 'tmutil did not run');
  const out = result.stdout.trim();
  const said = (result.stderr.trim() || out).replace(/\s+/g, ' ');
  if (result.code !== 0) {
    if (/No machine directory found|Unable to locate machine directory/i.test(said)) return null;
    const status = /Failed to mount/i.test(said) ? 'CRIT' : 'UNKNOWN';
    throw new BackupProbeError(`tmutil latestbackup failed with exit code ${result.code}: ${said}`, status);
  }
  const path = out.split('\n').at(-1)?.trim() ?? '';
  if (path === '') return null;
  const m = BACKUP_NAME.exec(path);
  if (!m) throw new BackupProbeError(`tmutil printed no backup path: "${said.slice(0, 200)}"`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return { path, wallClock: { year, month, day, hour, minute, second } };
}
