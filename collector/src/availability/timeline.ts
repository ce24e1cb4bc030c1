/**
 * The availability timeline of a check, as pure functions of its raw results (see docs/availability.md):
 * each result covers the time from its start until the next result, at most 2 × the interval it was made at
 * (its own `intervalMs`, else the check's);
 * time no result covers is UNKNOWN; spans the agent's spool dropped (gaps) are UNKNOWN; maintenance
 * windows are MAINTENANCE, whatever the results say. Everything is integer ms, half-open [from, to).
 */
import { availabilityState, type Status } from '@nines/shared';

export type SpanState = 'UP' | 'DOWN' | 'UNKNOWN' | 'MAINTENANCE';

export interface Span {
  from: number;
  to: number;
}

export interface TimedStatus {
  startedAt: number;
  status: Status;
  message?: string;
  /** The interval the check ran at for this result; absent for results of agents that did not send it. */
  intervalMs?: number;
}

export interface Segment extends Span {
  state: SpanState;
  /** Index (into the input results) of the result that set this state; -1 for no data, gaps and maintenance. */
  cause: number;
}

export interface StateTotals {
  upMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
}

export interface CheckTimeline {
  /** Sorted by startedAt (ties in storage order); may start up to 2 × interval before the window. */
  results: readonly TimedStatus[];
  /** The check's interval, for results that do not carry their own. */
  intervalMs: number;
  /** Spans the agent's spool dropped. */
  gaps?: readonly Span[];
  /** Maintenance spans that apply to this check (may overlap each other). */
  maintenance?: readonly Span[];
}

export const emptyTotals = (): StateTotals => ({ upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0 });

/** The check's state over [from, to) as adjacent segments covering the whole window. */
export function checkSegments(timeline: CheckTimeline, from: number, to: number): Segment[] {
  const { results, intervalMs } = timeline;
  const base: Segment[] = [];
  let cursor = from;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const next = results[i + 1];
    const start = Math.max(r.startedAt, from, cursor);
    const end = Math.min(next ? next.startedAt : Infinity, r.startedAt + 2 * (r.intervalMs ?? intervalMs), to);
    if (end <= start) continue;
    if (start > cursor) base.push({ from: cursor, to: start, state: 'UNKNOWN', cause: -1 });
    base.push({ from: start, to: end, state: availabilityState(r.status) as SpanState, cause: i });
    cursor = end;
  }
  if (cursor < to) base.push({ from: cursor, to, state: 'UNKNOWN', cause: -1 });
  const withGaps = paint(base, timeline.gaps ?? [], 'UNKNOWN');
  return merge(paint(withGaps, timeline.maintenance ?? [], 'MAINTENANCE'));
}

/** Overrides the parts of `segments` covered by `spans` with `state`. */
function paint(segments: Segment[], spans: readonly Span[], state: SpanState): Segment[] {
  const cover = union(spans);
  if (cover.length === 0) return segments;
  const out: Segment[] = [];
  let k = 0;
  for (const s of segments) {
    let at = s.from;
    while (k < cover.length && cover[k]!.to <= at) k++;
    let j = k;
    while (at < s.to) {
      const c = cover[j];
      if (!c || c.from >= s.to) {
        out.push({ ...s, from: at });
        break;
      }
      if (c.from > at) out.push({ ...s, from: at, to: c.from });
      const end = Math.min(c.to, s.to);
      if (end > Math.max(at, c.from)) out.push({ from: Math.max(at, c.from), to: end, state, cause: -1 });
      at = end;
      if (c.to <= s.to) j++;
    }
  }
  return out;
}

/** Sorted, non-overlapping union of spans (empty ones dropped). */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ from: s.from, to: s.to });
  }
  return out;
}

/** Joins neighbours of the same state (a DOWN run keeps the result that started it). */
function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && last.state === s.state && last.to === s.from) last.to = s.to;
    else out.push({ ...s });
  }
  return out;
}

export function totalsOf(segments: readonly Segment[]): StateTotals {
  const t = emptyTotals();
  for (const s of segments) {
    const ms = s.to - s.from;
    if (s.state === 'UP') t.upMs += ms;
    else if (s.state === 'DOWN') t.downMs += ms;
    else if (s.state === 'MAINTENANCE') t.maintenanceMs += ms;
    else t.unknownMs += ms;
  }
  return t;
}

export function addTotals(into: StateTotals, add: StateTotals, weight = 1): StateTotals {
  into.upMs += add.upMs * weight;
  into.downMs += add.downMs * weight;
  into.unknownMs += add.unknownMs * weight;
  into.maintenanceMs += add.maintenanceMs * weight;
  return into;
}

// A host's state from its critical checks: any DOWN makes it DOWN; else any UNKNOWN leaves it unknown;
// else it is UP if any check was measured, MAINTENANCE only when every critical check is in maintenance.

/**
 * The host's segments over [from, to) from the segments of its critical checks (a check's segments are sorted and
 * adjacent; where a check has none, it counts as UNKNOWN). A sweep over the checks' boundaries keeping a count of
 * checks per state: O(segments · log segments), where testing every check at every boundary was O(checks²) for a
 * host with 1,000 checks.
 */
export function hostSegments(checks: readonly (readonly Segment[])[], from: number, to: number): Segment[] {
  if (checks.length === 0) return [{ from, to, state: 'UNKNOWN', cause: -1 }];
  // Events: at `at`, check `c` enters `state` (a segment's start) or leaves to UNKNOWN (its end; a following
  // segment's start at the same instant is applied after it).
  const events: Array<{ at: number; c: number; state: SpanState; starts: boolean }> = [];
  checks.forEach((list, c) => {
    for (const s of list) {
      const a = Math.max(s.from, from);
      const b = Math.min(s.to, to);
      if (b <= a) continue;
      events.push({ at: a, c, state: s.state, starts: true }, { at: b, c, state: 'UNKNOWN', starts: false });
    }
  });
  events.sort((x, y) => x.at - y.at || Number(x.starts) - Number(y.starts));
  const current: SpanState[] = checks.map(() => 'UNKNOWN');
  const count: Record<SpanState, number> = { DOWN: 0, UNKNOWN: checks.length, UP: 0, MAINTENANCE: 0 };
  const stateNow = (): SpanState => (count.DOWN > 0 ? 'DOWN' : count.UNKNOWN > 0 ? 'UNKNOWN' : count.UP > 0 ? 'UP' : 'MAINTENANCE');
  const out: Segment[] = [];
  let cursor = from;
  for (let i = 0; i <= events.length; i++) {
    const at = i < events.length ? events[i]!.at : to;
    if (at > cursor) {
      out.push({ from: cursor, to: at, state: stateNow(), cause: -1 });
      cursor = at;
    }
    if (i === events.length) break;
    const e = events[i]!;
    count[current[e.c]!]--;
    count[e.state]++;
    current[e.c] = e.state;
  }
  return merge(out);
}
