import type { EpochMs } from '@nines/shared';
import type { ExecResult } from '../../../exec.ts';
import { BackupProbeError } from '../probe.ts';

export interface ResticSnapshot {
  id: string;
  shortId: string;
  /** As restic printed it, with the offset of the machine that made the snapshot. */
  time: string;
  timeMs: EpochMs;
  hostname: string;
  paths: string[];
  tags: string[];
}

// RFC 3339 as Go prints it: up to nine fraction digits, Z or an offset.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of a Go RFC 3339 time; fractions below a millisecond are cut, the offset is honoured. */
export function parseRfc3339(text: string): EpochMs {
  const m = RFC3339.exec(text);
  if (!m) throw new BackupProbeError(`unreadable time "${text}"`);
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  let epoch = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    epoch -= sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(4, 6))) * 60_000;
  }
  return epoch;
}

/** The output of `restic snapshots --json`, oldest first as restic sorts it. */
export function parseSnapshots(stdout: string): ResticSnapshot[] {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    throw new BackupProbeError(`restic printed no snapshot JSON: "${excerpt(stdout)}"`);
  }
  // restic before 0.9 printed "null" for an empty repository
  if (data === null) return [];
  if (!Array.isArray(data)) throw new BackupProbeError(`restic snapshot list is not an array: "${excerpt(stdout)}"`);
  return data.map((raw, index) => {
    const s = raw as Record<string, unknown>;
    if (typeof s.id !== 'string' || typeof s.time !== 'string') {
      throw new BackupProbeError(`restic snapshot ${index} lacks id or time: "${excerpt(JSON.stringify(raw))}"`);
    }
    return {
      id: s.id,
      shortId: typeof s.short_id === 'string' ? s.short_id : s.id.slice(0, 8),
      time: s.time,
      timeMs: parseRfc3339(s.time),
      hostname: typeof s.hostname === 'string' ? s.hostname : '',
      paths: Array.isArray(s.paths) ? s.paths.map(String) : [],
      tags: Array.isArray(s.tags) ? s.tags.map(String) : [],
    };
  });
}

/** Snapshots newest first: restic sorts by time, but times from several hosts' clocks need a real sort. */
export function newestFirst(snapshots: readonly ResticSnapshot[]): ResticSnapshot[] {
  return [...snapshots].sort((a, b) => b.timeMs - a.timeMs);
}

/** total_size of `restic stats --json` (restore-size mode). */
export function parseStats(stdout: string): number {
  try {
    const data = JSON.parse(stdout) as { total_size?: unknown };
    if (typeof data.total_size === 'number' && data.total_size >= 0) return data.total_size;
  } catch {
    // fall through
  }
  throw new BackupProbeError(`restic stats printed no total_size: "${excerpt(stdout)}"`);
}

export interface ResticFailure {
  status: 'UNKNOWN' | 'CRIT';
  kind: 'not-installed' | 'missing-repository' | 'wrong-password' | 'locked' | 'failed';
  message: string;
}

/**
 * What a failed restic run means. restic ≥ 0.17 says it with exit codes 10 (no repository),
 * 11 (locked) and 12 (wrong password); older versions exit 1 and say it only on stderr.
 */
export function resticFailure(result: ExecResult, repository: string): ResticFailure {
  if (result.code === null) {
    const kind = result.failure === 'not-found' ? 'not-installed' : 'failed';
    return { status: 'UNKNOWN', kind, message: result.failureMessage ?? 'restic did not run' };
  }
  const stderr = result.stderr;
  const said = fatalLine(stderr);
  if (result.code === 10 || /Is there a repository at the following location\?|repository does not exist/.test(stderr)) {
    return {
      status: 'CRIT',
      kind: 'missing-repository',
      message: `no restic repository at ${repository} (never initialised, moved, or its disk is not mounted): ${said}`,
    };
  }
  if (result.code === 12 || /wrong password or no key found/.test(stderr)) {
    return { status: 'UNKNOWN', kind: 'wrong-password', message: `restic cannot open ${repository}: wrong password` };
  }
  if (result.code === 11 || /repository is already locked/.test(stderr)) {
    return { status: 'UNKNOWN', kind: 'locked', message: `restic repository ${repository} is locked: ${said} (a stale lock is removed with restic unlock)` };
  }
  return { status: 'UNKNOWN', kind: 'failed', message: `restic failed with exit code ${result.code}: ${said}` };
}

function fatalLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return excerpt(lines.find((l) => l.startsWith('Fatal:'))?.slice(7) ?? lines[0] ?? 'no error message');
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
