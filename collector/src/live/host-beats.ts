import type { HeartbeatCell } from '@nines/shared';
import { beatSpans, BEAT_CELL_MS } from '../availability/heartbeat-cells.ts';
import { hostBeatCells } from '../availability/heartbeat.ts';
import type { AvailabilitySource } from '../availability/source.ts';

/**
 * Cells kept at most this long (per host between half and all of it, staggered) without an event before the running
 * hour is read again: what changes without one (a check that stopped reporting while its agent still talks runs out
 * of coverage after 2 × its interval) shows within this.
 */
export const BEATS_RECHECK_MS = 60_000;
/**
 * And all 24 cells at most this long (staggered likewise): maintenance windows and SLA roles change through the API
 * without an event, and may cover past hours. Cheap: a finished clean hour is one rollup row.
 */
export const BEATS_FULL_MS = 5 * 60_000;

/** A fraction in [0, 1) from the host id: each host rechecks at its own offset, so a client's hosts spread out. */
function spread(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/**
 * Between half and all of `ms`, per host: a client of 100 hosts read for the first time would otherwise recheck all
 * of them in the same request every time (~1 ms per host of 10 checks on the dev box), and each row read is then
 * about the same cost instead of one slow one every minute.
 */
const staggered = (ms: number, agentId: string) => ms / 2 + Math.floor(spread(agentId) * (ms / 2));

interface Entry {
  cells: HeartbeatCell[];
  /** When the cells were computed: a cell that had not ended by then is computed again. */
  at: number;
  fullAt: number;
  /** The earliest time an event changed since; null when none did. */
  dirtyFrom: number | null;
  /** The host's check states the cells were computed with. */
  states: string;
}

/**
 * The hosts' heartbeat cells in memory. An event marks a host from the time it touched (a new result's start, a
 * gap's start, a silence); the next read recomputes only the cells from there on — normally just the running hour —
 * and keeps the finished ones. Within BEATS_RECHECK_MS, while the host's states are the ones the cells were computed
 * with, a read is a map lookup — also when a mark lies in the running hour: a result that only repeats its check's
 * state cannot change the running cell's colour (its durations in the tooltip then lag by up to BEATS_RECHECK_MS),
 * so a steady stream of results does not reread the hour every flush. Changed states reread the running hour.
 */
export class HostBeats {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly src: AvailabilitySource) {}

  mark(agentId: string, from: number): void {
    const entry = this.entries.get(agentId);
    if (entry) entry.dirtyFrom = Math.min(entry.dirtyFrom ?? from, from);
  }

  /** Drops hosts not in `keep` (revoked, or gone from the client). */
  retain(agentIds: Iterable<string>, keep: ReadonlySet<string>): void {
    for (const id of agentIds) if (!keep.has(id)) this.entries.delete(id);
  }

  /**
   * The host's cells at `now`; `states` stands for its checks' current states (any string that changes with them).
   * `src`: the source to read through (an overview row's readView), the store's own by default.
   */
  async cells(agentId: string, now: number, states: string, src: AvailabilitySource = this.src): Promise<HeartbeatCell[]> {
    const entry = this.entries.get(agentId);
    const hour = Math.floor(now / BEAT_CELL_MS) * BEAT_CELL_MS;
    const sameHour = entry && Math.floor(entry.at / BEAT_CELL_MS) * BEAT_CELL_MS === hour;
    if (entry && sameHour && now >= entry.at && now - entry.at < staggered(BEATS_RECHECK_MS, agentId) && entry.states === states && (entry.dirtyFrom === null || entry.dirtyFrom >= hour)) {
      entry.dirtyFrom = null;
      return entry.cells;
    }
    const spans = beatSpans(now);
    const full = !entry || now < entry.at || now - entry.fullAt >= staggered(BEATS_FULL_MS, agentId);
    // Keep the prefix of cells that had ended when computed and that no event touched since.
    const kept: HeartbeatCell[] = [];
    if (!full) {
      const old = new Map(entry.cells.map((c) => [c.from, c]));
      for (const [from, to] of spans) {
        const c = old.get(from);
        if (!c || c.to !== to || to > entry.at || (entry.dirtyFrom !== null && to > entry.dirtyFrom)) break;
        kept.push(c);
      }
    }
    const cells = [...kept, ...await hostBeatCells(src, agentId, spans.slice(kept.length))];
    this.entries.set(agentId, { cells, at: now, fullAt: full ? now : entry!.fullAt, dirtyFrom: null, states });
    return cells;
  }
}
