import type { BackupConfigOf, EpochMs } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy, type BackupFacts } from '../freshness.ts';
import type { VeeamSession } from './parse.ts';

/** A session with its times read in this machine's zone. */
export interface TimedVeeamSession extends VeeamSession {
  startedMs: EpochMs;
  finishedMs?: EpochMs;
}

/**
 * Backup sessions of the job (or of every job): the newest Success or Warning is the last backup;
 * a newer Failed session is CRIT; a Warning as the last backup is WARN.
 */
export function evaluateVeeam(sessions: readonly TimedVeeamSession[], config: BackupConfigOf<'veeam'>, now: EpochMs): CheckOutcome {
  const backups = sessions
    .filter((s) => s.type.toLowerCase() === 'backup' && (config.job === undefined || s.job === config.job))
    .sort((a, b) => b.startedMs - a.startedMs);
  const lastGood = backups.find((s) => s.state === 'Success' || s.state === 'Warning');
  const lastFinished = backups.find((s) => s.state !== 'Running');
  const facts: BackupFacts = { subject: `Veeam job ${config.job ?? '(any)'}`, problems: [], metrics: { sessions: backups.length } };
  if (lastGood) {
    facts.subject = `Veeam job ${lastGood.job}: last backup`;
    facts.lastBackupAt = lastGood.finishedMs ?? lastGood.startedMs;
    facts.details = { sessionId: lastGood.id, state: lastGood.state };
    if (lastGood.state === 'Warning') facts.problems!.push({ status: 'WARN', reason: 'it finished with warnings (veeamconfig session log --id …)' });
  }
  if (lastFinished && lastFinished !== lastGood && lastFinished.state !== 'Success' && lastFinished.state !== 'Warning') {
    facts.problems!.push({ status: 'CRIT', reason: `the last session ${lastFinished.id} ended ${lastFinished.state}` });
  }
  return evaluateFreshness(facts, freshnessPolicy(config), now);
}
