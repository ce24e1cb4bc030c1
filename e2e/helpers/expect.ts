/**
 * The suite's own computation of the figures, from docs/availability.md and nothing of the collector's code:
 * each result covers from its startedAt until the next result, at most 2 × the check's interval (the
 * interval the test wrote into the agent's YAML, not the one the collector stored); uncovered time is
 * UNKNOWN; OK/WARN are UP, CRIT is DOWN; maintenance overrides everything.
 */
import type { HistoryPoint } from './api.ts';
import type { Span } from './targets.ts';

export interface Totals {
  upMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
}

const stateOf = (status: HistoryPoint['status']) => (status === 'OK' || status === 'WARN' ? 'up' : status === 'CRIT' ? 'down' : 'unknown');

/** Milliseconds of [from, to) in each state. Evaluated per boundary, not per minute: exact to the ms. */
export function expectedTotals(results: readonly HistoryPoint[], intervalMs: number, from: number, to: number, maintenance: readonly Span[] = []): Totals {
  const sorted = [...results].sort((a, b) => a.at - b.at);
  const spans: Array<Span & { state: 'up' | 'down' | 'unknown' }> = [];
  for (let i = 0; i < sorted.length; i++) {
    const end = Math.min(sorted[i + 1]?.at ?? Infinity, sorted[i]!.at + 2 * intervalMs);
    spans.push({ from: sorted[i]!.at, to: end, state: stateOf(sorted[i]!.status) });
  }
  const cuts = new Set<number>([from, to]);
  for (const s of [...spans, ...maintenance]) for (const at of [s.from, s.to]) if (at > from && at < to) cuts.add(at);
  const points = [...cuts].sort((a, b) => a - b);
  const totals: Totals = { upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0 };
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const length = b - a;
    if (maintenance.some((m) => m.from <= a && a < m.to)) totals.maintenanceMs += length;
    else {
      const state = spans.find((s) => s.from <= a && a < s.to)?.state ?? 'unknown';
      if (state === 'up') totals.upMs += length;
      else if (state === 'down') totals.downMs += length;
      else totals.unknownMs += length;
    }
  }
  return totals;
}

/** Total length of the parts of `spans` inside [from, to). */
export function overlapMs(spans: readonly Span[], from: number, to: number): number {
  return spans.reduce((sum, s) => sum + Math.max(0, Math.min(s.to, to) - Math.max(s.from, from)), 0);
}

/** A plain-text table for t.comment: one row per figure, expected beside reported. */
export function table(title: string, rows: Array<[string, string | number | null, string | number | null]>): string {
  const width = Math.max(...rows.map((r) => r[0].length), 6);
  const lines = rows.map(([name, expected, reported]) =>
    `${name.padEnd(width)}  ${String(expected).padStart(14)}  ${String(reported).padStart(14)}  ${expected === reported ? '' : '≠'}`);
  return [title, `${'figure'.padEnd(width)}  ${'expected'.padStart(14)}  ${'reported'.padStart(14)}`, ...lines].join('\n');
}

export function totalsRows(prefix: string, expected: Totals, reported: Totals): Array<[string, number, number]> {
  return (['upMs', 'downMs', 'unknownMs', 'maintenanceMs'] as const).map((k) => [`${prefix} ${k}`, expected[k], reported[k]]);
}
