import type { CheckConfig } from '@nines/shared';
import { autoPatchCheck } from './probes/patch/index.ts';

/**
 * Checks every machine gets without configuring them: patch status, unless a check of the same kind
 * is configured (then that one, with its thresholds, is the machine's patch check).
 */
export async function autoDetectedChecks(configured: readonly CheckConfig[]): Promise<CheckConfig[]> {
  const auto: CheckConfig[] = [autoPatchCheck()];
  return auto.filter((check) => !configured.some((c) => c.kind === check.kind));
}
