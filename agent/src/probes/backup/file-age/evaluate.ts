import type { BackupConfigOf, EpochMs } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy, type BackupFacts } from '../freshness.ts';
import type { FileEntry } from './collect.ts';

/** Judges the newest of the matching files (sorted newest first); the one before it is the size baseline. */
export function evaluateFileAge(matching: readonly FileEntry[], config: BackupConfigOf<'file-age'>, now: EpochMs): CheckOutcome {
  const pattern = config.pattern ?? '*';
  const newest = matching[0];
  const facts: BackupFacts = {
    subject: newest ? `${newest.relativePath} in ${config.path}` : `${config.path} (${pattern})`,
    metrics: { count: matching.length },
    details: { pattern, count: matching.length },
    problems: [],
  };
  if (newest) {
    facts.lastBackupAt = newest.mtimeMs;
    facts.sizeBytes = newest.sizeBytes;
    facts.details!.file = newest.relativePath;
    const previous = matching[1];
    if (previous) facts.previousSizeBytes = previous.sizeBytes;
  }
  if (config.minCount !== undefined && matching.length > 0 && matching.length < config.minCount) {
    facts.problems!.push({ status: 'WARN', reason: `only ${matching.length} matching files, expected at least ${config.minCount}` });
  }
  return evaluateFreshness(facts, freshnessPolicy(config), now);
}
