import { BACKUP_CHURN_DEFAULTS, coded, type BackupChurnCheckConfig, type ResultMessageParams } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import type { ChurnPoint } from './point.ts';

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const defined = (values: (number | undefined)[]): number[] => values.filter((v): v is number => v !== undefined);

/**
 * The newest snapshot against the ones before it (`points` newest first). "Usual" is their median, so one odd
 * night among them does not move it. WARN when the file count or size fell more than maxDropPercent below
 * usual, or far more changed than usual (restic: files changed, added or removed; borg: new data) — above
 * the floor, so a job that usually changes 3 files may change 40.
 */
export function evaluateChurn(points: readonly ChurnPoint[], config: BackupChurnCheckConfig): CheckOutcome {
  const [newest, ...before] = points;
  if (!newest) return { status: 'UNKNOWN', ...coded('churn.probe_failed', { tool: config.tool, repository: config.repository, error: 'no snapshot to compare' }) };
  const maxDrop = config.maxDropPercent ?? BACKUP_CHURN_DEFAULTS.maxDropPercent;
  const factor = config.changeFactor ?? BACKUP_CHURN_DEFAULTS.changeFactor;
  const p: ResultMessageParams['churn.state'] = { tool: config.tool, snapshot: newest.name, compared: before.length, host: newest.host, files: newest.files, sizeBytes: newest.sizeBytes };
  const metrics: Record<string, number> = {};
  if (newest.files !== undefined) metrics.files = newest.files;
  if (newest.sizeBytes !== undefined) metrics.size_bytes = newest.sizeBytes;

  const usualFiles = median(defined(before.map((b) => b.files)));
  if (newest.files !== undefined && usualFiles !== undefined && usualFiles > 0) {
    const drop = Math.round((1 - newest.files / usualFiles) * 100);
    if (drop > maxDrop) Object.assign(p, { filesDropPercent: drop, usualFiles: Math.round(usualFiles) });
  }
  const usualBytes = median(defined(before.map((b) => b.sizeBytes)));
  if (newest.sizeBytes !== undefined && usualBytes !== undefined && usualBytes > 0) {
    const drop = Math.round((1 - newest.sizeBytes / usualBytes) * 100);
    if (drop > maxDrop) Object.assign(p, { sizeDropPercent: drop, usualBytes: Math.round(usualBytes) });
  }
  const usualChanged = median(defined(before.map((b) => b.changed)));
  if (newest.changed !== undefined) {
    metrics.changed_files = newest.changed;
    p.changed = newest.changed;
    if (usualChanged !== undefined) {
      p.usualChanged = Math.round(usualChanged);
      const floor = (config.tool === 'restic' ? config.minChangedFiles : undefined) ?? BACKUP_CHURN_DEFAULTS.minChangedFiles;
      if (newest.changed >= floor && newest.changed > factor * usualChanged) p.manyChanges = 1;
    }
  }
  const usualNew = median(defined(before.map((b) => b.newBytes)));
  if (newest.newBytes !== undefined) {
    metrics.new_bytes = newest.newBytes;
    p.newBytes = newest.newBytes;
    if (usualNew !== undefined) {
      p.usualNewBytes = Math.round(usualNew);
      const floor = (config.tool === 'borg' ? config.minNewBytes : undefined) ?? BACKUP_CHURN_DEFAULTS.minNewBytes;
      if (newest.newBytes >= floor && newest.newBytes > factor * usualNew) p.muchNewData = 1;
    }
  }
  if (usualChanged === undefined && usualNew === undefined && usualFiles === undefined) p.learning = 1;
  const warn = p.manyChanges || p.muchNewData || p.filesDropPercent !== undefined || p.sizeDropPercent !== undefined;
  return {
    status: warn ? 'WARN' : 'OK',
    ...coded('churn.state', p),
    metrics,
    details: { compared: points.map((point) => ({ ...point })) },
  };
}
