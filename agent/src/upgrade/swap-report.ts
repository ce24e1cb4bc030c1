import type { SwapOutcome } from './swap.ts';
import { UpgradeError, UpgradeErrors } from './errors.ts';

/** A swap that ran: the new build is in, or it was rolled back, or even the rollback failed. */
export interface SwapResult {
  outcome: 'upgraded' | 'rolled-back' | 'rollback-failed';
  version: string;
  swap: SwapOutcome;
}

/**
 * How `upgrade` and `upgrade --apply-request` end after a swap: 0 with a line when the new build is in, and a
 * coded error when it was rolled back (or the rollback failed), so the service manager and the log say why.
 */
export function reportSwap(result: SwapResult, say: (line: string) => void): number {
  switch (result.outcome) {
    case 'upgraded':
      say(`upgraded to ${result.version}`);
      return 0;
    case 'rolled-back':
      throw new UpgradeError(UpgradeErrors.ROLLED_BACK, `${result.version} was rolled back: ${result.swap.reason}`);
    case 'rollback-failed':
      throw new UpgradeError(UpgradeErrors.ROLLBACK_FAILED, `upgrade to ${result.version} failed and so did the rollback: ${result.swap.reason}`);
  }
}
