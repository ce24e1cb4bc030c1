import type { EpochMs } from '@nines/shared';
import type { ExecResult } from '../../../exec.ts';
import { BackupProbeError } from '../probe.ts';

export interface BorgArchive {
  name: string;
  id: string;
  /** As borg printed it. */
  time: string;
  timeMs: EpochMs;
  /** From borg info only. */
  originalSizeBytes?: number;
  deduplicatedSizeBytes?: number;
  files?: number;
  durationS?: number;
}

// borg 1.x: "2026-11-25T13:00:53.000000" in the borg process's local time (we run it with TZ=UTC);
// borg 2 adds the offset.
const BORG_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of a borg JSON time; without an offset it is taken as UTC, the zone the probe runs borg in. */
export function parseBorgTime(text: string): EpochMs {
  const m = BORG_TIME.exec(text);
  if (!m) throw new BackupProbeError(`unreadable borg time "${text}"`);
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m;
  let epoch = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    epoch -= sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
  }
  return epoch;
}

/** Archives of `borg list --json` or `borg info --json`, in borg's order (oldest first). */
export function parseArchives(stdout: string): BorgArchive[] {
  let data: { archives?: unknown };
  try {
    data = JSON.parse(stdout) as { archives?: unknown };
  } catch {
    throw new BackupProbeError(`borg printed no JSON: "${excerpt(stdout)}"`);
  }
  if (!data || !Array.isArray(data.archives)) throw new BackupProbeError(`borg JSON has no archive list: "${excerpt(stdout)}"`);
  return data.archives.map((raw, index) => {
    const a = raw as Record<string, unknown>;
    // info has start and end; list has time (= start). A backup counts from when it started, as borg names it.
    const time = typeof a.time === 'string' ? a.time : a.start;
    if (typeof a.name !== 'string' || typeof time !== 'string') {
      throw new BackupProbeError(`borg archive ${index} lacks name or time: "${excerpt(JSON.stringify(raw))}"`);
    }
    const archive: BorgArchive = { name: a.name, id: typeof a.id === 'string' ? a.id : '', time, timeMs: parseBorgTime(time) };
    const stats = a.stats as Record<string, unknown> | undefined;
    if (stats && typeof stats.original_size === 'number') archive.originalSizeBytes = stats.original_size;
    if (stats && typeof stats.deduplicated_size === 'number') archive.deduplicatedSizeBytes = stats.deduplicated_size;
    if (stats && typeof stats.nfiles === 'number') archive.files = stats.nfiles;
    if (typeof a.duration === 'number') archive.durationS = a.duration;
    return archive;
  });
}

export interface BorgLogMessage {
  levelname?: string;
  message?: string;
  msgid?: string;
}

/** The log lines of `borg --log-json` on stderr; lines that are not JSON (warnings from Python) are skipped. */
export function parseLogJson(stderr: string): BorgLogMessage[] {
  const out: BorgLogMessage[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as BorgLogMessage & { type?: string };
      if (entry.type === 'log_message') out.push(entry);
    } catch {
      // a half-written line at a crash; the others still say what happened
    }
  }
  return out;
}

export interface BorgFailure {
  status: 'UNKNOWN' | 'CRIT';
  kind: 'not-installed' | 'missing-repository' | 'not-a-repository' | 'wrong-passphrase' | 'no-passphrase' | 'locked' | 'failed';
  message: string;
}

/**
 * What a failed borg run means, from the msgid of its --log-json error (borg 1.1 and later); exit codes
 * only say warning (1) or error (2) unless BORG_EXIT_CODES=modern.
 */
export function borgFailure(result: ExecResult, repository: string, passphraseGiven: boolean): BorgFailure {
  if (result.code === null) {
    return { status: 'UNKNOWN', kind: result.failure === 'not-found' ? 'not-installed' : 'failed', message: result.failureMessage ?? 'borg did not run' };
  }
  const errors = parseLogJson(result.stderr).filter((m) => m.levelname === 'ERROR' || m.levelname === 'CRITICAL');
  const error = errors.find((m) => m.msgid) ?? errors[0];
  const said = error?.message ?? excerpt(result.stderr) ?? 'no error message';
  switch (error?.msgid) {
    case 'Repository.DoesNotExist':
      return { status: 'CRIT', kind: 'missing-repository', message: `no borg repository at ${repository} (never initialised, moved, or its disk is not mounted): ${said}` };
    case 'Repository.InvalidRepository':
      return { status: 'CRIT', kind: 'not-a-repository', message: `${repository} is not a borg repository: ${said}` };
    case 'PassphraseWrong':
      return passphraseGiven
        ? { status: 'UNKNOWN', kind: 'wrong-passphrase', message: `borg cannot open ${repository}: wrong passphrase` }
        : { status: 'UNKNOWN', kind: 'no-passphrase', message: `borg repository ${repository} is encrypted: set passphraseFile or passphraseEnv` };
    case 'NoPassphraseFailure':
      return { status: 'UNKNOWN', kind: 'no-passphrase', message: `borg repository ${repository} is encrypted: set passphraseFile or passphraseEnv` };
    case 'LockTimeout':
    case 'LockFailed':
    case 'LockError':
      return { status: 'UNKNOWN', kind: 'locked', message: `borg repository ${repository} is locked: ${said} (a stale lock is removed with borg break-lock)` };
    default:
      return { status: 'UNKNOWN', kind: 'failed', message: `borg failed with exit code ${result.code}: ${said}` };
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
