import type { CheckContext } from '../../../checks/check.ts';
import type { ExecResult } from '../../../exec.ts';

// Only the fields the probe reads: Get-WBSummary also carries objects ConvertTo-Json would expand at length.
export const WB_SUMMARY_COMMAND =
  'Get-WBSummary | Select-Object LastSuccessfulBackupTime,LastBackupTime,LastBackupResultHR,LastBackupResultDetailedHR,NumberOfVersions,DetailedMessage,LastBackupTarget,NextBackupTime | ConvertTo-Json';

/** Windows Server Backup's summary as JSON, through Windows PowerShell (Get-WBSummary needs the WindowsServerBackup module). */
export function collectWbSummary(program: string, ctx: CheckContext): Promise<ExecResult> {
  return ctx.exec(program, ['-NoProfile', '-NonInteractive', '-Command', WB_SUMMARY_COMMAND], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
}
