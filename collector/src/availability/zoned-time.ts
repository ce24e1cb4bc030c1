/**
 * Wall-clock time in a client's IANA time zone, on top of Intl only (no tz database of our own).
 * Calendar months, local days and recurring maintenance are defined in local time; everything
 * stored and compared stays integer ms UTC.
 */

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone Intl knows ("Europe/Berlin", "UTC"); false for anything else. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formattedLocal(at: number, timeZone: string): LocalDateTime {
  const out: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
    if (part.type in out) out[part.type as keyof LocalDateTime] = Number(part.value);
  }
  return out;
}

// Offsets change only at quarter-hour instants (true of every zone since the 1970s), so one Intl call
// per zone and quarter hour suffices; formatToParts is the expensive part of every calendar computation.
const SLOT_MS = 900_000;
const MAX_CACHED_SLOTS = 200_000;
const offsetCache = new Map<string, Map<number, number>>();

/** UTC offset (ms, east positive) of a time zone at an instant. */
export function offsetAt(at: number, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  const slot = Math.floor(at / SLOT_MS);
  let offset = zone.get(slot);
  if (offset === undefined) {
    const start = slot * SLOT_MS;
    const l = formattedLocal(start, timeZone);
    offset = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - start;
    if (zone.size >= MAX_CACHED_SLOTS) zone.clear();
    zone.set(slot, offset);
  }
  return offset;
}

/** The local wall-clock time of an instant in a time zone. */
export function toLocal(at: number, timeZone: string): LocalDateTime {
  const d = new Date(at + offsetAt(at, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/**
 * The instant a local wall-clock time names. Ambiguous times (the repeated hour in autumn) take the
 * earlier instant; times that do not exist (the skipped hour in spring) move forward by the gap, so
 * 02:30 on the spring-forward day in Berlin is 03:30 CEST — the "compatible" rule of Temporal and RFC 5545.
 * Month and day may overflow (day 32 = the 1st of the next month), as with Date.UTC.
 */
export function fromLocal(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Transitions are months apart, so the offsets a day before and after are the only candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [...new Set([before, after])].map((o) => wall - o).filter((t) => offsetAt(t, timeZone) === wall - t);
  if (valid.length > 0) return Math.min(...valid);
  return wall - before;
}

/** Start of the local calendar day containing `at`. */
export function startOfLocalDay(at: number, timeZone: string): number {
  const l = toLocal(at, timeZone);
  return fromLocal(l.year, l.month, l.day, 0, 0, timeZone);
}

/** Start of the local day after the one containing `at` (23, 24 or 25 hours later around DST). */
export function startOfNextLocalDay(at: number, timeZone: string): number {
  const l = toLocal(at, timeZone);
  return fromLocal(l.year, l.month, l.day + 1, 0, 0, timeZone);
}

/** The local days [start, end) lying wholly inside [from, to). */
export function localDaysWithin(from: number, to: number, timeZone: string): Array<[number, number]> {
  const days: Array<[number, number]> = [];
  let start = startOfLocalDay(from, timeZone);
  if (start < from) start = startOfNextLocalDay(from, timeZone);
  while (start < to) {
    const end = startOfNextLocalDay(start, timeZone);
    if (end > to) break;
    days.push([start, end]);
    start = end;
  }
  return days;
}

/** The local days [start, end) touching [from, to), the partial ones at both ends included. */
export function localDaysTouching(from: number, to: number, timeZone: string): Array<[number, number]> {
  const days: Array<[number, number]> = [];
  let start = startOfLocalDay(from, timeZone);
  while (start < to) {
    const end = startOfNextLocalDay(start, timeZone);
    days.push([start, end]);
    start = end;
  }
  return days;
}

/** A calendar month "YYYY-MM" in a time zone as [from, to). */
export function monthRange(month: string, timeZone: string): [number, number] {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const m = match ? Number(match[2]) : 0;
  if (!match || m < 1 || m > 12) throw new Error(`invalid month "${month}" (use YYYY-MM)`);
  const y = Number(match[1]);
  return [fromLocal(y, m, 1, 0, 0, timeZone), fromLocal(y, m + 1, 1, 0, 0, timeZone)];
}

/** "YYYY-MM" of the local month containing `at`. */
export function monthOf(at: number, timeZone: string): string {
  const l = toLocal(at, timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}`;
}

/** Day of week of a local calendar date: 0 = Monday … 6 = Sunday (ISO order). */
export function isoWeekday(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}
