import type { BackupConfigOf, EpochMs } from '@nines/shared';
import type { CheckOutcome } from '../../../checks/check.ts';
import { evaluateFreshness, freshnessPolicy, type BackupFacts } from '../freshness.ts';
import type { BorgArchive } from './parse.ts';

/** `archives` oldest first, as borg lists them; with borg info the last two carry sizes. */
export function evaluateBorg(archives: readonly BorgArchive[], config: BackupConfigOf<'borg'>, now: EpochMs): CheckOutcome {
  // borg lists oldest first; reversed before a stable sort, archives of the same second keep borg's order.
  const sorted = [...archives].reverse().sort((a, b) => b.timeMs - a.timeMs);
  const [latest, previous] = sorted;
  const facts: BackupFacts = {
    subject: latest ? `borg archive ${latest.name}` : `borg repository ${config.repository}${config.glob ? ` (archives ${config.glob})` : ''}`,
  };
  if (latest) {
    facts.lastBackupAt = latest.timeMs;
    facts.details = { archive: latest.name, archiveId: latest.id, time: latest.time };
    if (latest.originalSizeBytes !== undefined) facts.sizeBytes = latest.originalSizeBytes;
    if (previous?.originalSizeBytes !== undefined) facts.previousSizeBytes = previous.originalSizeBytes;
    if (latest.files !== undefined) facts.metrics = { files: latest.files };
    if (latest.durationS !== undefined) facts.metrics = { ...facts.metrics, duration_s: Math.round(latest.durationS) };
  }
  return evaluateFreshness(facts, freshnessPolicy(config), now);
}
