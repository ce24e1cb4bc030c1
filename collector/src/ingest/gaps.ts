import type { Status } from '@nines/shared';

/**
 * A check's results with the agent's spool gaps laid over them, for the availability timeline: an
 * UNKNOWN marker at the start of each gap ends the coverage of the result before it, so the span the
 * dropped results would have covered counts UNKNOWN, never UP. Results stored inside a gap stay.
 * Pure; `results` sorted by startedAt; returns a new sorted array.
 */
export function markGaps<T extends { startedAt: number; status: Status }>(
  results: readonly T[],
  gaps: readonly { from: number; to: number }[],
): (T | { startedAt: number; status: 'UNKNOWN' })[] {
  if (gaps.length === 0) return [...results];
  const markers = gaps.map((g) => ({ startedAt: g.from, status: 'UNKNOWN' as const }));
  // Stable: a marker sorts before a result of the same start, so a real result at that instant wins.
  return [...markers, ...results].sort((a, b) => a.startedAt - b.startedAt);
}
