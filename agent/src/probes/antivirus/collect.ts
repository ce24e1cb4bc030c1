import { readdir, readFile } from 'node:fs/promises';
import type { AntivirusCheckConfig, EpochMs } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { describeExecFailure } from '../patch/detect.ts';
import { powershellJson, PowerShellError } from '../powershell.ts';
import { AntivirusProbeError, parseClamVersion, parseDefender, type AntivirusState } from './parse.ts';

export interface AntivirusContext extends Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'> {
  platform: NodeJS.Platform;
  onPath(name: string): Promise<string | undefined>;
  /** Names of the running processes (Linux: /proc/<pid>/comm). */
  processNames(): Promise<string[]>;
  utcOffsetMinutes(at: EpochMs): number;
}

/** Dates as ISO UTC text: Windows PowerShell 5.1 would write "\/Date(…)\/", PowerShell 7 a local time. */
export function defenderScript(threatsSince: EpochMs): string {
  const ticks = BigInt(threatsSince) * 10_000n + 621_355_968_000_000_000n; // .NET ticks of the epoch ms: no date text to parse
  return [
    "$ErrorActionPreference = 'Stop'",
    "function Iso($d) { if ($d) { ([DateTime]$d).ToUniversalTime().ToString('o') } else { $null } }",
    `$since = [DateTime]::SpecifyKind([DateTime]::new(${ticks}), 'Utc')`,
    "$status = $null; try { $s = Get-MpComputerStatus; $status = [pscustomobject]@{ AMServiceEnabled = $s.AMServiceEnabled; AntivirusEnabled = $s.AntivirusEnabled; RealTimeProtectionEnabled = $s.RealTimeProtectionEnabled; AMRunningMode = [string]$s.AMRunningMode; AntivirusSignatureLastUpdated = (Iso $s.AntivirusSignatureLastUpdated); QuickScanEndTime = (Iso $s.QuickScanEndTime); FullScanEndTime = (Iso $s.FullScanEndTime) } } catch { $status = $null }",
    "$threats = @(); if ($status) { $names = @{}; foreach ($t in @(Get-MpThreat -ErrorAction SilentlyContinue)) { $names[[string]$t.ThreatID] = $t.ThreatName }; $threats = @(Get-MpThreatDetection -ErrorAction SilentlyContinue | Where-Object { $_.InitialDetectionTime.ToUniversalTime() -gt $since } | ForEach-Object { [pscustomobject]@{ Name = $names[[string]$_.ThreatID]; At = (Iso $_.InitialDetectionTime) } }) }",
    "$products = @(); try { $products = @(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | ForEach-Object { [pscustomobject]@{ displayName = $_.displayName; productState = $_.productState } }) } catch { }",
    'ConvertTo-Json -Compress -Depth 4 -InputObject ([pscustomobject]@{ status = $status; threats = $threats; products = $products })',
  ].join('; ');
}

async function collectClam(ctx: AntivirusContext, config: Pick<AntivirusCheckConfig, 'databaseDirectory'>, now: EpochMs): Promise<AntivirusState> {
  const args = ['--version', ...(config.databaseDirectory ? [`--database=${config.databaseDirectory}`] : [])];
  const run = await ctx.exec('clamscan', args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (run.code !== 0) throw new AntivirusProbeError(run.failure === 'not-found' ? 'clamscan is not installed (package clamav)' : `clamscan --version: ${describeExecFailure(run)}`);
  const version = parseClamVersion(run.stdout, ctx.utcOffsetMinutes(now));
  const daemonInstalled = Boolean((await ctx.onPath('clamd')) ?? (await ctx.onPath('clamd.exe')));
  const names = await ctx.processNames();
  const state: AntivirusState = { product: `ClamAV ${version.engine}`, serviceOn: true, threats: [] };
  if (daemonInstalled) state.realTimeOn = names.includes('clamd');
  if (version.signaturesAt !== undefined) state.signaturesAt = version.signaturesAt;
  return state;
}

export async function collectAntivirus(ctx: AntivirusContext, config: Partial<AntivirusCheckConfig>, threatsSince: EpochMs, now: EpochMs): Promise<AntivirusState> {
  const product = config.product && config.product !== 'auto' ? config.product : ctx.platform === 'win32' ? 'defender' : 'clamav';
  if (product === 'clamav') return collectClam(ctx, config, now);
  try {
    return parseDefender(await powershellJson(ctx, defenderScript(threatsSince)));
  } catch (error) {
    if (error instanceof PowerShellError) throw new AntivirusProbeError(`Defender status: ${error.message}`);
    throw error;
  }
}

/** Running process names from /proc (Linux); elsewhere an empty list, so a daemon is reported as not found. */
export async function linuxProcessNames(): Promise<string[]> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const names = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/comm`, 'utf8').then((s) => s.trim(), () => '')));
  return names.filter(Boolean);
}
