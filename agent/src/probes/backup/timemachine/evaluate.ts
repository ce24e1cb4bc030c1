import type { BackupConfigOf, EpochMs } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy } from '../freshness.ts';
import type { TimeMachineLatest } from './parse.ts';

/** `at` is the backup's time as epoch ms (its wall clock read in the Mac's zone). */
export function evaluateTimeMachine(latest: (TimeMachineLatest & { at: EpochMs }) | null, config: BackupConfigOf<'timemachine'>, now: EpochMs): CheckOutcome {
  if (!latest) return evaluateFreshness({ subject: 'Time Machine' }, freshnessPolicy(config), now);
  return evaluateFreshness({ subject: 'Time Machine backup', lastBackupAt: latest.at, details: { path: latest.path } }, freshnessPolicy(config), now);
}
