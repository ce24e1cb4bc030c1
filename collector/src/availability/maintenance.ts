/**
 * Maintenance windows: announced work whose span counts MAINTENANCE (excluded from availability, shown in
 * coverage). One-off windows are a UTC span; recurring ones repeat daily or on chosen weekdays at a local
 * wall-clock time in the client's time zone, so "Sundays 02:00–04:00" stays 02:00 local across DST.
 */
import type { Span } from './timeline.ts';
import { fromLocal, isoWeekday, toLocal } from './zoned-time.ts';
import type { MaintenanceWindow } from '../store/maintenance.ts';

export type { MaintenanceWindow, Recurrence } from '../store/maintenance.ts';

const DAY_MS = 86_400_000;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Why a window definition is not usable, or null when it is. */
export function maintenanceProblem(w: Omit<MaintenanceWindow, 'id'>): string | null {
  if (w.recurrence === 'once') {
    if (w.endsAt === null || !(w.endsAt > w.startsAt)) return 'a one-off window needs endsAt after startsAt';
    return null;
  }
  if (!w.localTime || !LOCAL_TIME.test(w.localTime)) return 'a recurring window needs localTime as HH:MM';
  if (!w.durationMs || w.durationMs <= 0 || w.durationMs > 7 * DAY_MS) return 'a recurring window needs durationMs between 1 ms and 7 days';
  if (w.recurrence === 'weekly' && (!w.weekdays || w.weekdays < 1 || w.weekdays > 127)) return 'a weekly window needs weekdays (bit set, Monday = 1 … Sunday = 64)';
  if (w.endsAt !== null && w.endsAt <= w.startsAt) return 'endsAt must lie after startsAt';
  return null;
}

/** The spans of a window that overlap [from, to), clipped to it, in time order. */
export function occurrences(w: Omit<MaintenanceWindow, 'id'>, from: number, to: number): Span[] {
  if (w.recurrence === 'once') {
    const a = Math.max(w.startsAt, from);
    const b = Math.min(w.endsAt ?? w.startsAt, to);
    return b > a ? [{ from: a, to: b }] : [];
  }
  const [hh, mm] = (w.localTime ?? '00:00').split(':').map(Number) as [number, number];
  const duration = w.durationMs ?? 0;
  const out: Span[] = [];
  // Start a day early per day of duration: an occurrence that began before `from` may still run into it.
  const first = toLocal(Math.max(from - duration - DAY_MS, w.startsAt - DAY_MS), w.timeZone);
  for (let d = 0; ; d++) {
    const start = fromLocal(first.year, first.month, first.day + d, hh, mm, w.timeZone);
    if (start >= to || (w.endsAt !== null && start >= w.endsAt)) break;
    if (start < w.startsAt) continue;
    if (w.recurrence === 'weekly') {
      const l = toLocal(Date.UTC(first.year, first.month - 1, first.day + d), 'UTC');
      if (!(w.weekdays! & (1 << isoWeekday(l.year, l.month, l.day)))) continue;
    }
    const a = Math.max(start, from);
    const b = Math.min(start + duration, to);
    if (b > a) out.push({ from: a, to: b });
  }
  return out;
}
