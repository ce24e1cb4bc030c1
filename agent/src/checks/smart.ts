import { coded, SMART_DEFAULT_INTERVAL_MS, SMART_DEFAULT_TIMEOUT_MS, type SmartCheckConfig } from '@nines/shared';
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.ts';
import { collectSmart } from '../probes/smart/collect.ts';
import { evaluateSmart } from '../probes/smart/evaluate.ts';
import { SmartProbeError } from '../probes/smart/parse.ts';

/** Reads every disk with smartctl and judges them together; a probe that fails is UNKNOWN with its reason. */
export async function runSmartCheck(config: SmartCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  try {
    return evaluateSmart(await collectSmart(ctx, config), config);
  } catch (error) {
    if (!(error instanceof SmartProbeError)) throw error;
    return { status: 'UNKNOWN', ...coded('smart.probe_failed', { error: error.message }) };
  }
}

export const smart = {
  kind: 'smart',
  defaultIntervalMs: SMART_DEFAULT_INTERVAL_MS,
  defaultTimeoutMs: SMART_DEFAULT_TIMEOUT_MS,
  run: (config, ctx) => runSmartCheck(config, ctx),
} satisfies CheckDefinition<'smart'>;
