import type { EpochMs } from '@nines/shared';
import type { ExecResult } from '../../../exec.ts';
import { BackupProbeError } from '../probe.ts';

export interface WbSummary {
  lastSuccessAt?: EpochMs;
  lastBackupAt?: EpochMs;
  /** HRESULT of the last backup; 0 is success. */
  lastResult: number;
  lastDetailedResult: number;
  versions: number;
  message: string;
  target: string;
}

const DOTNET_MIN_DATE_MS = -62135596800000; // DateTime.MinValue: how Get-WBSummary says "never"

/**
 * A date as ConvertTo-Json writes it: Windows PowerShell 5.1 writes "/Date(ms)/" (UTC ms), PowerShell 7
 * an ISO 8601 string with offset. DateTime.MinValue and earlier mean "never".
 */
export function parsePsDate(value: unknown): EpochMs | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw new BackupProbeError(`unreadable date ${JSON.stringify(value)}`);
  const legacy = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  const ms = legacy ? Number(legacy[1]) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new BackupProbeError(`unreadable date "${value}"`);
  return ms <= DOTNET_MIN_DATE_MS + 86_400_000 ? undefined : ms;
}

export function parseWbSummary(result: ExecResult): WbSummary {
  if (result.code === null) throw new BackupProbeError(result.failureMessage ?? 'powershell did not run');
  if (result.code !== 0 || result.stdout.trim() === '') {
    const said = (result.stderr.trim() || result.stdout.trim()).replace(/\s+/g, ' ').slice(0, 300);
    if (/Get-WBSummary/.test(said) && /not recognized/.test(said)) {
      throw new BackupProbeError('Windows Server Backup is not installed (Get-WBSummary is missing)');
    }
    throw new BackupProbeError(`Get-WBSummary failed with exit code ${result.code}: ${said}`);
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new BackupProbeError(`Get-WBSummary printed no JSON: "${result.stdout.slice(0, 200)}"`);
  }
  const summary: WbSummary = {
    lastResult: Number(data.LastBackupResultHR ?? 0),
    lastDetailedResult: Number(data.LastBackupResultDetailedHR ?? 0),
    versions: Number(data.NumberOfVersions ?? 0),
    message: typeof data.DetailedMessage === 'string' ? data.DetailedMessage : '',
    target: typeof data.LastBackupTarget === 'string' ? data.LastBackupTarget : '',
  };
  const lastSuccessAt = parsePsDate(data.LastSuccessfulBackupTime);
  const lastBackupAt = parsePsDate(data.LastBackupTime);
  if (lastSuccessAt !== undefined) summary.lastSuccessAt = lastSuccessAt;
  if (lastBackupAt !== undefined) summary.lastBackupAt = lastBackupAt;
  return summary;
}
