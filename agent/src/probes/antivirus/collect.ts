import { readdir, readFile, stat } from 'node:fs/promises';
import type { AntivirusCheckConfig, EpochMs } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { describeExecFailure } from '../patch/detect.ts';
import { powershellJson, PowerShellError } from '../powershell.ts';
import { AntivirusProbeError, parseClamVersion, parseDefender, parseXProtectMeta, type AntivirusState } from './parse.ts';

export interface AntivirusContext extends Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'> {
  platform: NodeJS.Platform;
  onPath(name: string): Promise<string | undefined>;
  /** Names of the running processes (Linux: /proc/<pid>/comm). */
  processNames(): Promise<string[]>;
  utcOffsetMinutes(at: EpochMs): number;
  /** A file's bytes and modification time; 'missing' or 'denied' when it cannot be read. */
  readFileInfo(path: string): Promise<{ bytes: Buffer; modifiedAt: EpochMs } | 'missing' | 'denied'>;
}

/**
 * Where macOS keeps XProtect's rules, in the order XProtect itself looks: since Sequoia (15) the copy in
 * /var/protected/xprotect is the one in use, the CoreServices bundle is the fallback and the one Software Update
 * installs into (Sonoma and earlier use only it); before Catalina (10.15) they were in CoreTypes.
 */
export const XPROTECT_META_PATHS = [
  '/var/protected/xprotect/XProtect.bundle/Contents/Resources/XProtect.meta.plist',
  '/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Resources/XProtect.meta.plist',
  '/System/Library/CoreServices/CoreTypes.bundle/Contents/Resources/XProtect.meta.plist',
];

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
  const state: AntivirusState = { product: `ClamAV ${version.engine}`, scanner: 'clamav', serviceOn: true, threats: [] };
  if (daemonInstalled) state.realTimeOn = names.includes('clamd');
  if (version.signaturesAt !== undefined) state.signaturesAt = version.signaturesAt;
  return state;
}

/**
 * XProtect: the rules version from XProtect.meta.plist and, as the signature time, the file's modification time
 * (macOS replaces the file with each rules update and the plist carries no date of its own). XProtect cannot be
 * switched off by a user, so there is no "off" to read; a Mac whose updates stopped shows as old rules.
 */
async function collectXProtect(ctx: AntivirusContext): Promise<AntivirusState> {
  const denied: string[] = [];
  for (const path of XPROTECT_META_PATHS) {
    const file = await ctx.readFileInfo(path);
    if (file === 'missing') continue;
    if (file === 'denied') {
      denied.push(path);
      continue;
    }
    let xml = file.bytes.toString('utf8');
    if (xml.startsWith('bplist')) {
      const run = await ctx.exec('plutil', ['-convert', 'xml1', '-o', '-', path], { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      if (run.code !== 0) throw new AntivirusProbeError(`plutil -convert xml1 ${path}: ${describeExecFailure(run)}`);
      xml = run.stdout;
    }
    const { version } = parseXProtectMeta(xml);
    return { product: `XProtect ${version}`, scanner: 'xprotect', serviceOn: true, signaturesAt: file.modifiedAt, threats: [] };
  }
  if (denied.length) throw new AntivirusProbeError(`XProtect.meta.plist cannot be read (permission denied: ${denied.join(', ')})`);
  throw new AntivirusProbeError('XProtect.meta.plist was not found (looked in /var/protected/xprotect, /Library/Apple/System/Library/CoreServices, CoreTypes.bundle)');
}

export async function collectAntivirus(ctx: AntivirusContext, config: Partial<AntivirusCheckConfig>, threatsSince: EpochMs, now: EpochMs): Promise<AntivirusState> {
  const product = config.product && config.product !== 'auto' ? config.product : ctx.platform === 'win32' ? 'defender' : ctx.platform === 'darwin' ? 'xprotect' : 'clamav';
  if (product === 'clamav') return collectClam(ctx, config, now);
  if (product === 'xprotect') return collectXProtect(ctx);
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

/** readFileInfo on the real file system. */
export async function readFileInfo(path: string): Promise<{ bytes: Buffer; modifiedAt: EpochMs } | 'missing' | 'denied'> {
  try {
    const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
    return { bytes, modifiedAt: info.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    if (code === 'EACCES' || code === 'EPERM') return 'denied';
    throw error;
  }
}
