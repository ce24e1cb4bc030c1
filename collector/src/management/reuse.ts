/**
 * How long a computed figure is reused when nothing asked for it again: `floorMs`, or COST_SHARE times what its last
 * computation took when that is longer. So recomputing on the clock alone costs at most 1 / COST_SHARE of the
 * collector's time, whatever the size of the client: an overview row of 10,000 hosts took ~5 s, and recomputing it
 * every 10 s (as the pushes to a listening dashboard did) was half a core. A small client keeps the floor.
 */
export const COST_SHARE = 10;

export function reuseMs(floorMs: number, lastCostMs: number): number {
  return Math.max(floorMs, COST_SHARE * lastCostMs);
}

/** Monotonic milliseconds for what a computation cost: not the injected clock, which tests fix. */
export type Elapsed = () => number;
export const monotonicMs: Elapsed = () => performance.now();
