import type { EpochMs, EventlogCheckConfig } from '@nines/shared';
import type { CheckContext } from '../../checks/check.ts';
import { journalJson, JournalError } from '../journal.ts';
import { powershellJson, PowerShellError } from '../powershell.ts';
import { EventlogProbeError, parseJournalEvents, parseWindowsEvents, type LogEvent } from './parse.ts';

const WINDOWS_LEVELS = { critical: [1], error: [1, 2], warning: [1, 2, 3], info: [1, 2, 3, 4, 0] } as const;
const JOURNAL_PRIORITY = { critical: 'crit', error: 'err', warning: 'warning', info: 'info' } as const;
const MAX_EVENTS = 5_000; // counting more than this says nothing new and would only cost time

/** PowerShell single-quoted string: doubled quotes, nothing expands. */
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function windowsEventScript(config: Partial<EventlogCheckConfig>, since: EpochMs): string {
  const ticks = BigInt(since) * 10_000n + 621_355_968_000_000_000n;
  const filter = [`LogName = ${quote(config.log ?? 'System')}`, `StartTime = $since`];
  if (config.provider) filter.push(`ProviderName = ${quote(config.provider)}`);
  if (config.ids) filter.push(`Id = ${config.ids.join(', ')}`);
  if (config.level) filter.push(`Level = ${WINDOWS_LEVELS[config.level].join(', ')}`);
  return [
    "$ErrorActionPreference = 'Stop'",
    `$since = [DateTime]::SpecifyKind([DateTime]::new(${ticks}), 'Utc').ToLocalTime()`,
    `try { $events = @(Get-WinEvent -MaxEvents ${MAX_EVENTS} -FilterHashtable @{ ${filter.join('; ')} }) } catch { if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { $events = @() } else { throw } }`,
    "ConvertTo-Json -Compress -InputObject @($events | ForEach-Object { [pscustomobject]@{ Id = $_.Id; Provider = $_.ProviderName; Time = $_.TimeCreated.ToUniversalTime().ToString('o'); Message = [string]$_.Message } })",
  ].join('; ');
}

export function journalFilters(config: Partial<EventlogCheckConfig>, since: EpochMs): string[] {
  const args = ['--output-fields=MESSAGE,SYSLOG_IDENTIFIER,_SYSTEMD_UNIT', '--since', `@${Math.floor(since / 1000)}`];
  if (config.unit) args.push('-u', config.unit);
  if (config.identifier) args.push('-t', config.identifier);
  if (config.level) args.push('-p', JOURNAL_PRIORITY[config.level]);
  return args;
}

export async function collectEvents(ctx: Pick<CheckContext, 'exec' | 'signal' | 'timeoutMs'> & { platform: NodeJS.Platform }, config: Partial<EventlogCheckConfig>, since: EpochMs): Promise<LogEvent[]> {
  const source = config.source && config.source !== 'auto' ? config.source : ctx.platform === 'win32' ? 'windows' : 'journald';
  try {
    if (source === 'journald') return parseJournalEvents(await journalJson(ctx, config.journalDirectory, journalFilters(config, since)));
    return parseWindowsEvents(await powershellJson(ctx, windowsEventScript(config, since)));
  } catch (error) {
    if (error instanceof JournalError) throw new EventlogProbeError(error.message);
    if (error instanceof PowerShellError) throw new EventlogProbeError(`Get-WinEvent: ${error.message}`);
    throw error;
  }
}
