import type { PatchCollection, PatchProbe, PatchProbeContext } from '../types.ts';
import { describeExecFailure } from '../detect.ts';
import { parseWindowsUpdateReport } from './parse.ts';

/** Searches through the Windows Update Agent COM API (read-only) and reads the reboot-pending keys. */
export const WINDOWS_UPDATE_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '$searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()',
  "$result = $searcher.Search(\"IsInstalled=0 and IsHidden=0 and Type='Software'\")",
  '$updates = @($result.Updates | ForEach-Object { [pscustomobject]@{ Title = $_.Title; KB = @($_.KBArticleIDs); MsrcSeverity = $_.MsrcSeverity; Categories = @($_.Categories | ForEach-Object { $_.Name }) } })',
  "$wu = Test-Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired'",
  "$cbs = Test-Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending'",
  "$pfr = $null -ne (Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager' -Name PendingFileRenameOperations -ErrorAction SilentlyContinue)",
  '[pscustomobject]@{ updates = $updates; rebootPending = [pscustomobject]@{ WindowsUpdate = $wu; ComponentServicing = $cbs; PendingFileRename = $pfr } } | ConvertTo-Json -Depth 4 -Compress',
].join('; ');

export function createWindowsProbe(): PatchProbe {
  return {
    manager: 'windows',
    async detect() {
      return process.platform === 'win32';
    },
    async collect(ctx: PatchProbeContext): Promise<PatchCollection> {
      const run = await ctx.exec('powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', WINDOWS_UPDATE_SCRIPT], {
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
      });
      if (run.code !== 0) return { ok: false, reason: `Windows Update search failed: ${describeExecFailure(run)}` };
      try {
        const parsed = parseWindowsUpdateReport(run.stdout);
        return { ok: true, state: { manager: 'windows', securityKnown: true, collectedAt: ctx.clock(), ...parsed } };
      } catch (error) {
        return { ok: false, reason: `cannot read the Windows Update report: ${(error as Error).message}` };
      }
    },
  };
}
