import { BACKUP_CHECK_INTERVAL_MS, withCode } from '@nines/shared';
import { errorMessage, type CheckDefinition, type CheckOutcome } from './check.ts';
import { backupProbe } from '../probes/backup/index.ts';
import { BackupProbeError } from '../probes/backup/probe.ts';

/** One check kind for every backup tool: the config's `tool` picks the probe. */
export const backup = {
  kind: 'backup',
  defaultIntervalMs: BACKUP_CHECK_INTERVAL_MS,
  async run(config, ctx): Promise<CheckOutcome> {
    try {
      return await backupProbe(config.tool).check(config as never, ctx);
    } catch (error) {
      // A probe's own failure texts (borg/restic exit reasons) are tool-specific and stay English inside the code's sentence.
      if (error instanceof BackupProbeError) {
        return { status: error.status, message: error.message, ...(error.coded ?? withCode('backup.probe_failed', { tool: config.tool, error: error.message })) };
      }
      return { status: 'UNKNOWN', message: `${config.tool} backup probe failed: ${errorMessage(error)}`, ...withCode('backup.probe_failed', { tool: config.tool, error: errorMessage(error) }) };
    }
  },
} satisfies CheckDefinition<'backup'>;
