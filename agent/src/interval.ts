import { parseDuration, MIN_INTERVAL_MS, DEFAULT_INTERVAL_MS, type CheckConfig } from '@nines/shared';
import { checkDefinition } from './checks/index.ts';

/**
 * The interval a check runs at: its own, else its kind's default, never below the minimum. The scheduler
 * runs it at this interval and every result carries it, so the collector knows how long the result counts.
 */
export function effectiveInterval(config: CheckConfig): number {
  const own = config.interval === undefined ? undefined : parseDuration(config.interval);
  const fallback = checkDefinition(config.kind).defaultIntervalMs ?? DEFAULT_INTERVAL_MS;
  return Math.max(MIN_INTERVAL_MS, own ?? fallback);
}
