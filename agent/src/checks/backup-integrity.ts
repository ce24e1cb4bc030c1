import { hostname } from 'node:os';
import {
  BACKUP_INTEGRITY_DEFAULT_EVERY_MS, BACKUP_INTEGRITY_INTERVAL_MS, BACKUP_INTEGRITY_TIMEOUT_MS, DEFAULT_RESTIC_READ_DATA_SUBSETS, coded, parseDuration,
  type BackupIntegrityCheckConfig,
} from '@nines/shared';
import { errorMessage, type CheckContext, type CheckDefinition, type CheckOutcome } from './check.ts';
import { BackupProbeError } from '../probes/backup/probe.ts';
import { integrityDue, lastSlotAt, slotOffsetMs } from '../probes/backup-integrity/schedule.ts';
import { readIntegrityState, writeIntegrityState, type IntegrityState } from '../probes/backup-integrity/state.ts';
import { evaluateIntegrity } from '../probes/backup-integrity/evaluate.ts';
import type { IntegrityVerdict } from '../probes/backup-integrity/verdict.ts';
import { collectResticCheck } from '../probes/backup-integrity/restic/collect.ts';
import { parseResticCheck } from '../probes/backup-integrity/restic/parse.ts';
import { collectBorgCheck } from '../probes/backup-integrity/borg/collect.ts';
import { parseBorgCheck } from '../probes/backup-integrity/borg/parse.ts';

/**
 * Reads a repository back once per period, in this machine's own slot; at every interval in between it
 * reports the last run's outcome from state (saying when that was), so the result stays current without
 * re-reading the repository. A run that did not complete is retried at the next interval.
 */
export async function runIntegrityCheck(config: BackupIntegrityCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const periodMs = config.every === undefined ? BACKUP_INTEGRITY_DEFAULT_EVERY_MS : parseDuration(config.every);
  const offsetMs = slotOffsetMs(ctx.agentId ?? hostname(), config.id, periodMs);
  const now = ctx.clock();
  const nextAt = lastSlotAt(now, offsetMs, periodMs) + periodMs;
  const where = { tool: config.tool, repository: config.repository };
  const key = `${config.tool} ${config.repository}`;
  try {
    const state = await readIntegrityState(ctx.stateDir, config.id, key);
    if (state && !integrityDue(state.checkedAt, now, offsetMs, periodMs)) {
      return evaluateIntegrity(state.verdict, { ...where, checkedAt: state.checkedAt, nextAt, earlier: true, ...(state.subset && { subset: state.subset }) }, now);
    }
    let verdict: IntegrityVerdict;
    const next: Omit<IntegrityState, 'verdict'> = { key, checkedAt: now };
    if (config.tool === 'restic') {
      const total = config.readDataSubsets ?? DEFAULT_RESTIC_READ_DATA_SUBSETS;
      // The part after the last one read; after a change of readDataSubsets the count starts over.
      const n = state?.nextSubset !== undefined && state.nextSubset <= total && state.subset?.endsWith(`/${total}`) ? state.nextSubset : 1;
      verdict = parseResticCheck(await collectResticCheck(config, n, total, ctx), config.repository);
      next.subset = `${n}/${total}`;
      next.nextSubset = (n % total) + 1;
    } else {
      const { result, passphraseGiven } = await collectBorgCheck(config, ctx);
      verdict = parseBorgCheck(result, config.repository, passphraseGiven);
    }
    if (verdict.state !== 'failed') await writeIntegrityState(ctx.stateDir, config.id, { ...next, verdict });
    return evaluateIntegrity(verdict, { ...where, checkedAt: now, nextAt, earlier: false, ...(next.subset && { subset: next.subset }) }, ctx.clock());
  } catch (error) {
    // A secret that cannot be read, a state directory that cannot be written: the check did not run.
    if (!(error instanceof BackupProbeError) && !(error as NodeJS.ErrnoException).code) throw error;
    return { status: 'UNKNOWN', ...coded('integrity.probe_failed', { ...where, error: errorMessage(error) }) };
  }
}

export const backupIntegrity = {
  kind: 'backup-integrity',
  defaultIntervalMs: BACKUP_INTEGRITY_INTERVAL_MS,
  defaultTimeoutMs: BACKUP_INTEGRITY_TIMEOUT_MS,
  run: (config, ctx) => runIntegrityCheck(config, ctx),
} satisfies CheckDefinition<'backup-integrity'>;
