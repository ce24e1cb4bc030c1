import { coded, type EpochMs } from '@nines/shared';
import type { CheckOutcome } from '../../checks/check.ts';
import type { IntegrityVerdict } from './verdict.ts';

export interface IntegrityRun {
  tool: string;
  repository: string;
  checkedAt: EpochMs;
  nextAt: EpochMs;
  /** true when reported from the state of an earlier run, between two slots. */
  earlier: boolean;
  subset?: string;
}

const MAX_DETAIL_ERRORS = 20;

/** A verdict as an outcome: no errors OK, errors the tool reported CRIT in its words, a run that did not complete UNKNOWN. */
export function evaluateIntegrity(verdict: IntegrityVerdict, run: IntegrityRun, now: EpochMs): CheckOutcome {
  const where = { tool: run.tool, repository: run.repository };
  if (verdict.state === 'failed') return { status: 'UNKNOWN', ...coded('integrity.probe_failed', { ...where, error: verdict.error }) };
  const when = { checkedAt: run.checkedAt, nextAt: run.nextAt, ...(run.earlier && { earlier: 1 as const }) };
  const metrics: Record<string, number> = { age_s: Math.max(0, Math.round((now - run.checkedAt) / 1000)) };
  if (verdict.state === 'damaged') {
    metrics.errors = verdict.errors.length;
    return {
      status: 'CRIT',
      ...coded('integrity.damaged', { ...where, ...when, error: verdict.errors[0] ?? 'errors found', errors: Math.max(1, verdict.errors.length) }),
      metrics,
      details: { errors: verdict.errors.slice(0, MAX_DETAIL_ERRORS), checkedAt: run.checkedAt, nextAt: run.nextAt },
    };
  }
  if (verdict.packs !== undefined) metrics.packs_read = verdict.packs;
  if (verdict.chunks !== undefined) metrics.chunks_verified = verdict.chunks;
  return {
    status: 'OK',
    ...coded('integrity.verified', { ...where, ...when, subset: run.subset, packs: verdict.packs, chunks: verdict.chunks }),
    metrics,
    details: { checkedAt: run.checkedAt, nextAt: run.nextAt, ...(run.subset !== undefined && { subset: run.subset }) },
  };
}
