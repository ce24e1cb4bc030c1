import { humanDuration, parseDuration, type BackupConfigOf, type EpochMs, type Status } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy, type BackupFacts } from '../freshness.ts';
import type { HeartbeatEvent } from './parse.ts';

/**
 * A job's reports, oldest first: the last success is the backup whose age counts; a later fail is CRIT;
 * a start without a finish is fine while it runs and CRIT once it ran longer than `maxRunTime`
 * (default: the job's interval, since by then the next run is due).
 */
export function evaluateHeartbeat(events: readonly HeartbeatEvent[], config: BackupConfigOf<'heartbeat'>, now: EpochMs): CheckOutcome {
  const policy = freshnessPolicy(config);
  const successes = events.filter((e) => e.type === 'success');
  const lastSuccess = successes.at(-1);
  const lastFinish = events.findLast((e) => e.type !== 'start');
  const lastStart = events.findLast((e) => e.type === 'start');
  const problems: { status: Status; reason: string }[] = [];
  const facts: BackupFacts = { subject: `backup job ${config.job}`, problems, details: { job: config.job } };
  if (events.length === 0) facts.subject = `backup job ${config.job} (no report received yet)`;

  if (lastSuccess) {
    facts.subject = `backup job ${config.job}: last success`;
    facts.lastBackupAt = lastSuccess.at;
    if (lastSuccess.sizeBytes !== undefined) facts.sizeBytes = lastSuccess.sizeBytes;
    const previousSize = successes.at(-2)?.sizeBytes;
    if (previousSize !== undefined) facts.previousSizeBytes = previousSize;
    if (lastSuccess.durationMs !== undefined) {
      facts.metrics = { duration_s: Math.round(lastSuccess.durationMs / 1000) };
      const minRunMs = config.minRunTime === undefined ? undefined : parseDuration(config.minRunTime);
      if (minRunMs !== undefined && lastSuccess.durationMs < minRunMs) {
        problems.push({ status: 'WARN', reason: `its run took only ${humanDuration(lastSuccess.durationMs)} (expected at least ${humanDuration(minRunMs)})` });
      }
    }
    if (lastSuccess.exitCode !== undefined && lastSuccess.exitCode !== 0) {
      problems.push({ status: 'WARN', reason: `it reported success with exit code ${lastSuccess.exitCode}` });
    }
  }
  if (lastFinish?.type === 'fail') {
    const code = lastFinish.exitCode === undefined ? '' : ` with exit code ${lastFinish.exitCode}`;
    problems.push({ status: 'CRIT', reason: `the last run failed${code} ${humanDuration(now - lastFinish.at)} ago` });
    facts.details!.lastFailureAt = lastFinish.at;
  }
  if (lastStart && (!lastFinish || lastStart.at > lastFinish.at)) {
    const runningMs = now - lastStart.at;
    const maxRunMs = config.maxRunTime === undefined ? policy.everyMs : parseDuration(config.maxRunTime);
    facts.details!.runningSince = lastStart.at;
    if (runningMs > maxRunMs) {
      problems.push({ status: 'CRIT', reason: `a run started ${humanDuration(runningMs)} ago and never finished (limit ${humanDuration(maxRunMs)})` });
    } else {
      facts.subject += ` (a run is in progress for ${humanDuration(runningMs)})`;
    }
  }
  return evaluateFreshness(facts, policy, now);
}
