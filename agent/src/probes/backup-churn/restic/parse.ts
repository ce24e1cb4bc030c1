import { BackupProbeError } from '../../backup/probe.ts';

/** Files and restore size of one snapshot, from `restic stats --json <id>` (restore-size mode). */
export function parseStatsCounts(stdout: string): { files: number; sizeBytes: number } {
  try {
    const data = JSON.parse(stdout) as { total_size?: unknown; total_file_count?: unknown };
    if (typeof data.total_size === 'number' && typeof data.total_file_count === 'number') return { files: data.total_file_count, sizeBytes: data.total_size };
  } catch {
    // fall through
  }
  throw new BackupProbeError(`restic stats printed no total_size and total_file_count: "${excerpt(stdout)}"`);
}

/**
 * Files changed, added or removed between two snapshots: the statistics line that ends `restic diff --json`
 * (one line per changed path comes before it). A file encrypted in place counts once (M), one replaced by
 * an encrypted copy under a new name twice (- and +): both are what a backup has to take in anew.
 */
export function parseDiffChanges(stdout: string): number {
  const lines = stdout.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    let entry: { message_type?: unknown; changed_files?: unknown; added?: { files?: unknown }; removed?: { files?: unknown } };
    try {
      entry = JSON.parse(lines[i]!) as typeof entry;
    } catch {
      continue;
    }
    if (entry.message_type !== 'statistics') continue;
    const counts = [entry.changed_files, entry.added?.files, entry.removed?.files];
    if (counts.every((n) => typeof n === 'number')) return (counts as number[]).reduce((a, b) => a + b, 0);
  }
  throw new BackupProbeError(`restic diff printed no statistics: "${excerpt(stdout.slice(-400))}"`);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
