/**
 * The cells of a host's heartbeat bar, as pure functions of time and state totals (the overview's "last 24 h").
 *
 * One cell per UTC hour, 24 of them ending with the running hour (cut at now), rather than one per result: a
 * 1-minute check makes 1,440 results a day, too many to draw or send per host, while whole hours are exactly what
 * the hour rollups (rollups.ts) already hold per host — a finished hour costs one stored row, not its results — so
 * a bar is as exact as the availability figures and as cheap to recompute. The price: a 5-minute outage colours
 * its whole hour, and the cell's tooltip says how long it was.
 */
import type { HeartbeatCell } from '@nines/shared';
import { percentFloor } from './budget.ts';
import { HOUR_MS } from './rollups.ts';
import type { StateTotals } from './timeline.ts';

export const BEAT_CELL_MS = HOUR_MS;
export const BEAT_CELLS = 24; // the last 24 h, the running hour included

export type BeatState = HeartbeatCell['state'];

/** The cells' spans at `now`: [H − 23 h, H + 1 h) by hour, where H is the start of now's hour; the last one ends at now. */
export function beatSpans(now: number): Array<[number, number]> {
  const current = Math.floor(now / BEAT_CELL_MS) * BEAT_CELL_MS;
  const spans: Array<[number, number]> = [];
  for (let i = BEAT_CELLS - 1; i >= 0; i--) {
    const from = current - i * BEAT_CELL_MS;
    spans.push([from, Math.min(from + BEAT_CELL_MS, Math.max(now, from + 1))]);
  }
  return spans;
}

/**
 * A cell's colour is the worst state in it: any downtime makes it DOWN; else a part without data (no result, a gap,
 * a silent agent, a failed probe) makes it UNKNOWN, because an hour half unmeasured is not known to be up; else
 * maintenance shows as such; only a fully measured hour is UP. Nothing measured at all is NONE (no data).
 */
export function cellState(t: StateTotals): BeatState {
  if (t.downMs > 0) return 'DOWN';
  if (t.upMs === 0 && t.maintenanceMs === 0) return 'NONE';
  if (t.unknownMs > 0) return 'UNKNOWN';
  if (t.maintenanceMs > 0) return 'MAINTENANCE';
  return 'UP';
}

export function beatCell(from: number, to: number, t: StateTotals): HeartbeatCell {
  return { from, to, state: cellState(t), upMs: t.upMs, downMs: t.downMs, unknownMs: t.unknownMs, maintenanceMs: t.maintenanceMs };
}

/** What the bar says in words: UP / (UP + DOWN) over its cells (rounded down, null without data) and how many cells had downtime. */
export function beatSummary(cells: readonly HeartbeatCell[]): { upPercent: string | null; downCells: number } {
  let up = 0;
  let down = 0;
  let downCells = 0;
  for (const c of cells) {
    up += c.upMs;
    down += c.downMs;
    if (c.downMs > 0) downCells++;
  }
  return { upPercent: percentFloor(up, up + down), downCells };
}
