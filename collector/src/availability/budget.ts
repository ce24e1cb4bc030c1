/**
 * The SLA arithmetic, exact in integers: availability = UP / (UP + DOWN); the target is met iff
 * DOWN × 10⁶ ≤ (UP + DOWN) × (10⁶ − target ppm) — for 99.9 %: DOWN × 1000 ≤ UP + DOWN. BigInt keeps a
 * year of milliseconds times 10⁶ exact. Figures shown to people round down, never up.
 */
import type { StateTotals } from './timeline.ts';

export const PPM = 1_000_000;

export interface ErrorBudget {
  /** Target in parts per million (999000 = 99.9 %). */
  targetPpm: number;
  /** Downtime the target allows for the time measured so far (floor): the target is met iff spentMs ≤ allowedMs. */
  allowedMs: number;
  spentMs: number;
  /** allowedMs − spentMs; negative when the target is missed. */
  remainingMs: number;
  /**
   * The window's own budget: downtime the target allows over its whole length (less the maintenance so far),
   * × the scope's weight (a client's durations are check-weighted sums). For a calendar month this is the
   * month's budget — 44.64 min for 31 days at 99.9 % — even while the month is still running.
   */
  windowBudgetMs: number;
  /** windowBudgetMs − spentMs: what is left of the window's budget; negative when it is used up. */
  windowRemainingMs: number;
  /** Pro rata: the budget for the elapsed part of the window (until now, less maintenance); equals windowBudgetMs once it is over. */
  elapsedBudgetMs: number;
  /** Observed downtime rate ÷ the rate the target allows: 1 spends the budget exactly; null without data. */
  burnRate: number | null;
}

const big = (n: number) => BigInt(Math.trunc(n));

/** True iff the target is met; null when nothing was measured (no data, no verdict). */
export function targetMet(totals: StateTotals, targetPpm: number): boolean | null {
  const measured = totals.upMs + totals.downMs;
  if (measured === 0) return null;
  return big(totals.downMs) * big(PPM) <= big(measured) * big(PPM - targetPpm);
}

/** Allowed downtime of a target over `ms` of measured time, rounded down to whole ms. */
export function allowedDowntime(ms: number, targetPpm: number): number {
  return Number((big(ms) * big(PPM - targetPpm)) / big(PPM));
}

/**
 * Error budget of a window of `windowMs` (its whole nominal length) for a scope of `weight` (1 for a check or
 * a host, the sum of the covered checks' weights for a client): allowed, spent and remaining downtime for
 * the measured time (the verdict), the window's and the elapsed part's budget, and the burn rate.
 */
export function errorBudget(totals: StateTotals, targetPpm: number, windowMs: number, weight = 1): ErrorBudget {
  const measured = totals.upMs + totals.downMs;
  const allowedMs = allowedDowntime(measured, targetPpm);
  const allowedRate = (PPM - targetPpm) / PPM;
  // Every scope's totals add up to weight × the elapsed time, so without maintenance this is the elapsed time's budget.
  const elapsedBudgetMs = allowedDowntime(totals.upMs + totals.downMs + totals.unknownMs, targetPpm);
  const windowBudgetMs = allowedDowntime(Math.max(0, weight * windowMs - totals.maintenanceMs), targetPpm);
  return {
    targetPpm, allowedMs, spentMs: totals.downMs, remainingMs: allowedMs - totals.downMs,
    windowBudgetMs, windowRemainingMs: windowBudgetMs - totals.downMs, elapsedBudgetMs,
    burnRate: measured === 0 || allowedRate === 0 ? null : totals.downMs / measured / allowedRate,
  };
}

/**
 * UP / (UP + DOWN) in percent, rounded down to `decimals` places, as a plain decimal string ("99.912"),
 * or null without data. Rounding down means 99.8999 % is never shown as 99.9 %.
 */
export function percentFloor(upMs: number, measuredMs: number, decimals = 3): string | null {
  if (measuredMs === 0) return null;
  const scale = 10n ** BigInt(decimals);
  const scaled = (big(upMs) * 100n * scale) / big(measuredMs);
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(decimals, '0');
  return decimals > 0 ? `${whole}.${frac}` : `${whole}`;
}

/**
 * Below this coverage a verdict rests on partial data, and the report and dashboard say so: a tenth of the
 * time unmeasured can hide more downtime than a 99.9 % month allows many times over.
 */
export const PARTIAL_COVERAGE_BELOW = 0.9;

/** True when a verdict rests on partial data (coverage below PARTIAL_COVERAGE_BELOW); null without a verdict. */
export function partialData(totals: StateTotals): boolean | null {
  const coverage = coverageOf(totals);
  return totals.upMs + totals.downMs === 0 || coverage === null ? null : coverage < PARTIAL_COVERAGE_BELOW;
}

/** Measured share of the time that was not maintenance: (UP + DOWN) / (UP + DOWN + UNKNOWN); null for an empty window. */
export function coverageOf(totals: StateTotals): number | null {
  const expected = totals.upMs + totals.downMs + totals.unknownMs;
  return expected === 0 ? null : (totals.upMs + totals.downMs) / expected;
}
