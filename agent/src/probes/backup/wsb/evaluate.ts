import type { BackupConfigOf, EpochMs } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy, type BackupFacts } from '../freshness.ts';
import type { WbSummary } from './parse.ts';

export function hresult(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** The last successful backup's age counts; a last attempt that failed after it is CRIT. */
export function evaluateWsb(summary: WbSummary, config: BackupConfigOf<'wsb'>, now: EpochMs): CheckOutcome {
  const facts: BackupFacts = {
    subject: 'Windows Server Backup',
    problems: [],
    metrics: { versions: summary.versions },
    details: { target: summary.target, lastResult: hresult(summary.lastResult) },
  };
  if (summary.lastSuccessAt !== undefined) facts.lastBackupAt = summary.lastSuccessAt;
  const failed = summary.lastResult !== 0 || summary.lastDetailedResult !== 0;
  if (failed && summary.lastBackupAt !== undefined) {
    const code = hresult(summary.lastDetailedResult || summary.lastResult);
    facts.problems!.push({ status: 'CRIT', reason: `the last backup failed (${code}${summary.message ? `: ${summary.message}` : ''})` });
  }
  return evaluateFreshness(facts, freshnessPolicy(config), now);
}
