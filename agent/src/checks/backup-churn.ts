import { BACKUP_CHURN_INTERVAL_MS, BACKUP_CHURN_TIMEOUT_MS, coded, type BackupChurnCheckConfig } from '@nines/shared';
import { errorMessage, type CheckContext, type CheckDefinition, type CheckOutcome } from './check.ts';
import { BackupProbeError } from '../probes/backup/probe.ts';
import { collectResticChurn } from '../probes/backup-churn/restic/collect.ts';
import { collectBorgChurn } from '../probes/backup-churn/borg/collect.ts';
import { evaluateChurn } from '../probes/backup-churn/evaluate.ts';

/**
 * Compares the newest snapshot with the ones before it: mass encryption shows up as far more changed files
 * (or new data) than usual, mass deletion as a file count or size that falls. Any failure to read the
 * repository is UNKNOWN here — whether a backup exists at all is the `backup` check's verdict.
 */
export async function runChurnCheck(config: BackupChurnCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  try {
    const points = config.tool === 'restic' ? await collectResticChurn(config, ctx) : await collectBorgChurn(config, ctx);
    return evaluateChurn(points, config);
  } catch (error) {
    if (!(error instanceof BackupProbeError) && !(error as NodeJS.ErrnoException).code) throw error;
    return { status: 'UNKNOWN', ...coded('churn.probe_failed', { tool: config.tool, repository: config.repository, error: errorMessage(error) }) };
  }
}

export const backupChurn = {
  kind: 'backup-churn',
  defaultIntervalMs: BACKUP_CHURN_INTERVAL_MS,
  defaultTimeoutMs: BACKUP_CHURN_TIMEOUT_MS,
  run: (config, ctx) => runChurnCheck(config, ctx),
} satisfies CheckDefinition<'backup-churn'>;
