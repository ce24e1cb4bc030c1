import { coded, EVENTLOG_DEFAULT_WINDOW_MS, parseDuration, type EpochMs, type EventlogCheckConfig } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import { thresholdStatus } from '../../checks/check.ts';
import type { LogEvent } from './parse.ts';

export function eventWindowMs(config: Pick<EventlogCheckConfig, 'window'>): number {
  return config.window === undefined ? EVENTLOG_DEFAULT_WINDOW_MS : parseDuration(config.window);
}

/** What the config watches, in its own terms: "System disk 7, 11", "unit backup.service". */
export function eventSubject(config: Partial<EventlogCheckConfig>): string {
  const parts = [config.log ?? (config.unit || config.identifier ? undefined : config.source === 'journald' ? 'journal' : undefined), config.provider, config.ids?.join(', '), config.unit && `unit ${config.unit}`, config.identifier && `identifier ${config.identifier}`, config.pattern && `/${config.pattern}/`];
  return parts.filter(Boolean).join(' ') || 'all events';
}

/** The config's pattern as a test on this thread: for tests and trusted patterns (the check matches in a worker, match.ts). */
export function patternTest(config: Pick<EventlogCheckConfig, 'pattern'>): (message: string) => boolean {
  const pattern = config.pattern ? new RegExp(config.pattern, 'i') : undefined;
  return (message) => !pattern || pattern.test(message);
}

/**
 * Counts matching events in the window against warnCount (default 1) and critCount. `matches` says whether a
 * message matches the pattern; by default the pattern is run here (an invalid one throws).
 */
export function evaluateEvents(events: readonly LogEvent[], config: Partial<EventlogCheckConfig>, now: EpochMs, matches: (message: string) => boolean = patternTest(config)): CheckOutcome {
  const window = eventWindowMs(config);
  const matched = events.filter((e) => e.at > now - window && matches(e.message)).sort((a, b) => b.at - a.at);
  const warn = config.warnCount ?? 1;
  const status = thresholdStatus(matched.length, warn, config.critCount);
  const latest = matched[0];
  return {
    status,
    metrics: { events: matched.length },
    // messages cut: a Windows event text can run to pages, and details travel in every result
    details: { latest: matched.slice(0, 10).map((e) => ({ ...e, message: e.message.slice(0, 500) })) },
    ...coded('eventlog.matches', {
      subject: eventSubject(config),
      count: matched.length,
      windowMs: window,
      limit: status === 'CRIT' ? config.critCount : status === 'WARN' ? warn : undefined,
      latest: latest ? `${latest.origin}: ${latest.message.replace(/\s+/g, ' ').trim()}`.slice(0, 160) : undefined,
      latestAt: latest?.at,
    }),
  };
}
