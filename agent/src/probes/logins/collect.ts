import { access, mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMs, LoginsCheckConfig } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { journalJson, JournalError } from '../journal.ts';
import { powershellJson, PowerShellError } from '../powershell.ts';
import type { KnownSources } from './evaluate.ts';
import { LoginsProbeError, parseAuthLog, parseJournalJson, parseWindowsLogons, type LoginEvent } from './parse.ts';

export interface LoginsContext extends Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs' | 'stateDir'> {
  platform: NodeJS.Platform;
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string>;
  /** The machine's UTC offset in minutes (east positive) at a time, for auth logs without a zone. */
  utcOffsetMinutes(at: EpochMs): number;
}

export const AUTH_LOGS = ['/var/log/auth.log', '/var/log/secure'] as const;
// OpenSSH 9.8 moved the per-connection work, and its log lines, into sshd-session
const SSHD_IDENTIFIERS = ['SYSLOG_IDENTIFIER=sshd', 'SYSLOG_IDENTIFIER=sshd-session'];
const MAX_AUTH_LOG_BYTES = 32 * 1024 * 1024; // the tail that matters; a rotated-never 2 GB auth.log must not fill memory
const WINDOWS_MAX_EVENTS = 20_000; // a domain controller logs thousands of 4624 an hour; the count stays bounded

export const defaultFiles = {
  exists: async (path: string) => access(path).then(() => true, () => false),
  /** The file's last MAX_AUTH_LOG_BYTES only, read from there: a never-rotated auth log can be gigabytes. */
  readText: async (path: string) => {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const length = Math.min(size, MAX_AUTH_LOG_BYTES);
      const buffer = Buffer.alloc(length);
      await file.read(buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      await file.close();
    }
  },
  utcOffsetMinutes: (at: EpochMs) => -new Date(at).getTimezoneOffset(),
};

export type LoginsSource = 'journald' | 'authlog' | 'windows';

export async function loginsSource(ctx: LoginsContext, config: Pick<LoginsCheckConfig, 'source' | 'authLog' | 'journalDirectory'>): Promise<LoginsSource> {
  if (config.source && config.source !== 'auto') return config.source;
  if (ctx.platform === 'win32') return 'windows';
  if (config.authLog) return 'authlog';
  if (config.journalDirectory || (await ctx.exists('/var/log/journal')) || (await ctx.exists('/run/log/journal'))) return 'journald';
  return 'authlog';
}

/** sshd's entries since `since`. */
async function collectJournal(ctx: LoginsContext, config: Pick<LoginsCheckConfig, 'journalDirectory'>, since: EpochMs): Promise<LoginEvent[]> {
  try {
    return parseJournalJson(await journalJson(ctx, config.journalDirectory, ['--output-fields=MESSAGE', '--since', `@${Math.floor(since / 1000)}`, ...SSHD_IDENTIFIERS]));
  } catch (error) {
    if (error instanceof JournalError) throw new LoginsProbeError(error.message);
    throw error;
  }
}

async function collectAuthLog(ctx: LoginsContext, config: Pick<LoginsCheckConfig, 'authLog'>, now: EpochMs): Promise<LoginEvent[]> {
  let path = config.authLog;
  if (!path) {
    for (const candidate of AUTH_LOGS) if (await ctx.exists(candidate)) path = candidate;
  }
  if (!path) throw new LoginsProbeError(`no auth log found (looked for ${AUTH_LOGS.join(', ')}) and no journal directory`);
  let text: string;
  try {
    text = await ctx.readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LoginsProbeError(`cannot read ${path}: ${code === 'EACCES' ? 'permission denied (the agent needs root or the adm group)' : (error as Error).message}`);
  }
  return parseAuthLog(text, now, ctx.utcOffsetMinutes(now));
}

/** The Security log's logons since a time; the time is passed as UTC ticks so no date text is parsed. */
export function windowsLogonScript(since: EpochMs): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$since = [DateTime]::SpecifyKind([DateTime]::new(${BigInt(since) * 10_000n + 621_355_968_000_000_000n}), 'Utc').ToLocalTime()`,
    "try { $events = @(Get-WinEvent -MaxEvents " + WINDOWS_MAX_EVENTS + " -FilterHashtable @{ LogName = 'Security'; Id = 4624, 4625; StartTime = $since }) }",
    "catch { if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { $events = @() } else { throw } }",
    "ConvertTo-Json -Compress -InputObject @($events | ForEach-Object { $d = @{}; foreach ($n in ([xml]$_.ToXml()).Event.EventData.Data) { $d[$n.Name] = $n.'#text' }; [pscustomobject]@{ Id = $_.Id; Time = $_.TimeCreated.ToUniversalTime().ToString('o'); User = $d['TargetUserName']; Source = $d['IpAddress']; LogonType = $d['LogonType'] } })",
  ].join('; ');
}

export async function collectLogins(ctx: LoginsContext, config: Partial<LoginsCheckConfig>, since: EpochMs, now: EpochMs): Promise<{ source: LoginsSource; events: LoginEvent[] }> {
  const source = await loginsSource(ctx, config);
  if (source === 'journald') return { source, events: await collectJournal(ctx, config, since) };
  if (source === 'authlog') return { source, events: await collectAuthLog(ctx, config, now) };
  try {
    return { source, events: parseWindowsLogons(await powershellJson(ctx, windowsLogonScript(since))) };
  } catch (error) {
    if (error instanceof PowerShellError) {
      const hint = /unauthorized|Zugriff|access is denied/i.test(error.message) ? ' (reading the Security log needs an administrator or the Event Log Readers group)' : '';
      throw new LoginsProbeError(`Get-WinEvent Security: ${error.message}${hint}`);
    }
    throw error;
  }
}

function statePath(stateDir: string, checkId: string): string {
  return join(stateDir, 'logins', `${checkId}.json`);
}

/** The sources learnt so far, or undefined before the first run (then the run learns the baseline). */
export async function readKnownSources(stateDir: string, checkId: string): Promise<KnownSources | undefined> {
  let text: string;
  try {
    text = await readFile(statePath(stateDir, checkId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const data = JSON.parse(text) as unknown;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new LoginsProbeError(`${statePath(stateDir, checkId)} is not a sources map`);
  return data as KnownSources;
}

export async function writeKnownSources(stateDir: string, checkId: string, known: KnownSources): Promise<void> {
  const path = statePath(stateDir, checkId);
  await mkdir(join(stateDir, 'logins'), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(known));
  await rename(`${path}.tmp`, path);
}
