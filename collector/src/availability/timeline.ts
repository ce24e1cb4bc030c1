import { availabilityState, type Status } from '@nines/shared';

export interface TimedStatus {
  startedAt: number;
  status: Status;
}

export interface StateTotals {
  upMs: number;
  downMs: number;
  unknownMs: number;
}

/**
 * Time-weighted totals of one check over [from, to). Each result covers the time from its start until
 * the next result, at most 2 × the check's interval; time no result covers is UNKNOWN.
 * `results` must be sorted by startedAt and may include the last result before `from`.
 */
export function stateTotals(results: readonly TimedStatus[], intervalMs: number, from: number, to: number): StateTotals {
  const totals: StateTotals = { upMs: 0, downMs: 0, unknownMs: 0 };
  let covered = 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const next = results[i + 1];
    const end = Math.min(next ? next.startedAt : Infinity, r.startedAt + 2 * intervalMs, to);
    const start = Math.max(r.startedAt, from);
    if (end <= start) continue;
    const span = end - start;
    covered += span;
    const state = availabilityState(r.status);
    if (state === 'UP') totals.upMs += span;
    else if (state === 'DOWN') totals.downMs += span;
    else totals.unknownMs += span;
  }
  totals.unknownMs += Math.max(0, to - from - covered);
  return totals;
}

/** UP / (UP + DOWN) as a fraction, or null when nothing was measured (never 100 % by default). */
export function availabilityOf(totals: StateTotals): number | null {
  const measured = totals.upMs + totals.downMs;
  return measured === 0 ? null : totals.upMs / measured;
}
