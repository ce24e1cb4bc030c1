/**
 * A host's heartbeat cells from stored data: a finished, clean hour from its host rollup row; the running hour, dirty
 * hours (not rolled up yet) and hours without a row from raw results, one read per run of such hours. The same
 * sources and the same sum as the host's availability figure (query.ts), so bar and figure never disagree.
 */
import type { HeartbeatCell } from '@nines/shared';
import { beatCell } from './heartbeat-cells.ts';
import { HOST, HOUR_MS, rawHostSegments, writeQueuedMarks } from './rollups.ts';
import type { AvailabilitySource } from './source.ts';
import { emptyTotals, type Segment, type StateTotals } from './timeline.ts';

/** Totals of the part of adjacent, sorted segments inside [from, to). */
function totalsIn(segments: readonly Segment[], from: number, to: number): StateTotals {
  const t = emptyTotals();
  for (const s of segments) {
    const ms = Math.min(s.to, to) - Math.max(s.from, from);
    if (ms <= 0) continue;
    if (s.state === 'UP') t.upMs += ms;
    else if (s.state === 'DOWN') t.downMs += ms;
    else if (s.state === 'MAINTENANCE') t.maintenanceMs += ms;
    else t.unknownMs += ms;
  }
  return t;
}

/** The cells of host `agentId` for `spans` (adjacent hour spans, oldest first, as beatSpans gives them). */
export async function hostBeatCells(src: AvailabilitySource, agentId: string, spans: ReadonlyArray<readonly [number, number]>): Promise<HeartbeatCell[]> {
  if (spans.length === 0) return [];
  const from = spans[0]![0];
  const to = spans.at(-1)![1];
  await writeQueuedMarks(src);
  const dirty = new Set(await src.availability.dirtyHoursBetween(agentId, HOST, from - HOUR_MS, to));
  const rows = new Map((await src.availability.hourRollups(agentId, HOST, from, to)).map((r) => [r.start, r]));
  const cells: Array<HeartbeatCell | null> = spans.map(([a, b]) => {
    const row = rows.get(a);
    return row && row.end === b && b - a === HOUR_MS && !dirty.has(a) ? beatCell(a, b, row) : null;
  });
  // The rest from raw, one read per run of adjacent cells without a usable row.
  for (let i = 0; i < spans.length; i++) {
    if (cells[i] !== null) continue;
    let j = i;
    while (j + 1 < spans.length && cells[j + 1] === null) j++;
    const { segments } = await rawHostSegments(src, agentId, spans[i]![0], spans[j]![1]);
    for (let k = i; k <= j; k++) cells[k] = beatCell(spans[k]![0], spans[k]![1], totalsIn(segments, spans[k]![0], spans[k]![1]));
    i = j;
  }
  return cells as HeartbeatCell[];
}
