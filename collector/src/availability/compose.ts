/**
 * How a series' totals over a window are composed from rollup rows and raw results, as pure steps: the clean whole
 * days from day rows, then in what they leave the clean whole hours from hour rows, the rest from raw. One series at
 * a time (query.ts composeTotals) and many at once (many-checks.ts) take the same steps, so their figures agree.
 */
import type { RollupRow } from '../store/availability.ts';
import { HOUR_MS } from './rollups.ts';
import { addTotals, type Span, type StateTotals } from './timeline.ts';

/** The dirty hours a series' figure over [from, to) must not trust: those starting strictly between these. */
export const dirtyHoursWindow = (from: number, to: number): Span => ({ from: from - HOUR_MS, to });

/**
 * Adds to `total` the series' day rows that are whole local days inside [from, to) (`days`: zoned-time.ts
 * localDaysWithin in the series' time zone), match the day's span and hold no dirty hour; returns the spans they
 * leave, in order.
 */
export function fromDayRows(total: StateTotals, from: number, to: number, days: ReadonlyArray<readonly [number, number]>, dirty: ReadonlySet<number>, dayRows: readonly RollupRow[]): Span[] {
  const clean = (a: number, b: number) => {
    if (dirty.size === 0) return true;
    for (let h = Math.floor(a / HOUR_MS) * HOUR_MS; h < b; h += HOUR_MS) if (dirty.has(h)) return false;
    return true;
  };
  const byStart = new Map<number, RollupRow>();
  for (const row of dayRows) byStart.set(row.start, row);
  const rest: Span[] = [];
  let cursor = from;
  if (byStart.size > 0) {
    for (const [start, end] of days) {
      const row = byStart.get(start);
      if (!row || row.end !== end || !clean(start, end)) continue;
      if (start > cursor) rest.push({ from: cursor, to: start });
      addTotals(total, row);
      cursor = end;
    }
  }
  if (cursor < to) rest.push({ from: cursor, to });
  return rest;
}

/** The hour rows a span left by the day rows can use start in this span; null when it holds no whole hour. */
export function hourRowsSpan(span: Span): Span | null {
  const firstHour = Math.ceil(span.from / HOUR_MS) * HOUR_MS;
  return firstHour + HOUR_MS <= span.to ? { from: firstHour, to: span.to } : null;
}

/** Adds to `total` the clean hour rows of whole hours inside `span`; returns the spans left for raw results, in order. */
export function fromHourRows(total: StateTotals, span: Span, dirty: ReadonlySet<number>, hourRows: readonly RollupRow[]): Span[] {
  const raw: Span[] = [];
  const byStart = new Map<number, RollupRow>();
  for (const row of hourRows) byStart.set(row.start, row);
  let rawFrom = span.from;
  if (byStart.size > 0) {
    for (let h = Math.ceil(span.from / HOUR_MS) * HOUR_MS; h + HOUR_MS <= span.to; h += HOUR_MS) {
      const row = byStart.get(h);
      if (!row || dirty.has(h)) continue;
      if (h > rawFrom) raw.push({ from: rawFrom, to: h });
      addTotals(total, row);
      rawFrom = h + HOUR_MS;
    }
  }
  if (rawFrom < span.to) raw.push({ from: rawFrom, to: span.to });
  return raw;
}

