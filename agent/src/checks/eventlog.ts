import { coded, EVENTLOG_DEFAULT_INTERVAL_MS, type EventlogCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { collectEvents } from '../probes/eventlog/collect.ts';
import { evaluateEvents, eventSubject, eventWindowMs } from '../probes/eventlog/evaluate.ts';
import { EventlogProbeError } from '../probes/eventlog/parse.ts';
import { matchingMessages, PATTERN_BUDGET_MS, PatternError } from '../probes/eventlog/match.ts';

export async function runEventlogCheck(config: EventlogCheckConfig, ctx: CheckContext, platform: NodeJS.Platform = process.platform): Promise<CheckOutcome> {
  const fail = (error: string): CheckOutcome => ({ status: 'UNKNOWN', ...coded('eventlog.probe_failed', { subject: eventSubject(config), error }) });
  if (config.pattern) {
    try {
      new RegExp(config.pattern, 'i');
    } catch (error) {
      return fail(`pattern: ${(error as Error).message}`); // before reading the log: nothing could be counted
    }
  }
  const now = ctx.clock();
  try {
    const events = await collectEvents({ exec: ctx.exec, signal: ctx.signal, timeoutMs: ctx.timeoutMs, platform }, config, now - eventWindowMs(config));
    if (!config.pattern) return evaluateEvents(events, config, now);
    const matching = await matchingMessages(config.pattern, events.map((e) => e.message), { budgetMs: Math.min(PATTERN_BUDGET_MS, ctx.timeoutMs), signal: ctx.signal });
    return evaluateEvents(events, config, now, (message) => matching.has(message));
  } catch (error) {
    if (error instanceof PatternError) return fail(error.message);
    if (!(error instanceof EventlogProbeError)) throw error;
    return { status: 'UNKNOWN', ...coded('eventlog.probe_failed', { subject: eventSubject(config), error: error.message }) };
  }
}

export const eventlog = {
  kind: 'eventlog',
  defaultIntervalMs: EVENTLOG_DEFAULT_INTERVAL_MS,
  run: (config, ctx) => runEventlogCheck(config, ctx),
} satisfies CheckDefinition<'eventlog'>;
