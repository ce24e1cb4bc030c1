import { coded, EVENTLOG_DEFAULT_INTERVAL_MS, type EventlogCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { collectEvents } from '../probes/eventlog/collect.ts';
import { evaluateEvents, eventSubject, eventWindowMs } from '../probes/eventlog/evaluate.ts';
import { EventlogProbeError } from '../probes/eventlog/parse.ts';

export async function runEventlogCheck(config: EventlogCheckConfig, ctx: CheckContext, platform: NodeJS.Platform = process.platform): Promise<CheckOutcome> {
  if (config.pattern) {
    try {
      new RegExp(config.pattern, 'i');
    } catch (error) {
      return { status: 'UNKNOWN', ...coded('eventlog.probe_failed', { subject: eventSubject(config), error: `pattern: ${(error as Error).message}` }) };
    }
  }
  const now = ctx.clock();
  try {
    const events = await collectEvents({ exec: ctx.exec, signal: ctx.signal, timeoutMs: ctx.timeoutMs, platform }, config, now - eventWindowMs(config));
    return evaluateEvents(events, config, now);
  } catch (error) {
    if (!(error instanceof EventlogProbeError)) throw error;
    return { status: 'UNKNOWN', ...coded('eventlog.probe_failed', { subject: eventSubject(config), error: error.message }) };
  }
}

export const eventlog = {
  kind: 'eventlog',
  defaultIntervalMs: EVENTLOG_DEFAULT_INTERVAL_MS,
  run: (config, ctx) => runEventlogCheck(config, ctx),
} satisfies CheckDefinition<'eventlog'>;
