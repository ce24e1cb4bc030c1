import type { BackupConfigOf, EpochMs } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy, type BackupFacts } from '../freshness.ts';
import type { ResticSnapshot } from './parse.ts';

export interface ResticObservation {
  /** Newest first, already filtered by host, tags and paths. */
  snapshots: ResticSnapshot[];
  latestSizeBytes?: number;
  previousSizeBytes?: number;
}

export function evaluateRestic(observed: ResticObservation, config: BackupConfigOf<'restic'>, now: EpochMs): CheckOutcome {
  const latest = observed.snapshots[0];
  const filter = [config.host && `host ${config.host}`, config.tags && `tags ${config.tags.join(',')}`, config.paths && `paths ${config.paths.join(',')}`]
    .filter(Boolean)
    .join(', ');
  const facts: BackupFacts = {
    subject: latest
      ? `restic snapshot ${latest.shortId} of ${latest.hostname}`
      : `restic repository ${config.repository}${filter ? ` (${filter})` : ''}`,
    metrics: { snapshots: observed.snapshots.length },
  };
  if (latest) {
    facts.lastBackupAt = latest.timeMs;
    facts.details = { snapshotId: latest.id, time: latest.time, hostname: latest.hostname, paths: latest.paths, tags: latest.tags };
  }
  if (observed.latestSizeBytes !== undefined) facts.sizeBytes = observed.latestSizeBytes;
  if (observed.previousSizeBytes !== undefined) facts.previousSizeBytes = observed.previousSizeBytes;
  return evaluateFreshness(facts, freshnessPolicy(config), now);
}
