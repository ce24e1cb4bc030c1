import type { CheckConfig } from '@nines/shared';

/**
 * Checks every machine gets without configuring them, unless one of the same kind is configured.
 * (Patch status joins here once its probe lands.)
 */
export async function autoDetectedChecks(configured: readonly CheckConfig[]): Promise<CheckConfig[]> {
  void configured;
  return [];
}
