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
  /** Downtime the target allows over the whole window (its length less maintenance), for projections. */
  windowBudgetMs: number;
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

/** Error budget of a window: allowed, spent, remaining downtime and the burn rate. */
export function errorBudget(totals: StateTotals, targetPpm: number, windowMs: number): ErrorBudget {
  const measured = totals.upMs + totals.downMs;
  const allowedMs = allowedDowntime(measured, targetPpm);
  const allowedRate = (PPM - targetPpm) / PPM;
  return {
    targetPpm, allowedMs, spentMs: totals.downMs, remainingMs: allowedMs - totals.downMs,
    windowBudgetMs: allowedDowntime(Math.max(0, windowMs - totals.maintenanceMs), targetPpm),
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

/** Measured share of the time that was not maintenance: (UP + DOWN) / (UP + DOWN + UNKNOWN); null for an empty window. */
export function coverageOf(totals: StateTotals): number | null {
  const expected = totals.upMs + totals.downMs + totals.unknownMs;
  return expected === 0 ? null : (totals.upMs + totals.downMs) / expected;
}
