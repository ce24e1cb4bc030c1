/** Event entries from journald JSON and the Windows script. Pure. */
import type { EpochMs } from '@nines/shared';
import { asList, powershellDate } from '../powershell.ts';

export class EventlogProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventlogProbeError';
  }
}

export interface LogEvent {
  at: EpochMs;
  message: string;
  /** Windows event id, or the journal's syslog identifier / unit. */
  origin: string;
}

export function parseJournalEvents(stdout: string): LogEvent[] {
  return stdout.split('\n').filter((l) => l.trim()).map((line) => {
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new EventlogProbeError(`journalctl printed a line that is not JSON: "${line.slice(0, 120)}"`);
    }
    const message = typeof e.MESSAGE === 'string' ? e.MESSAGE : Array.isArray(e.MESSAGE) ? Buffer.from(e.MESSAGE as number[]).toString('latin1') : '';
    const origin = typeof e.SYSLOG_IDENTIFIER === 'string' ? e.SYSLOG_IDENTIFIER : typeof e._SYSTEMD_UNIT === 'string' ? e._SYSTEMD_UNIT : '';
    return { at: Math.floor(Number(e.__REALTIME_TIMESTAMP) / 1000), message, origin };
  });
}

/** The Windows script's JSON: [{Id, Provider, Time (ISO UTC), Message}]. */
export function parseWindowsEvents(value: unknown): LogEvent[] {
  return asList(value).map((raw) => {
    const e = raw as { Id?: unknown; Provider?: unknown; Time?: unknown; Message?: unknown };
    const at = powershellDate(e.Time) ?? NaN; // ISO from our script; "/Date(ms)/" if ConvertTo-Json got the DateTime itself
    if (!Number.isFinite(at)) throw new EventlogProbeError(`Windows event without a readable time: ${JSON.stringify(raw).slice(0, 120)}`);
    return { at, message: typeof e.Message === 'string' ? e.Message : '', origin: `${typeof e.Provider === 'string' ? e.Provider : '?'} ${String(e.Id ?? '?')}` };
  });
}
